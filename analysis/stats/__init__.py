"""Statistics shared by the methods: spatial weights, Gi* and Moran kernels, permutation inference, FDR, trend and rate tests, ellipses."""
