"""The briefing in a real browser engine (QtWebEngine, off screen) with the network cut off.

The page is opened from a file with remote access *allowed* (as in an
ordinary browser), while a request interceptor records every URL and blocks
anything that is not ``file:`` or ``data:``. Checks:

* Leaflet initialised: one ``.leaflet-container`` and one layer-control
  entry per overlay;
* no request left the machine (the interceptor's record and the page's own
  Resource Timing list); a control page with a CDN link proves the
  interceptor sees such requests;
* a ``<script>`` and an ``<img onerror>`` in incident descriptions, an area
  name and a route name, shown in popups, labels and tooltips, ran nothing
  (``window.__pwned`` stays undefined) and show as text;
* on a phone (390 x 844) the map takes the screen, the side panel is a closed
  drawer that the header button opens, the layer list is folded, and the
  Gi* legend and north arrow sit on the map.

The browser runs in a subprocess, so a Chromium crash cannot take pytest down
and no QApplication is shared with the GUI tests.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

import pytest
from injected_markup import XSS_IMG, XSS_SCRIPT, with_injection  # tests/support

from gisapp.analysis.core.inputs import Inputs
from gisapp.briefing import BriefingOptions, build_briefing, collect_content

if importlib.util.find_spec("PyQt6.QtWebEngineWidgets") is None:
    if os.environ.get("CI"):
        pytest.fail("PyQt6-WebEngine is not installed; the browser test must run in CI (pip install PyQt6-WebEngine).", pytrace=False)
    pytest.skip("PyQt6-WebEngine is not installed", allow_module_level=True)

DRIVER = r"""
import json, os, sys
from PyQt6.QtCore import QTimer, QUrl
from PyQt6.QtWidgets import QApplication
from PyQt6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile, QWebEngineSettings, QWebEngineUrlRequestInterceptor
from PyQt6.QtWebEngineWidgets import QWebEngineView

pages, shots = json.loads(sys.argv[1]), json.loads(sys.argv[2])
app = QApplication(sys.argv[:1])

class Recorder(QWebEngineUrlRequestInterceptor):
    def __init__(self):
        super().__init__()
        self.urls = []
    def interceptRequest(self, info):
        url = info.requestUrl().toString()
        self.urls.append(url)
        if not url.startswith(("file:", "data:", "blob:", "about:")):
            info.block(True)  # the network is off: nothing may leave

recorder = Recorder()
profile = QWebEngineProfile()  # off the record: no cache, no cookies
profile.setUrlRequestInterceptor(recorder)
page = QWebEnginePage(profile)
page.settings().setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, True)
view = QWebEngineView()
view.setPage(page)
view.resize(1400, 900)
view.show()
results, queue = {}, list(pages)

PROBE = '''(function () {
  var G = window.gisappBrief || {}, out = {};
  try {
  out.containers = document.querySelectorAll(".leaflet-container").length;
  out.overlays = Array.prototype.map.call(document.querySelectorAll(".leaflet-control-layers-overlays label"), function (l) { return l.textContent.trim(); });
  out.ready = document.documentElement.classList.contains("gb-ready");
  out.title = document.title;
  out.h1 = (document.querySelector("h1") || {}).textContent || "";
  out.h1Children = document.querySelector("h1") ? document.querySelector("h1").children.length : -1;
  if (G.openIncident) {
    var popups = [];
    [0, 1].forEach(function (i) { G.openIncident(i); var all = document.querySelectorAll(".leaflet-popup-content"); popups.push(all[all.length - 1].textContent); });
    out.popups = popups;
  }
  var tooltips = [];
  Object.keys(G.layers || {}).forEach(function (name) {
    var layer = G.layers[name];
    if (!layer.eachLayer || !G.map.hasLayer(layer)) return;
    var n = 0;
    layer.eachLayer(function (f) { if (f.getTooltip && f.getTooltip() && n++ < 400) { f.openTooltip(); var el = f.getTooltip().getElement(); if (el) tooltips.push(el.textContent); } });
  });
  out.tooltips = tooltips;
  out.labels = Array.prototype.map.call(document.querySelectorAll(".gb-label"), function (l) { return l.textContent; });
  out.injectedElements = document.querySelectorAll(".leaflet-pane img[src='x'], .leaflet-pane script").length;
  var box = function (sel) { var e = document.querySelector(sel); if (!e) return null; var r = e.getBoundingClientRect();
    return {left: r.left, top: r.top, width: r.width, height: r.height, visibility: getComputedStyle(e).visibility, display: getComputedStyle(e).display}; };
  out.viewport = [window.innerWidth, window.innerHeight];
  out.map = box(".folium-map"); out.side = box(".gb-side"); out.button = box("#gb-drawer-button");
  out.legend = box(".gb-map-legend"); out.north = box(".gb-north");
  out.layersExpanded = document.querySelector(".leaflet-control-layers").classList.contains("leaflet-control-layers-expanded");
  out.findings = Array.prototype.map.call(document.querySelectorAll(".gb-findings-list li"), function (l) { return l.textContent; });
  if (document.querySelector("#gb-drawer-button") && getComputedStyle(document.querySelector("#gb-drawer-button")).display !== "none") document.querySelector("#gb-drawer-button").click();
  } catch (error) { out.error = String(error) + " " + error.stack; }
  return JSON.stringify(out);
})()'''

def load_next():
    if not queue:
        app.quit()
        return
    name, path, wait, width, height = queue.pop(0)
    view.resize(width, height)
    recorder.urls.clear()
    def finished(ok):
        QTimer.singleShot(wait, lambda: page.runJavaScript(PROBE if name != "control" else "'{}'", lambda probe: settle(name, ok, probe)))
    def settle(name, ok, probe):
        # give an injected onerror (asynchronous) time to fire before the final look
        QTimer.singleShot(800, lambda: page.runJavaScript(
            "JSON.stringify({pwned: window.__pwned === undefined ? null : window.__pwned, resources: performance.getEntriesByType('resource').map(function (e) { return e.name; }), "
            "sideAfterClick: (function () { var e = document.querySelector('.gb-side'), r = e.getBoundingClientRect(); return {top: r.top, height: r.height, visibility: getComputedStyle(e).visibility}; })()})",
            lambda final: record(name, ok, probe, final)))
    def record(name, ok, probe, final):
        if name in shots:
            view.grab().save(shots[name])
        results[name] = {"loaded": ok, "probe": json.loads(probe or "{}"), "final": json.loads(final or "{}"), "requests": list(recorder.urls)}
        page.loadFinished.disconnect()
        load_next()
    page.loadFinished.connect(finished)
    view.load(QUrl.fromLocalFile(path))

QTimer.singleShot(0, load_next)
QTimer.singleShot(60000, app.quit)
app.exec()
print("RESULTS" + json.dumps(results))
"""


def open_in_browser(pages: list[tuple[str, str, int, int, int]], screenshots: dict) -> dict:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        # as root Chromium needs --no-sandbox; no GPU off screen
        "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox --disable-gpu --disable-background-networking --disable-component-update",
        "QTWEBENGINE_DISABLE_SANDBOX": "1",
    }
    shots = json.dumps({name: str(path) for name, path in screenshots.items()})
    proc = subprocess.run([sys.executable, "-c", DRIVER, json.dumps(pages), shots], capture_output=True, text=True, env=env, timeout=180)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULTS")]
    assert lines, f"the browser did not report (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
    return json.loads(lines[-1][len("RESULTS"):])


@pytest.fixture(scope="module")
def browsed(sample_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    content = with_injection(collect_content(Inputs(sample_dir / "county.gpkg")))
    briefing = build_briefing(content, BriefingOptions(title=f"简报{XSS_SCRIPT}", fields=["category", "description"]))
    page = folder / "brief.html"
    page.write_text(briefing.html, encoding="utf-8")
    control = folder / "control.html"
    control.write_text('<html><body><script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"></script></body></html>')
    shots = {"briefing": folder / "brief.png", "phone": folder / "phone.png"}
    results = open_in_browser([("control", str(control), 0, 1400, 900), ("briefing", str(page), 1500, 1400, 900),
                               ("phone", str(page), 1500, 390, 844)], shots)
    return briefing, results, shots


def test_leaflet_initialises_with_every_layer(browsed):
    briefing, results, _ = browsed
    probe = results["briefing"]["probe"]
    assert results["briefing"]["loaded"] and probe["ready"]
    assert probe["containers"] == 1
    assert probe["overlays"] == briefing.layers and len(probe["overlays"]) == 10


def test_no_request_leaves_the_machine(browsed):
    _, results, _ = browsed
    control = results["control"]["requests"]
    assert any(url.startswith("https://cdn.jsdelivr.net/") for url in control), "the interceptor saw nothing: the check would be empty"
    remote = [url for url in results["briefing"]["requests"] if not url.startswith(("file:", "data:", "blob:", "about:"))]
    assert remote == []
    assert [u for u in results["briefing"]["final"]["resources"] if u.startswith(("http:", "https:"))] == []


def test_injected_markup_runs_nothing_and_shows_as_text(browsed):
    _, results, _ = browsed
    probe, final = results["briefing"]["probe"], results["briefing"]["final"]
    assert final["pwned"] is None
    assert probe["injectedElements"] == 0
    assert XSS_SCRIPT in probe["popups"][0] and XSS_IMG in probe["popups"][1]
    assert XSS_IMG in probe["labels"]
    assert any(XSS_SCRIPT in text for text in probe["tooltips"])  # the route's tooltip
    assert probe["h1"] == f"简报{XSS_SCRIPT}" and probe["h1Children"] == 0 and probe["title"] == f"简报{XSS_SCRIPT}"


def test_screenshot_is_not_blank(browsed):
    _, _, shots = browsed
    from PIL import Image

    for name, size in (("briefing", (1400, 900)), ("phone", (390, 844))):
        with Image.open(shots[name]) as image:
            colours = image.convert("RGB").resize((140, 90)).getcolors(maxcolors=100_000)
        assert image.size == size and len(colours) > 200, name


def test_phone_layout_gives_the_map_the_screen_and_the_panel_a_drawer(browsed):
    briefing, results, _ = browsed
    phone, wide = results["phone"]["probe"], results["briefing"]["probe"]
    assert phone["viewport"] == [390, 844] and phone["ready"]
    assert phone["map"]["width"] >= 385 and phone["map"]["height"] >= 0.8 * 844  # not a 45 px sliver
    side = phone["side"]
    assert side["visibility"] == "hidden" or side["top"] >= 844  # the drawer is closed
    assert phone["button"]["display"] != "none" and phone["button"]["top"] < 844
    opened = results["phone"]["final"]["sideAfterClick"]
    assert opened["visibility"] == "visible" and opened["top"] < 844 * 0.5 and opened["height"] > 844 * 0.6
    assert not phone["layersExpanded"] and wide["layersExpanded"]
    for probe in (phone, wide):  # the Gi* legend and the north arrow are on the map
        assert probe["legend"]["width"] > 0 and probe["north"]["width"] > 0 and probe["legend"]["top"] < probe["viewport"][1] / 2
    # the wide page keeps the panel beside the map, and no drawer button
    assert wide["button"]["display"] == "none" and wide["side"]["visibility"] == "visible" and wide["side"]["left"] > wide["map"]["width"] - 1
    assert phone["findings"] == [f.text for f in [*briefing.findings.conclusions, *briefing.findings.actions]]
