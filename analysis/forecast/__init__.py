"""Anticipate (预测预警): forecasts per cell, their honest evaluation, early warnings and series profiles.

- :mod:`.surface`: the one forecast interface (``forecaster(history, grid, cutoff, horizon, settings) -> Surface``);
- :mod:`.baselines` (counts, KDE, Gi*), :mod:`.prospective` (Bowers, Johnson & Pease 2004),
  :mod:`.sepp` (Mohler et al. 2015), :mod:`.rtm` (Caplan & Kennedy, RTMDx);
- :mod:`.predict`: ``gisapp forecast``; :mod:`.evaluation`: ``gisapp evaluate`` (hit rate, PAI, PEI, log and Brier scores, verdicts);
- :mod:`.alerts`: ``gisapp alerts`` (预警); :mod:`.profile`: ``gisapp profile`` (串并案 geographic profile);
- :mod:`.outlook`: plain data for the briefing (next week's risk, the alert list);
- :mod:`.methods`: the declarations (standard library only).
"""
