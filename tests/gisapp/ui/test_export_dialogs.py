"""Export dialogs: a briefing and a printed map written from the dialogs (with the current filter)."""

from __future__ import annotations

from gisapp.layers.filters import IncidentFilter

from .conftest import close_error_boxes


def run_export(qtbot, dialog, timeout=60000):
    worker = dialog.export()
    assert worker is not None
    with qtbot.waitSignal(worker.signals.finished, timeout=timeout):
        pass
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=5000)


def test_briefing_from_the_dialog(qtbot, make_window, tmp_path, answers):
    window = make_window()
    window.workspace.set_filter(IncidentFilter(categories=["诈骗"]))
    dialog = window.export_briefing_dialog()
    dialog.title.setText("测试简报")
    dialog.path.setText(str(tmp_path / "brief.html"))
    dialog.set_layers({"incidents", "hotspots", "grids", "routes"})
    answers.append("no")  # do not open it
    run_export(qtbot, dialog)
    assert not close_error_boxes(), dialog.status.text()
    html = (tmp_path / "brief.html").read_text(encoding="utf-8")
    assert "测试简报" in html and "cdn." not in html.lower()
    assert answers.asked and "brief.html" in answers.asked[0]
    assert "Wrote" in dialog.status.text()
    dialog.close()


def test_public_briefing(qtbot, make_window, tmp_path, answers):
    window = make_window()
    dialog = window.export_briefing_dialog()
    dialog.public.setChecked(True)
    dialog.path.setText(str(tmp_path / "public.html"))
    answers.append("no")
    run_export(qtbot, dialog)
    assert not close_error_boxes(), dialog.status.text()
    assert dialog.written is not None and "incidents" not in dialog.written.layers
    dialog.close()


def test_print_preview_and_pdf(qtbot, make_window, tmp_path, answers):
    window = make_window()
    dialog = window.print_dialog()
    dialog.title.setText("县公安局热点图")
    dialog.classification.setText("内部资料")
    dialog.paper.setCurrentIndex(dialog.paper.findData("A3"))
    worker = dialog.make_preview()
    with qtbot.waitSignal(worker.signals.finished, timeout=60000):
        pass
    qtbot.waitUntil(lambda: not dialog.preview.pixmap().isNull() or "Drawing" not in dialog.preview_status.text(), timeout=5000)
    assert not dialog.preview.pixmap().isNull(), dialog.preview_status.text()
    dialog.path.setText(str(tmp_path / "map.pdf"))
    answers.append("no")
    run_export(qtbot, dialog)
    assert not close_error_boxes(), dialog.status.text()
    data = (tmp_path / "map.pdf").read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000
    assert dialog.written.path.name == "map.pdf"
    dialog.close()


def test_bad_output_is_one_sentence(qtbot, make_window, tmp_path):
    window = make_window()
    dialog = window.print_dialog()
    dialog.path.setText(str(tmp_path / "map.docx"))
    run_export(qtbot, dialog)
    texts = close_error_boxes()
    assert len(texts) == 1 and "\n" not in texts[0]
    dialog.close()
