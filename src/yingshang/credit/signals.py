"""Signal handlers: the check's per-process cache, and the name-search index on PostgreSQL."""

import logging

from django.db import DatabaseError, connections

logger = logging.getLogger("yingshang.credit")


def catalog_changed(sender, **kwargs) -> None:
    """List types, memoranda or measures changed in this process: drop the cached catalog now
    (other processes notice within CREDIT_MEASURES_RECHECK_SECONDS)."""
    from yingshang.credit.services.joint import CACHE

    CACHE.invalidate()


def create_search_index(sender, using="default", **kwargs) -> None:
    """A trigram index on subject names makes "name contains" searches fast on PostgreSQL.

    Not a model index because SQLite has no trigram indexes and the initial migration must run on
    both. pg_trgm is a trusted extension (PostgreSQL 13+), so the database owner may create it;
    without it the search still works, only slower (logged as a warning).
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute("CREATE INDEX IF NOT EXISTS credit_subject_name_trgm ON credit_subject "
                           "USING gin (name gin_trgm_ops)")
    except DatabaseError:
        logger.warning("could not create the trigram index for credit subject names (pg_trgm missing?)", exc_info=True)
