"""Where incidents concentrate: Gi* hot spots with automatic scale, local Moran (LISA), kernel density, concentration, forecast evaluation."""
