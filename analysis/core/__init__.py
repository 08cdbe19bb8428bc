"""Shared foundations of the analyses: results, aggregation into cells, layer inputs, time steps, road networks."""
