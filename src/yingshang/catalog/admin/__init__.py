"""Back-office maintenance of the catalog (holders of catalog.manage): items, versions, Excel."""

from yingshang.catalog.admin import items, versions  # noqa: F401
