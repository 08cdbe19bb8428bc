"""The print dialog: bureau fields from and into the saved profile, every offered layer printed, a zoomable preview."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def profile_dir(tmp_path, monkeypatch):
    folder = tmp_path / "config"
    monkeypatch.setenv("GISAPP_CONFIG_DIR", str(folder))
    return folder


def open_dialog(window):
    from gisapp.ui.export_dialogs import PrintDialog

    dialog = PrintDialog(window)
    dialog.show()
    return dialog


def test_bureau_fields_come_from_the_profile_and_are_saved(qtbot, make_window, profile_dir, tmp_path):
    profile_dir.mkdir()
    (profile_dir / "print_profile.json").write_text(json.dumps({"version": 1, "fields": {"maker": "某县公安局情报中心", "paper": "A3", "scale": 25000}}),
                                                    encoding="utf-8")
    window = make_window()
    dialog = open_dialog(window)
    assert dialog.maker.text() == "某县公安局情报中心" and dialog.paper.currentData() == "A3" and dialog.scale_text.text() == "25000"
    dialog.reviewer.setText("张三")
    dialog.path.setText(str(tmp_path / "map.pdf"))
    fn, args = dialog.job()
    options = args[4]
    assert (options.maker, options.reviewer, options.scale, options.paper) == ("某县公安局情报中心", "张三", 25000, "A3")
    assert args[5] != "project"  # the footer names the real source
    saved = json.loads((profile_dir / "print_profile.json").read_text(encoding="utf-8"))["fields"]
    assert saved["reviewer"] == "张三" and saved["maker"] == "某县公安局情报中心"
    dialog.close()
    dialog.deleteLater()


def test_preview_draws_the_checked_layers_and_zooms(qtbot, make_window, profile_dir, tmp_path):
    window = make_window()
    dialog = open_dialog(window)
    dialog.set_layers({"hotspots", "zones", "roads", "incidents", "cameras", "routes"})
    with qtbot.waitSignal(dialog.make_preview().signals.returned, timeout=120_000) as outcome:
        pass
    printed = outcome.args[0]
    assert set(printed.layers) == {"hotspots", "zones", "roads", "incidents", "cameras", "routes"}
    qtbot.waitUntil(lambda: dialog.preview.item is not None, timeout=10_000)
    page = dialog.preview.item.pixmap()
    assert page.width() >= 1700  # 150 dpi A4: the preview has pixels to zoom into, not a 370 px thumbnail
    fitted = dialog.preview.transform().m11()
    dialog.preview.zoom_by(2.0)
    assert dialog.preview.transform().m11() == pytest.approx(2 * fitted)
    dialog.preview.zoom_by(0.01)  # never smaller than the fitted page
    assert dialog.preview.transform().m11() == pytest.approx(fitted)
    dialog.close()
    dialog.deleteLater()
