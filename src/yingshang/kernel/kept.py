"""Records a refusal keeps: a service that refuses (raises a ServiceError) rolls back everything it did, but
some facts must stay — that a blacklisted bidder was checked and barred, say. The service attaches them with
`exc.keep(callable)`; the edge calls `run_kept(exc)` after the rollback, in a transaction of its own."""

from __future__ import annotations

import logging

from django.db import transaction

from yingshang.kernel.errors import ServiceError

logger = logging.getLogger(__name__)


def run_kept(exc: ServiceError) -> None:
    records, exc.kept = list(getattr(exc, "kept", ())), []
    if not records:
        return
    try:
        with transaction.atomic():
            for record in records:
                record()
    except Exception:  # the refusal itself must still reach the user
        logger.exception("could not keep the records of a refusal (%s)", exc.code)
