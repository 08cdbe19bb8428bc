"""Groups of incidents: density-based clustering (HDBSCAN, DBSCAN, OPTICS), CrimeStat NNH and k-means."""
