"""Translation: every user-visible string goes through ``tr``; Chinese (zh_CN) and English.

Why a Python translator instead of compiled ``.qm`` files: ``lrelease`` is not
part of PyQt6 and is missing on the analysts' machines and in CI, so the
translations live in a Qt Linguist ``.ts`` file (the standard XML, editable in
Linguist) that :class:`TsTranslator` reads directly. ``python -m gisapp.ui.i18n``
collects the strings from the code (calls to ``tr`` and ``N_``) and adds the new
ones to the ``.ts`` file, keeping existing translations.

One context, ``gisapp``, is used for every string, so a text is translated the
same way wherever it appears. The translator answers only for that context (and
for the exact Qt texts of ``qt_extra_zh_CN.ts``): Qt asks every installed
translator for its own texts too, and a fallback by source text alone once
turned the ``Shift`` of Qt's shortcut names into our column label 班次.

Qt's own dialogs are translated by Qt's ``qtbase_zh_CN`` catalogue from
PyQt6's translations folder; ``qt_extra_zh_CN.ts`` adds the few texts Qt
renamed after that catalogue was last updated (the file dialog's "&Look in:").
"""

from __future__ import annotations

import ast
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PyQt6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from ..data_files import resources_dir

CONTEXT = "gisapp"
LANGUAGES = {"zh_CN": "中文（简体）", "en": "English"}
RESOURCES = resources_dir()
TS_FILE = RESOURCES / "i18n" / "gisapp_zh_CN.ts"
#: Qt texts missing from Qt's own zh_CN catalogue (see the module notes).
QT_EXTRA_TS_FILE = RESOURCES / "i18n" / "qt_extra_zh_CN.ts"

_installed: list[QTranslator] = []


def tr(text: str) -> str:
    """The translation of ``text`` in the installed language (``text`` itself in English)."""
    return QCoreApplication.translate(CONTEXT, text)


def current_language() -> str:
    """``zh`` while the Chinese translation is installed, else ``en`` (for texts declared in both languages)."""
    return "zh" if _installed else "en"


def default_language(locale_name: str | None = None) -> str:
    """zh_CN when the system locale is Chinese, English otherwise."""
    name = locale_name if locale_name is not None else QLocale.system().name()
    return "zh_CN" if name.lower().startswith("zh") else "en"


class TsTranslator(QTranslator):
    """A QTranslator reading a Qt Linguist .ts file (no lrelease needed)."""

    def __init__(self, path: Path, parent=None):
        super().__init__(parent)
        self.path = Path(path)
        self.messages: dict[tuple[str, str], str] = {}
        for context, source, translation in read_ts(self.path):
            if translation:
                self.messages[(context, source)] = translation

    def translate(self, context, source_text, disambiguation=None, n=-1):
        # None (a null QString) means "not translated here": Qt then falls back to the source
        # text. An empty string would be taken as the translation and blank the label.
        # Only exact (context, text) pairs: Qt's "Shift" (QShortcut) is not our "Shift" (班次).
        if not source_text:
            return None
        return self.messages.get((context, source_text))

    def isEmpty(self) -> bool:
        return not self.messages


def install_translator(app: QCoreApplication, language: str) -> str:
    """Install ``language`` (zh_CN or en) for ``app``; returns the language installed."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if language not in LANGUAGES:
        language = "en"
    if language == "zh_CN":
        qt_base = QTranslator(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt_base.load("qtbase_zh_CN", folder):  # Qt's own dialogs: buttons, file dialogs
            app.installTranslator(qt_base)
            _installed.append(qt_base)
        if QT_EXTRA_TS_FILE.is_file():  # asked before qtbase (Qt asks the last installed first)
            extra = TsTranslator(QT_EXTRA_TS_FILE, app)
            app.installTranslator(extra)
            _installed.append(extra)
        if TS_FILE.is_file():
            ours = TsTranslator(TS_FILE, app)
            app.installTranslator(ours)
            _installed.append(ours)
    return language


# ---- maintenance: collect strings and update the .ts file ----------------------------------
def read_ts(path: Path) -> list[tuple[str, str, str]]:
    """(context, source, translation) of every message in a .ts file."""
    if not Path(path).is_file():
        return []
    root = ET.parse(path).getroot()
    out = []
    for context in root.iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            text = "" if translation is None or translation.get("type") in ("unfinished", "obsolete") else (translation.text or "")
            out.append((name, message.findtext("source", ""), text))
    return out


def extract_strings(folder: Path | None = None) -> list[str]:
    """Literal strings passed to ``tr(...)`` or ``N_(...)`` in the UI code, in first-seen order."""
    folder = Path(folder or Path(__file__).resolve().parent)
    found: dict[str, None] = {}
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in ("tr", "N_"):
                if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                    found.setdefault(node.args[0].value, None)
    return list(found)


def write_ts(path: Path, messages: dict[str, str], language: str = "zh_CN") -> None:
    root = ET.Element("TS", version="2.1", language=language)
    context = ET.SubElement(root, "context")
    ET.SubElement(context, "name").text = CONTEXT
    for source, translation in messages.items():
        message = ET.SubElement(context, "message")
        ET.SubElement(message, "source").text = source
        element = ET.SubElement(message, "translation")
        if translation:
            element.text = translation
        else:
            element.set("type", "unfinished")
    ET.indent(root)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        handle.write(ET.tostring(root, encoding="unicode"))
        handle.write("\n")


def update_ts(path: Path = TS_FILE) -> list[str]:
    """Add the code's new strings to ``path`` (keeping translations); return those still untranslated."""
    known = {source: text for _, source, text in read_ts(path)}
    strings = extract_strings()
    messages = {s: known.get(s, "") for s in strings}
    write_ts(path, messages)
    return [s for s, t in messages.items() if not t]


if __name__ == "__main__":
    missing = update_ts()
    print(f"{TS_FILE}: {len(missing)} untranslated", *missing, sep="\n  ", file=sys.stderr)
