"""Approximate names: typos by sound are found, other roads are not."""

from __future__ import annotations

import pytest

from gisapp.analysis.geocode.names import CONFUSABLE_COST, HOMOPHONE_COST, NameIndex, similarity


@pytest.mark.parametrize("query, name, expected", [
    ("人民路", "人民路", 100.0),
    ("解方路", "解放路", 100 * (1 - HOMOPHONE_COST / 3)),  # 方 and 放 are both fang
    ("人名路", "人民路", 100 * (1 - CONFUSABLE_COST / 3)),  # ming for min: in/ing, a fuzzy-pinyin pair
    ("凤凰山市场", "风凰山市场", 100 * (1 - HOMOPHONE_COST / 5)),
    ("新民路", "人民路", 100 * (1 - 1 / 3)),  # xin is not ren: an ordinary substitution
])
def test_similarity_by_sound(query, name, expected):
    assert similarity(query, name) == pytest.approx(expected)


@pytest.mark.parametrize("query, name", [("人民街", "人民路"), ("东街", "西街"), ("西街5巷", "西街4巷")])
def test_another_ending_or_distinguishing_character_is_another_road(query, name):
    assert similarity(query, name) == 0.0


def test_index_takes_only_clear_winners():
    index = NameIndex(["人民路", "人和路", "解放路", "新华路", "欣华路"])
    assert index.best("人名路", 85) == ([("人民路", pytest.approx(100 * (1 - CONFUSABLE_COST / 3)))], False)
    assert index.best("新民路", 85) == ([], False)
    assert index.best("人民东路", 85) == ([], False)
    kept, ambiguous = index.best("辛华路", 85)  # 辛, 新 and 欣 are all xin: which road was meant?
    assert ambiguous and {name for name, _ in kept} == {"新华路", "欣华路"}
