"""Markup planted in the sample county's text fields, for the escaping tests (unit and browser)."""

from __future__ import annotations

import copy

XSS_SCRIPT = "<script>window.__pwned=1</script>"
XSS_IMG = '<img src=x onerror="window.__pwned=2">'


def with_injection(content):
    """A copy of the county whose first incidents, an area and a route carry HTML."""
    content = copy.copy(content)
    incidents = content.incidents.copy()
    incidents.iloc[0, incidents.columns.get_loc("description")] = XSS_SCRIPT
    incidents.iloc[1, incidents.columns.get_loc("description")] = XSS_IMG
    content.incidents = incidents
    areas = content.areas.copy()
    areas.iloc[0, areas.columns.get_loc("name")] = XSS_IMG
    content.areas = areas
    routes = content.routes.copy()
    routes.iloc[0, routes.columns.get_loc("name")] = XSS_SCRIPT
    content.routes = routes
    return content
