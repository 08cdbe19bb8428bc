"""Summary of ``gisapp concentration`` (the 80/20 rule)."""

from __future__ import annotations


def describe(s: dict, t) -> list[str]:
    tops = s["by"][s["axis"]]["incidents_in_top"]
    lines = [
        t(s["sentence_zh"], s["sentence"]),
        t(f"  {s['places']:,} 个地点，{s['places_with_incidents']:,} 个有警情；计入 {s['incidents']:,} 起，{s['incidents_outside']:,} 起不在任何地点",
          f"  {s['places']:,} places, {s['places_with_incidents']:,} with incidents; {s['incidents']:,} incidents counted, "
          f"{s['incidents_outside']:,} outside every place"),
        t("  前 " + "，".join(f"{k}%：{v:.1%}" for k, v in tops.items()) + " 的警情",
          "  top " + ", ".join(f"{k} %: {v:.1%}" for k, v in tops.items()) + " of incidents"),
        t(f"  基尼系数 {s['gini']:.3f}（有警情的地点 {s['gini_active']:.3f}）", f"  Gini {s['gini']:.3f} (places with incidents {s['gini_active']:.3f})"),
    ]
    if s.get("png"):
        lines.append(t(f"  曲线 {s['png']}", f"  curve {s['png']}"))
    return lines
