"""Background jobs of the trading app (Huey; discovered as `<app>.tasks`)."""

from __future__ import annotations

from huey import crontab

from yingshang.kernel.jobs import periodic


@periodic(crontab(minute="*"))
def sweep_openings() -> int:
    """Every minute: open lots whose deadline came, close decryption windows that ended (appended by the opening work)."""
    from yingshang.kernel.context import acting_as
    from yingshang.trading.management.commands.opening import SYSTEM
    from yingshang.trading.services.opening_decrypt import sweep

    with acting_as(SYSTEM):
        return len(sweep())
