"""营商 Yingshang — the platform package."""

__version__ = "0.1.0"
