"""Back-office maintenance of the catalog (holders of catalog.manage): items, versions, themes, Excel."""

from yingshang.catalog.admin import items, themes, versions  # noqa: F401
