"""The catalog's sections of the portal home page (kernel.portal): search, most used items, themes.

Thin edges like the views: read the day, call the queries, hand the data to the section templates.
How often an item is used comes from the `ITEM_USAGE` hook (the cases app counts its cases), so the
catalog does not import the apps that use it.
"""

from __future__ import annotations

from django.utils import timezone

from yingshang.catalog import queries
from yingshang.catalog.choices import ThemeAudience
from yingshang.kernel import access, hooks

MOST_USED = 8


def search_section(request) -> dict:
    return {}


def most_used_section(request) -> dict | None:
    today = timezone.localdate()
    usage = hooks.ITEM_USAGE.run(limit=MOST_USED * 2, today=today)  # twice: some may no longer be in force
    versions = queries.most_used(today, usage, MOST_USED)
    return {"versions": versions} if versions else None


def themes_section(request) -> dict | None:
    themes = [t for t in queries.themes(timezone.localdate()) if t.n]
    if not themes:
        return None
    groups = [(value, label, [t for t in themes if t.audience == value]) for value, label in ThemeAudience.choices]
    if access.has_role(request.user, access.ENTERPRISE):  # an enterprise's own stages first
        groups.sort(key=lambda group: group[0] != ThemeAudience.ENTERPRISE)
    return {"groups": [(label, rows) for _value, label, rows in groups if rows]}


def register() -> None:
    from yingshang.kernel import portal

    portal.register_section("catalog-search", "catalog/portal/_search.html", search_section, slot=portal.HERO,
                            order=10, replace=True)
    portal.register_section("catalog-most-used", "catalog/portal/_most_used.html", most_used_section, order=20,
                            replace=True)
    portal.register_section("catalog-themes", "catalog/portal/_themes.html", themes_section, order=30, replace=True)
