"""Read-only queries shared by the public guide pages and the API (their query counts are tested)."""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from yingshang.catalog import search
from yingshang.catalog.choices import TAG_FIELDS, ItemType, Kind
from yingshang.catalog.models import JointDepartment, ProcessStep, ServiceItem, ServiceItemVersion, Theme
from yingshang.catalog.services import in_force_q
from yingshang.kernel.errors import InvalidInput, NotFound
from yingshang.kernel.models import Department

MAX_CURSOR_CHARS = 300
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Filters:
    q: str = ""
    department: str = ""  # department code: owning or involved
    item_type: str = ""
    kind: str = ""
    tags: tuple[str, ...] = ()
    theme: str = ""  # theme code (主题服务)

    @classmethod
    def clean(cls, q="", department="", item_type="", kind="", tags=(), theme="") -> Filters:
        """Unknown filter values are dropped (a stale link still shows a list), not errors."""
        theme = str(theme or "").strip().lower()[:40]
        return cls(
            q=str(q or "").strip()[: search.MAX_QUERY_CHARS],
            department=str(department or "").strip()[:40],
            item_type=item_type if item_type in ItemType.values else "",
            kind=kind if kind in Kind.values else "",
            tags=tuple(t for t in TAG_FIELDS if t in set(tags or ())),
            theme=theme if _SLUG.fullmatch(theme) else "",
        )


def in_force(on_date: date) -> QuerySet:
    return ServiceItemVersion.objects.filter(in_force_q(on_date)).select_related("item", "item__department")


def find(filters: Filters, on_date: date) -> tuple[QuerySet, list[str]]:
    """Versions in force on the day matching the filters, best first; and the words searched for."""
    versions = in_force(on_date)
    if filters.department:
        involved = JointDepartment.objects.filter(department__code=filters.department).values("version_id")
        versions = versions.filter(Q(item__department__code=filters.department) | Q(pk__in=involved))
    if filters.item_type:
        versions = versions.filter(item_type=filters.item_type)
    if filters.kind:
        versions = versions.filter(kind=filters.kind)
    for tag in filters.tags:
        versions = versions.filter(**{tag: True})
    if filters.theme:
        versions = versions.filter(item__themes__code=filters.theme, item__themes__is_active=True)
    terms = search.query_terms(filters.q)
    if terms:
        return search.matching(versions, terms).order_by("-rank", "item__code"), terms
    return versions.order_by("item__code"), terms


def guide_departments(on_date: date) -> QuerySet:
    """Departments that own an item in force (for the filter), one query."""
    owners = ServiceItemVersion.objects.filter(in_force_q(on_date)).values("item__department_id")
    return Department.objects.filter(pk__in=owners).order_by("sort_order", "path").only("code", "name", "short_name")


# --- Themes and the most used items (the portal home page) ---------------------------------------
def themes(on_date: date) -> list[Theme]:
    """Active themes in order, each with `n`, its items with a version in force on the day (1 query)."""
    in_force_items = ServiceItemVersion.objects.filter(in_force_q(on_date)).values("item_id")
    return list(Theme.objects.filter(is_active=True)
                .annotate(n=Count("items", filter=Q(items__in=in_force_items), distinct=True))
                .order_by("audience", "sort_order", "code"))


def theme(code: str) -> Theme | None:
    """The active theme with this code, or None (1 query; none for an empty code)."""
    return Theme.objects.filter(code=code, is_active=True).first() if code else None


def most_used(on_date: date, usage: list[tuple[int, int]], limit: int) -> list[ServiceItemVersion]:
    """Versions in force of the most used items (`usage`: item id and count, most used first), filled up to
    `limit` with further items in catalog order when fewer were used (at most 2 queries)."""
    rank = {}
    for item_id, _count in usage:
        rank.setdefault(item_id, len(rank))
    used = sorted(in_force(on_date).filter(item_id__in=list(rank)), key=lambda v: rank[v.item_id])[:limit] \
        if rank else []
    if len(used) < limit:
        used += list(in_force(on_date).exclude(item_id__in=[v.item_id for v in used])
                     .order_by("item__code")[: limit - len(used)])
    return used


# --- Cursor pagination (API) ------------------------------------------------------------------------
def encode_cursor(version: ServiceItemVersion, ranked: bool) -> str:
    key = [getattr(version, "rank", 0), version.item.code] if ranked else [version.item.code]
    return base64.urlsafe_b64encode(json.dumps(key, ensure_ascii=False).encode()).decode().rstrip("=")


def _decode(cursor: str, ranked: bool) -> list:
    bad = InvalidInput("catalog.bad_cursor", "分页游标无效：请使用上一页响应中的 next_cursor 原样传回", status=422)
    if len(cursor) > MAX_CURSOR_CHARS:
        raise bad
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise bad from None
    shape_ok = isinstance(key, list) and len(key) == (2 if ranked else 1) and isinstance(key[-1], str)
    if not shape_ok or (ranked and (not isinstance(key[0], int) or isinstance(key[0], bool))):
        raise bad
    return key


def page_after(versions: QuerySet, cursor: str | None, limit: int, ranked: bool) -> tuple[list, str | None]:
    """One page of at most `limit` versions after the cursor (keyset: no OFFSET), and the next cursor."""
    if cursor:
        key = _decode(cursor, ranked)
        if ranked:
            versions = versions.filter(Q(rank__lt=key[0]) | Q(rank=key[0], item__code__gt=key[1]))
        else:
            versions = versions.filter(item__code__gt=key[0])
    rows = list(versions[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (encode_cursor(rows[-1], ranked) if more and rows else None)


# --- One item ---------------------------------------------------------------------------------------
def detail(code: str, on_date: date) -> tuple[ServiceItem, ServiceItemVersion]:
    """The item and its version in force on the day with every content row (7 queries), or NotFound."""
    item = ServiceItem.objects.select_related("department").filter(code=str(code).strip().upper()[:64]).first()
    if item is None:
        raise NotFound("catalog.item_not_found", f"没有编码为“{code}”的事项")
    version = (
        item.versions.filter(in_force_q(on_date)).order_by("-valid_from", "-number")
        .prefetch_related(
            "materials", "fees",
            Prefetch("steps", queryset=ProcessStep.objects.select_related("department")),
            Prefetch("joint_departments", queryset=JointDepartment.objects.select_related("department")),
            Prefetch("halls", queryset=Department.objects.order_by("code")),
        ).first()
    )
    if version is None:
        raise NotFound("catalog.not_in_force", f"事项“{code}”在 {on_date} 没有有效的版本（尚未发布或已废止）",
                       details={"code": item.code, "date": on_date.isoformat()})
    version.item = item
    return item, version


def stages(version: ServiceItemVersion) -> list[tuple[int, list[ProcessStep]]]:
    """Steps grouped by stage, in order (parallel steps share a stage)."""
    grouped: dict[int, list[ProcessStep]] = {}
    for step in version.steps.all():
        grouped.setdefault(step.stage, []).append(step)
    return sorted(grouped.items())
