"""Chinese for the fixed English phrases the analyses put into their summaries.

The analyses describe some choices in an English sentence (why a cell size was
chosen, where the hotspot cells came from, which solver ran). The summaries
print them as they are in English; in Chinese each known phrase is rewritten
from the pattern below, its numbers kept. A phrase with no pattern here is
printed as it is rather than guessed at.
"""

from __future__ import annotations

import re

#: (English pattern, Chinese template with {1}, {2}, ... for the captured groups), tried in order.
PATTERNS: tuple[tuple[str, str], ...] = (
    # hotspot scale (gisapp.analysis.hotspots.scale and optimized)
    (r"cell size and neighbourhood as given", "格网大小与邻域按给定值"),
    (r"polygons: queen contiguity \(shared borders or corners\), since the polygons differ too much in size for one distance band",
     "面单元：后相邻（共边或共点），因各面大小相差太大，不宜用同一距离阈值"),
    (r"(\d+) locational outliers \(nearest neighbour > mean \+ 3 SD\) left out of the scale choice",
     "{1} 个位置离群点（最近邻距离大于均值加 3 倍标准差）不参与尺度选择"),
    (r"cell size (\S+) m = max\(mean NN (\S+) m, median NN (\S+) m\) × (\S+)",
     "格网大小 {1} 米 = max（平均最近邻距离 {2} 米，中位最近邻距离 {3} 米）× {4}"),
    (r"distance band (\S+) m: first peak of Moran's I z \((\S+)\) over (\d+) bands from (\S+) m",
     "距离阈值 {1} 米：自 {4} 米起 {3} 个距离段中，全局莫兰指数 z 值的第一个峰值（{2}）"),
    (r"no peak of Moran's I z over (\d+) bands; band (\S+) m = mean distance to the (\d+)th nearest cell",
     "{1} 个距离段中莫兰指数 z 值没有峰值；距离阈值 {2} 米 = 到第 {3} 近单元的平均距离"),
    (r"Moran's I z has no peak over (\d+) bands from (\S+) m; band (\S+) m = mean distance to the (\d+)th nearest cell \(ArcGIS's fallback\)",
     "自 {2} 米起 {1} 个距离段中莫兰指数 z 值没有峰值；距离阈值 {3} 米 = 到第 {4} 近单元的平均距离（ArcGIS 的备用规则）"),
    (r"the highest peak of Moran's I z \((\S+) at (\S+) m\) is not significantly positive \(z < (\S+)\), so it is no evidence of "
     r"clustering at that distance; band (\S+) m = mean distance to the (\d+)th nearest cell \(ArcGIS's fallback\)",
     "莫兰指数 z 值的最高峰（{2} 米处 {1}）不显著为正（z < {3}），不能说明该距离上存在聚集；距离阈值 {4} 米 = 到第 {5} 近单元的平均距离（ArcGIS 的备用规则）"),
    (r"band capped at one standard distance, (\S+) m \(was (\S+) m\)", "距离阈值以一个标准距离 {1} 米为上限（原为 {2} 米）"),
    (r"band raised to one cell so every cell has neighbours", "距离阈值提高到一个格网大小，使每个单元都有邻居"),
    # neighbourhoods of values per unit (gisapp.analysis.hotspots.values)
    (r"polygons: queen contiguity \(shared borders or corners\)", "面单元：后相邻（共边或共点）"),
    (r"distance band (\S+) m between points, as given", "点间距离阈值 {1} 米（给定）"),
    (r"distance band (\S+) m between centroids, as given", "质心间距离阈值 {1} 米（给定）"),
    (r"(queen contiguity|rook contiguity), as given", "{1}（给定）"),
    (r"(\d+) nearest neighbours, as given", "{1} 个最近邻（给定）"),
    # neighbourhoods (gisapp.analysis.stats.weights)
    (r"distance band", "距离阈值"),
    (r"(\d+) nearest neighbours", "{1} 个最近邻"),
    (r"queen contiguity", "后相邻"),
    (r"rook contiguity", "车相邻"),
    # hotspot cells judged against (gisapp.analysis.core.layer_inputs)
    (r"computed: Getis-Ord Gi\* on (\S+) m square cells, (\S+) m distance band, FDR-corrected bins, over the selected incidents",
     "按所选警情计算：Getis-Ord Gi*，{1} 米正方形格网，{2} 米距离阈值，FDR 校正分级"),
    (r"hotspot layer given \((\d+) cells\)", "给定的热点图层（{1} 个单元）"),
    (r"computed as 'gisapp hotspot' does: Getis-Ord Gi\* on (\S+) m square cells \(chosen automatically\), (\S+) m distance band "
     r"\(chosen automatically\), FDR-corrected bins, over the selected incidents",
     "按 gisapp hotspot 的方法计算：Getis-Ord Gi*，{1} 米正方形格网（自动选择），{2} 米距离阈值（自动选择），FDR 校正分级，基于所选警情"),
    (r"computed as 'gisapp hotspot' does: Getis-Ord Gi\* on (\S+) m square cells \(as given\), (\S+) m distance band "
     r"\(chosen automatically\), FDR-corrected bins, over the selected incidents",
     "按 gisapp hotspot 的方法计算：Getis-Ord Gi*，{1} 米正方形格网（给定），{2} 米距离阈值（自动选择），FDR 校正分级，基于所选警情"),
    # cameras (gisapp.analysis.cameras)
    (r"hotspot cell \(gi_bin >= (-?\d+)\) where cameras see under (\S+) of its incidents",
     "gi_bin ≥ {1} 的热点单元中，摄像头看到的警情不足 {2}"),
    (r"1 per incident", "每起计 1"),
    (r"every (\S+) m along roads plus junctions", "沿道路每 {1} 米一个，加路口"),
    (r"road junctions", "路口"),
    (r"road vertices and junctions", "道路节点与路口"),
    (r"(.+): Optimal", "{1}：最优解"),
    (r"(.+) \(time limit reached: best found, not proven optimal\)", "{1}（达到时限：为已找到的最好解，未证明最优）"),
    (r"sparse MCLP in PuLP \+ CBC", "PuLP + CBC 稀疏最大覆盖模型"),
    (r"spopt MCLP\.from_cost_matrix \+ CBC", "spopt 最大覆盖模型 + CBC"),
    (r"greedy \(lazy exact gains\)(.*)", "贪心法（惰性精确增益）{1}"),
    # trends (gisapp.analysis.spacetime.temporal)
    (r"no significant trend", "无显著趋势"),
    (r"rising", "显著上升"),
    (r"falling", "显著下降"),
)
_COMPILED = tuple((re.compile(pattern), template) for pattern, template in PATTERNS)


def chinese(text) -> str:
    """``text`` in Chinese when it is one of the known phrases (recursively for nested ones), else unchanged."""
    text = "" if text is None else str(text)
    for pattern, template in _COMPILED:
        match = pattern.fullmatch(text.strip())
        if match:
            return template.format(None, *(chinese(group) if group else "" for group in match.groups()))
    return text


def said(text, t) -> str:
    """``text`` in the language ``t`` (a summary's chooser) speaks: Chinese for the known phrases, else as given."""
    return t(chinese(text), "" if text is None else str(text))
