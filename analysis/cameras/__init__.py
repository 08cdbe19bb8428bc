"""Cameras (天网): footprint geometry, coverage of incidents and hotspots, siting new cameras."""
