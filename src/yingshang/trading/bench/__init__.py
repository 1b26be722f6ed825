"""Benchmarks of the trading app (discovered by `yingshang bench`)."""
