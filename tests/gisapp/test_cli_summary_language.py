"""Every method's command-line summary speaks Chinese in a Chinese locale and English with ``--lang en`` (issue 16).

One test per method group runs the real commands on the sample county. In
Chinese, no line may carry an English phrase (a run of three English words)
except the analyses' free-text notes and file paths; in English, none may carry
the summaries' Chinese words. ``--lang`` wins over the locale.
"""

from __future__ import annotations

import re

import pytest

from gisapp.cli import main

ENGLISH_PHRASE = re.compile(r"[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}")
#: Words of the Chinese summaries that no sample data name contains.
CHINESE_WORDS = ("个单元", "起警情", "依据", "次置换", "个停靠点", "个聚类", "平方公里", "距离阈值", "摄像头", "盲区", "已写入", "预测")
QUICK = ("--category", "扒窃", "--from", "2024-01-01", "--to", "2024-12-31")

GROUPS = {
    "hotspots": [("hotspot", "--cell", "200", "--band", "400"), ("lisa", "--cell", "200", "--band", "400", "--permutations", "99"),
                 ("kde",), ("concentration",)],
    "clusters": [("cluster", "--method", "dbscan", "--eps", "100", "--min-samples", "10")],
    "spacetime": [("emerging", "--step", "month"), ("nearrepeat", "--permutations", "99"), ("compare",)],
    "cameras": [("coverage",), ("site-cameras", "--n", "3")],
    "patrol": [("patrol",), ("patrol", "--plan", "--start", "105.09,31.09")],
    "forecast": [("forecast", "--method", "counts", "--train-to", "2024-10-31", "--horizon", "30"), ("evaluate", "--method", "counts"),
                 ("alerts",)],
}


def run(capsys, monkeypatch, args, lang_env: str, *extra: str) -> list[str]:
    monkeypatch.setenv("LANG", lang_env)
    for variable in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    try:
        code = main([*args, *extra])
    except SystemExit as exit_:
        code = exit_.code
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out.splitlines()


def said_in_english(line: str) -> bool:
    if "注意：" in line or "已写入" in line or "/" in line:  # the analyses' notes, output paths and layer names
        return False
    return bool(ENGLISH_PHRASE.search(line))


@pytest.mark.parametrize("group", list(GROUPS))
def test_summaries_follow_the_locale_and_lang(group, capsys, monkeypatch, sample_dir, tmp_path):
    county = str(sample_dir / "county.gpkg")
    for k, (key, *options) in enumerate(GROUPS[group]):
        args = (key, county, *QUICK, *options)
        chinese = run(capsys, monkeypatch, args, "zh_CN.UTF-8", "--out", str(tmp_path / f"{k}_zh.gpkg"))
        assert re.search(r"[\u4e00-\u9fff]", chinese[0]), chinese[0]
        english_lines = [line for line in chinese if said_in_english(line)]
        assert not english_lines, f"{key}: English in the Chinese summary: {english_lines}"
        english = run(capsys, monkeypatch, args, "zh_CN.UTF-8", "--lang", "en", "--out", str(tmp_path / f"{k}_en.gpkg"))
        assert not re.search(r"[\u4e00-\u9fff]", english[0]), english[0]
        chinese_lines = [line for line in english if any(word in line for word in CHINESE_WORDS) and "note:" not in line]
        assert not chinese_lines, f"{key}: Chinese in the English summary: {chinese_lines}"
        assert len(english) == len(chinese)  # the same lines, in the other language
        default = run(capsys, monkeypatch, args, "en_US.UTF-8", "--out", str(tmp_path / f"{k}_c.gpkg"))
        assert default[0] == english[0]
