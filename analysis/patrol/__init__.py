"""Patrols: route exposure, planned hotspot tours (orienteering) and Koper-curve dosage."""
