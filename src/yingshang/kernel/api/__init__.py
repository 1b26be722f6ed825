"""Kernel API routers, mounted under /api/v1 by yingshang.api."""
