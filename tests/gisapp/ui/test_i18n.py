"""Translations and fonts: every string is translated, Chinese is the default in a Chinese locale, and it renders."""

from __future__ import annotations

from PyQt6.QtGui import QFont, QFontMetrics

from gisapp.ui.i18n import TS_FILE, TsTranslator, default_language, extract_strings, install_translator, read_ts, tr


def test_every_ui_string_has_a_chinese_translation():
    translated = {source: text for _, source, text in read_ts(TS_FILE) if text}
    missing = [s for s in extract_strings() if s not in translated]
    assert not missing, f"untranslated (run python -m gisapp.ui.i18n and translate): {missing}"
    # format fields survive translation
    import string

    for source, text in translated.items():
        fields = {f for _, f, _, _ in string.Formatter().parse(source) if f}
        assert fields == {f for _, f, _, _ in string.Formatter().parse(text) if f}, source


def test_language_follows_the_locale():
    assert default_language("zh_CN") == "zh_CN"
    assert default_language("zh_TW") == "zh_CN"
    assert default_language("en_US") == "en"
    assert default_language("C") == "en"


def test_translator_switches_language(qapp):
    assert TsTranslator(TS_FILE).translate("gisapp", "Layers") == "图层"
    try:
        install_translator(qapp, "zh_CN")
        assert tr("Layers") == "图层"
        assert tr("Hot spot, 99% confidence") == "热点（99% 置信度）"
        assert tr("no such string") == "no such string"
    finally:
        install_translator(qapp, "en")
    assert tr("Layers") == "Layers"


def test_chinese_window(make_window):
    window = make_window(language="zh_CN")
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles[0] == "文件(&F)" and "底图(&B)" in titles
    assert window.layers_dock.windowTitle() == "图层"
    assert "警情" in window.filter_bar.count.text()


def test_chinese_font_has_the_glyphs(qapp):
    from gisapp.ui.app import application, choose_font_family

    application()
    family = choose_font_family()
    assert family is not None, "no CJK font installed: install fonts-noto-cjk"
    metrics = QFontMetrics(QFont(family))
    assert all(metrics.inFontUcs4(ord(ch)) for ch in "警情热点网格天网巡逻路线城乡结合部")
    assert choose_font_family(["Arial", "Noto Sans CJK SC", "SimHei"]) == "SimHei"


def test_switching_language_rebuilds_the_window_around_the_same_project(qtbot, qapp, make_window):
    from PyQt6 import sip
    from PyQt6.QtCore import QCoreApplication, QEvent

    from gisapp.layers.filters import IncidentFilter

    window = make_window()
    layers = list(window.workspace.layers)
    incidents = window.workspace.layers["incidents"]
    window.workspace.set_filter(IncidentFilter(categories=["盗窃"]))  # a change: the project is now unsaved
    window.workspace.select(incidents, [0, 5, 7])
    window.workspace.set_current(incidents)
    centre = window.canvas.view.state()["center"]
    with qtbot.waitSignal(window.languageSwitched) as switched:
        successor = window.set_language("zh_CN")
    try:
        assert switched.args[0] is successor and successor is not window and successor.language == "zh_CN"
        assert successor.isVisible() and successor.menuBar().actions()[0].text() == "文件(&F)"
        assert successor.layers_dock.windowTitle() == "图层"
        assert list(successor.workspace.layers) == layers and successor.workspace.current_layer is incidents
        assert successor.workspace.filter.categories == ["盗窃"]
        assert successor.workspace.selection(incidents).tolist() == [0, 5, 7]
        assert successor.controller.dirty and successor.isWindowModified()
        assert successor.canvas.view.state()["center"] == centre
        assert successor.settings.language() == "zh_CN"
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        assert sip.isdeleted(window)
        assert successor.set_language("zh_CN") is successor  # the same language: nothing to rebuild
    finally:
        install_translator(qapp, "en")
        successor.controller.set_dirty(False)
        successor.close()
        successor.deleteLater()


def test_qts_shift_key_keeps_its_name_in_chinese_shortcuts(qapp):
    """Regression (issue 16): our column label "Shift" (班次) leaked into Qt's key names (Ctrl+班次+A)."""
    from PyQt6.QtGui import QKeySequence

    try:
        install_translator(qapp, "zh_CN")
        assert tr("Shift") == "班次"  # the patrol shift column keeps its translation
        shown = QKeySequence("Ctrl+Shift+A").toString(QKeySequence.SequenceFormat.NativeText)
        assert shown == "Ctrl+Shift+A"
    finally:
        install_translator(qapp, "en")


def test_qts_file_dialog_speaks_chinese(qapp):
    """Every label, button, tool tip and column of Qt's own file dialog is in Chinese (issue 16: "Look in")."""
    import re

    from PyQt6.QtCore import Qt
    from PyQt6.QtWidgets import QAbstractButton, QFileDialog, QHeaderView, QLabel, QWidget

    english = re.compile(r"[A-Za-z]{3}")
    chinese = re.compile(r"[\u4e00-\u9fff]")
    try:
        install_translator(qapp, "zh_CN")
        for mode in (QFileDialog.AcceptMode.AcceptOpen, QFileDialog.AcceptMode.AcceptSave):
            dialog = QFileDialog(None, "x")
            dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)  # the dialog Qt shows without a desktop theme
            dialog.setAcceptMode(mode)
            texts = []
            for widget in dialog.findChildren(QWidget):
                if isinstance(widget, (QLabel, QAbstractButton)) and widget.text():
                    texts.append(widget.text())
                if widget.toolTip():
                    texts.append(widget.toolTip())
            for header in dialog.findChildren(QHeaderView):
                texts += [header.model().headerData(i, Qt.Orientation.Horizontal) for i in range(header.model().columnCount())]
            assert len(texts) > 10
            left = [t for t in texts if english.search(t) and not chinese.search(t)]
            assert not left, left
            assert any(t.startswith("查找范围") for t in texts)
            dialog.deleteLater()
    finally:
        install_translator(qapp, "en")
