"""Signal handlers: the check's per-process cache."""


def catalog_changed(sender, **kwargs) -> None:
    """List types, memoranda or measures changed in this process: drop the cached catalog now
    (other processes notice within CREDIT_MEASURES_RECHECK_SECONDS)."""
    from yingshang.credit.services.joint import CACHE

    CACHE.invalidate()
