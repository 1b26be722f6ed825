"""Benchmarks of the trading app (`yingshang bench --only trading`); one module per part."""
