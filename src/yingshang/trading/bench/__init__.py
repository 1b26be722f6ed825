"""Benchmarks of the trading app (`yingshang bench`): one module per part."""
