"""``gisapp emerging | nearrepeat | evaluate | compare`` on the sample county: outputs, parameters, figures, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

import matplotlib
import matplotlib.image
import pandas as pd
import pytest

from gisapp.cli import main
from gisapp.layers.project import load_project


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def county(sample_dir):
    return sample_dir / "county.gpkg"


def _png_ok(path) -> None:
    image = matplotlib.image.imread(path)
    assert image.shape[0] > 300 and image.shape[1] > 300


def _params_of(path) -> dict:
    project = load_project(path)
    layer = next(iter(project.layers))
    return layer.params


def test_emerging_writes_cells_with_categories_and_parameters(capsys, county, tmp_path):
    out, png = tmp_path / "emerging.gpkg", tmp_path / "emerging.png"
    code, stdout, _ = run_cli(capsys, "emerging", county, "--cell", "300", "--out", out, "--png", png, "--json")
    assert code == 0
    summary = json.loads(stdout)
    assert summary["steps"] == 24 and summary["categories"]["persistent_hot"] > 0
    assert sum(summary["categories"].values()) == summary["locations"]
    params = _params_of(out)
    assert params["method"] == "emerging" and params["params"]["cell_size"] == 300 and params["params"]["k"] == 1
    assert params["resolved"]["emerging"]["cell_size"] == 300 and params["summary"]["locations"] == summary["locations"]
    layer = load_project(out).layers[0].data
    assert {"category", "category_zh", "trend_z", "trend_p", "hot_bins", "cold_bins"} <= set(layer.columns)
    _png_ok(png)


def test_nearrepeat_table_csv_and_heat_table(capsys, county, tmp_path):
    out, csv, png = tmp_path / "nr.gpkg", tmp_path / "knox.csv", tmp_path / "knox.png"
    code, stdout, _ = run_cli(
        capsys, "nearrepeat", county, "--category", "入室盗窃", "--within", "乐安镇网格", "--from", "2025-03-01", "--to", "2025-06-30",
        "--permutations", "199", "--classify", "200,7", "--out", out, "--csv", csv, "--png", png,
    )
    assert code == 0
    assert "101-200 m" in stdout and "near repeats" in stdout
    table = pd.read_csv(csv, encoding="utf-8-sig")
    assert list(table.columns[:4]) == ["distance_band", "time_band", "距离", "时间"]
    near = table[(table["distance_band"] == "101-200 m") & (table["time_band"] == "0-7 days")].iloc[0]
    assert near["p_value"] <= 0.01 and near["knox_ratio"] > 2
    recorded = _params_of(out)
    assert recorded["params"]["permutations"] == 199 and recorded["params"]["classify"] == [200.0, 7.0]
    assert recorded["resolved"]["knox"]["permutations"] == 199
    _png_ok(png)


def test_evaluate_json_and_figure(capsys, county, tmp_path):
    out, png, csv = tmp_path / "ev.gpkg", tmp_path / "ev.png", tmp_path / "rolling.csv"
    code, stdout, _ = run_cli(capsys, "evaluate", county, "--category", "扒窃", "--from", "2025-07-01", "--method", "counts,kde",
                              "--coverage", "1,5", "--out", out, "--png", png, "--csv", csv, "--json")
    assert code == 0
    summary = json.loads(stdout)
    assert summary["test_periods"] == 5 and set(summary["latest"]["methods"]) == {"counts", "kde"}
    assert summary["mean"]["kde"]["pai_1"] > 10
    assert len(pd.read_csv(csv, encoding="utf-8-sig")) == 10
    _png_ok(png)


def test_compare_markets_exports_tables_and_figures(capsys, county, tmp_path):
    out, folder = tmp_path / "cmp.gpkg", tmp_path / "report"
    code, stdout, _ = run_cli(capsys, "compare", county, "--areas", "market,urban_fringe", "--market-days", "cycle:3@2024-01-01",
                              "--out", out, "--export-dir", folder)
    assert code == 0
    assert "rates per 10,000 residents are omitted" in stdout  # areas have no population: said, not divided by zero
    assert "market days x" in stdout
    for name in ("areas.csv", "category_mix.csv", "hour_weekday.csv", "monthly.csv", "market_day.csv", "summary.json"):
        assert (folder / name).exists(), name
    for name in ("area_change.png", "hour_weekday.png", "monthly.png", "market_day.png"):
        _png_ok(folder / name)
    effect = pd.read_csv(folder / "market_effect.csv", encoding="utf-8-sig").set_index("area")
    assert effect.loc["西门市场", "rate_ratio"] > 2


def test_compare_townships_has_rates(capsys, county, tmp_path):
    code, stdout, _ = run_cli(capsys, "compare", county, "--townships", "--period-a", "2024-01-01:2024-12-31",
                              "--period-b", "2025-01-01:2025-12-31", "--out", tmp_path / "tw.gpkg", "--json")
    assert code == 0
    areas = {row["name"]: row for row in json.loads(stdout)["areas"]}
    assert areas["乐安镇"]["rate_10k"] > 0 and areas["乐安镇"]["population"] == 22000


@pytest.mark.parametrize(
    "args, message",
    [
        (["nearrepeat", "{county}", "--time-bands", "0,14,7"], "--time-bands takes numbers separated by commas in increasing order"),
        (["nearrepeat", "{county}", "--permutations", "5000000"], "permutations"),
        (["emerging", "{county}", "--from", "2025-03-01", "--to", "2025-03-31"], "single month"),
        (["evaluate", "{county}", "--from", "2025-03-01", "--to", "2025-03-31"], "at least 2"),
        (["evaluate", "{county}", "--from", "2026-01-01"], "leave no incidents"),
        (["compare", "{county}", "--areas", "airport"], "No area has the type or name airport"),
        (["compare", "{county}", "--areas", "market", "--period-a", "2024-01-01"], "FROM:TO"),
    ],
)
def test_bad_input_gives_one_line_and_exit_code_2(capsys, county, tmp_path, args, message):
    code, _, stderr = run_cli(capsys, *[a.format(county=county) for a in args], "--out", tmp_path / "x.gpkg")
    assert code == 2
    assert message in stderr and len(stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("command", ["emerging", "nearrepeat", "evaluate"])
def test_incidents_without_timestamps_are_refused(capsys, tmp_path, command):
    csv = tmp_path / "no_time.csv"
    csv.write_text("经度,纬度,案件类别\n" + "".join(f"{105.09 + k * 1e-4},{31.09 + k * 1e-4},盗窃\n" for k in range(40)), encoding="utf-8")
    code, _, stderr = run_cli(capsys, command, csv, "--out", tmp_path / "x.gpkg")
    assert code == 2 and "no occurred_at" in stderr


def test_a_real_process_exits_2_without_traceback(county, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "gisapp", "nearrepeat", str(county), "--distance-bands", "0,200,100", "--out", str(tmp_path / "x.gpkg")],
        capture_output=True, text=True,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "--distance-bands takes numbers separated by commas in increasing order" in result.stderr


# --------------------------------------------------------------------------- Chinese fonts


def test_a_chinese_font_is_used_when_installed():
    from gisapp.charts import fonts

    fonts.use_chinese_font.cache_clear()
    if not fonts.installed_chinese_fonts():
        pytest.skip("no CJK font installed (install fonts-noto-cjk)")
    name = fonts.use_chinese_font()
    assert name in fonts.CJK_FONTS
    assert matplotlib.rcParams["font.sans-serif"][0] == name and matplotlib.rcParams["axes.unicode_minus"] is False


def test_missing_chinese_fonts_warn_and_never_crash(monkeypatch):
    from gisapp.charts import fonts
    from gisapp.charts.knox import knox_heat_table

    fonts.use_chinese_font.cache_clear()
    monkeypatch.setattr(fonts, "installed_chinese_fonts", list)
    with pytest.warns(fonts.NoChineseFontWarning, match="fonts-noto-cjk"):
        assert fonts.use_chinese_font() is None
    knox = {"distance_bands": ["a", "b"], "time_bands": ["x", "y"], "observed": [[1, 2], [3, 4]], "expected": [[1, 1], [1, 1]],
            "knox_ratio": [[1.0, 2.0], [None, 4.0]], "p_value": [[0.5, 0.01], [1.0, 0.001]], "permutations": 99}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert knox_heat_table(knox) is not None
    fonts.use_chinese_font.cache_clear()



def test_forecast_alerts_profile_and_the_evaluation_verdict(capsys, county, tmp_path):
    code, stdout, _ = run_cli(capsys, "forecast", county, "--method", "sepp", "--category", "盗窃", "--cell", "400", "--train-to", "2025-11-30",
                              "--out", tmp_path / "f.gpkg", "--json")
    summary = json.loads(stdout)
    assert code == 0 and summary["parameters"]["converged"] in (True, False) and "theta" in summary["parameters"]
    assert summary["forecast_from"] == "2025-12-01" and summary["forecast_to"] == "2025-12-07"
    code, stdout, _ = run_cli(capsys, "alerts", county, "--unit", "grids", "--step", "month", "--out", tmp_path / "a.gpkg", "--json")
    assert code == 0 and json.loads(stdout)["latest_step"] == "2025-12"
    truth = json.loads((county.parent / "truth.json").read_text(encoding="utf-8"))["b"]
    ids = ",".join(case for chain in truth["chains"] for case in chain)
    anchor = f"{truth['offender_anchor']['lon']},{truth['offender_anchor']['lat']}"
    code, stdout, _ = run_cli(capsys, "profile", county, "--ids", ids, "--anchor", anchor, "--out", tmp_path / "p.gpkg", "--json")
    assert code == 0 and json.loads(stdout)["hit_score_pct"] < 10
    table = tmp_path / "table.csv"
    code, stdout, _ = run_cli(capsys, "evaluate", county, "--category", "扒窃", "--from", "2025-07-01", "--method", "counts,prospective",
                              "--coverage", "5", "--out", tmp_path / "e.gpkg", "--table-csv", table, "--json")
    verdict = pd.read_csv(table, encoding="utf-8-sig").set_index("method").loc["prospective", "verdict"]
    assert code == 0 and verdict in ("beats last period's counts", "does not beat last period's counts")


@pytest.mark.parametrize(
    "args, message",
    [
        (["forecast", "{county}", "--train-to", "2026-02-01"], "after the last incident"),
        (["profile", "{county}", "--ids", "A2025004562,A2025004562,A2025004615,A2025004782,A2025004847"], "same case more than once"),
        (["profile", "{county}"], "either by --ids"),
        (["alerts", "{county}", "--from", "2025-11-15"], "complete weeks of history"),
        (["forecast", "{county}", "--method", "rtm", "--factors", "areas:airport"], "no feature of areas has the type or name"),
    ],
)
def test_anticipation_bad_input_gives_one_line(capsys, county, tmp_path, args, message):
    code, _, stderr = run_cli(capsys, *[a.format(county=county) for a in args], "--out", tmp_path / "x.gpkg")
    assert code == 2 and message in stderr and len(stderr.strip().splitlines()) == 1, stderr
