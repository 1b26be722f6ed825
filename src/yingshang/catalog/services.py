"""The catalog's state changes: items, drafts, publication and retirement, each audited.

Lifecycle: `do_create_item` (version 1 as a draft) → edit the draft (`do_update_draft`) →
`do_publish(version, valid_from)` closes the previous version's window the day before and makes the
new one immutable → later edits are a new draft (`do_create_draft`) → `do_retire` ends the item.
A case stores the version it started with; `version_in_force(item, day)` answers which one applied.
Services never commit: callers wrap them in `transaction.atomic()`.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, timedelta

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Max, Q
from django.utils import timezone

from yingshang.catalog import rules
from yingshang.catalog.checks import check_publishable, check_structure, department_problems
from yingshang.catalog.choices import Level, Status
from yingshang.catalog.content import VERSION_FIELDS, VersionContent, content_of
from yingshang.catalog.models import Fee, JointDepartment, Material, ProcessStep, ServiceItem, ServiceItemVersion, Theme
from yingshang.kernel import access
from yingshang.kernel.errors import Conflict, InvalidInput, NotFound
from yingshang.kernel.models import Department
from yingshang.kernel.services.audit import record

MANAGE = "catalog.manage"
NOT_DRAFT = (Status.PUBLISHED, Status.RETIRED)


def check_manage(user) -> None:
    """Only holders of catalog.manage (administrators) maintain the catalog."""
    access.check_perm(user, MANAGE)


# --- Reading --------------------------------------------------------------------------------------
def in_force_q(on_date: date, prefix: str = "") -> Q:
    """Versions whose validity window contains the day (published, or retired later than that day)."""
    p = prefix
    return (Q(**{f"{p}status__in": NOT_DRAFT, f"{p}valid_from__lte": on_date})
            & (Q(**{f"{p}valid_to__isnull": True}) | Q(**{f"{p}valid_to__gte": on_date})))


def version_in_force(item: ServiceItem, on_date: date | None = None) -> ServiceItemVersion | None:
    """The version of the item that applied on the day (today by default), or None."""
    on_date = on_date or timezone.localdate()
    return item.versions.filter(in_force_q(on_date)).order_by("-valid_from", "-number").first()


def get_item(code: str) -> ServiceItem:
    item = ServiceItem.objects.select_related("department").filter(code=str(code).strip().upper()).first()
    if item is None:
        raise NotFound("catalog.item_not_found", f"没有编码为“{code}”的事项")
    return item


def latest_version(item: ServiceItem, *, drafts: bool = True) -> ServiceItemVersion | None:
    versions = item.versions.all() if drafts else item.versions.filter(status__in=NOT_DRAFT)
    return versions.order_by("-number").first()


def _summary(version: ServiceItemVersion, content: VersionContent | None = None) -> dict:
    data = {"item": version.item.code, "number": version.number, "status": version.status,
            "valid_from": version.valid_from, "valid_to": version.valid_to}
    if content is not None:
        data["content"] = content.comparable()
    return data


# --- Items and drafts -----------------------------------------------------------------------------
def check_new_item(code: str, level: str, department: Department) -> str:
    """The normalised code of a new item; refuses a bad or taken code, or a department of another level."""
    code = str(code or "").strip().upper()
    if not rules.valid_item_code(code):
        raise InvalidInput("catalog.code_format", f"事项编码“{code}”格式不正确：应为 4–64 位大写字母、数字或连字符")
    if level not in Level.values:
        raise InvalidInput("catalog.level", f"层级“{level}”无效，应为 {'、'.join(Level.values)}")
    problems = department_problems(department, level)
    if problems:
        raise InvalidInput(problems[0].code, problems[0].message)
    if ServiceItem.objects.filter(code=code).exists():
        raise Conflict("catalog.code_taken", f"事项编码“{code}”已存在")
    return code


def do_create_item(code: str, level: str, department: Department, content: VersionContent,
                   change_note: str = "") -> ServiceItemVersion:
    """A new item with its first version as a draft."""
    code = check_new_item(code, level, department)
    resolved = check_structure(content)
    item = ServiceItem.objects.create(code=code, level=level, department=department)
    record("catalog.item.create", item, after={"code": code, "level": level, "department": department.code})
    return _new_version(item, 1, content, resolved, change_note or "新建事项")


def do_create_draft(item: ServiceItem, content: VersionContent | None = None, change_note: str = "") -> ServiceItemVersion:
    """A new draft of the item: the given content, or a copy of its latest version. One draft at a time."""
    ServiceItem.objects.select_for_update().filter(pk=item.pk).first()  # serialise drafting of one item
    if item.versions.filter(status=Status.DRAFT).exists():
        raise Conflict("catalog.draft_exists", f"事项“{item.code}”已有草稿，请先发布或删除该草稿")
    if content is None:
        latest = latest_version(item)
        if latest is None:
            raise InvalidInput("catalog.nothing_to_copy", "该事项还没有任何版本可供复制")
        content = content_of(latest)
    resolved = check_structure(content)
    number = (item.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return _new_version(item, number, content, resolved, change_note)


def _new_version(item, number, content, resolved, change_note) -> ServiceItemVersion:
    version = ServiceItemVersion(item=item, number=number, status=Status.DRAFT, change_note=change_note[:200],
                                 **{name: content.fields[name] for name in VERSION_FIELDS})
    version.save()
    _write_rows(version, content, resolved)
    record("catalog.version.create_draft", version, after=_summary(version, content), note=change_note[:200])
    return version


def do_update_draft(version: ServiceItemVersion, content: VersionContent, change_note: str | None = None) -> ServiceItemVersion:
    """Replace a draft's content (published versions never change)."""
    _require_draft(version)
    resolved = check_structure(content)
    before = content_of(version)
    for name in VERSION_FIELDS:
        setattr(version, name, content.fields[name])
    if change_note is not None:
        version.change_note = change_note[:200]
    version.save()
    for model in (JointDepartment, Material, Fee, ProcessStep):
        model.objects.filter(version=version).delete()
    version.halls.clear()
    _write_rows(version, content, resolved)
    record("catalog.version.update_draft", version, before=before.comparable(), after=content.comparable())
    return version


def do_delete_draft(version: ServiceItemVersion) -> None:
    _require_draft(version)
    summary, pk = _summary(version), version.pk
    version.delete()
    record("catalog.version.delete_draft", object_type="catalog.serviceitemversion", object_id=pk, before=summary)


def _require_draft(version: ServiceItemVersion) -> None:
    status = ServiceItemVersion.objects.filter(pk=version.pk).values_list("status", flat=True).first()
    if status != Status.DRAFT:
        raise Conflict("catalog.version_immutable", f"第 {version.number} 版已发布或已废止，不能修改；请基于它新建草稿")


def _write_rows(version: ServiceItemVersion, content: VersionContent, depts: dict[str, Department]) -> None:
    """Bulk-write the content rows (the draft check ran once for the whole version)."""
    JointDepartment.objects.bulk_create(
        JointDepartment(version=version, department=depts[row.department], responsibility=row.responsibility,
                        sort_order=i) for i, row in enumerate(content.departments))
    Material.objects.bulk_create(Material(version=version, sort_order=i, **asdict(row))
                                 for i, row in enumerate(content.materials))
    Fee.objects.bulk_create(Fee(version=version, sort_order=i, **asdict(row)) for i, row in enumerate(content.fees))
    ProcessStep.objects.bulk_create(
        ProcessStep(version=version, sort_order=i, name=row.name, department=depts[row.department], stage=row.stage,
                    step_kind=row.step_kind, limit_days=row.limit_days) for i, row in enumerate(content.steps))
    if content.halls:
        version.halls.set([depts[code] for code in dict.fromkeys(content.halls)])


# --- Publication and retirement -------------------------------------------------------------------
def check_publish(version: ServiceItemVersion, valid_from: date, today: date | None = None) -> ServiceItemVersion | None:
    """Refuse what cannot be published; return the version whose window the publication closes."""
    today = today or timezone.localdate()
    _require_draft(version)
    if not isinstance(valid_from, date):
        raise InvalidInput("catalog.valid_from", "请填写生效日期")
    if valid_from < today:
        raise InvalidInput("catalog.valid_from_past", f"生效日期 {valid_from} 早于今天：已经办理的办件按当时的版本，不能追溯改变")
    check_publishable(content_of(version), version.item)
    previous = latest_version(version.item, drafts=False)
    if previous is not None and valid_from < previous.valid_from:
        raise InvalidInput("catalog.valid_from_before_previous",
                           f"生效日期 {valid_from} 早于已发布的第 {previous.number} 版的生效日期 {previous.valid_from}")
    return previous


def do_publish(version: ServiceItemVersion, valid_from: date | None = None, *, today: date | None = None) -> ServiceItemVersion:
    """Publish a draft from valid_from (default today); the previous version ends the day before."""
    from yingshang.catalog import search

    ServiceItem.objects.select_for_update().filter(pk=version.item_id).first()
    today = today or timezone.localdate()
    valid_from = valid_from or today
    previous = check_publish(version, valid_from, today)
    if previous is not None and (previous.valid_to is None or previous.valid_to >= valid_from):
        before = _summary(previous)
        previous.valid_to = valid_from - timedelta(days=1)
        previous.save(update_fields=["valid_to"])
        record("catalog.version.close", previous, before=before, after=_summary(previous),
               note=f"被第 {version.number} 版取代")
    version.status, version.valid_from, version.valid_to = Status.PUBLISHED, valid_from, None
    version.published_at = timezone.now()
    version.save(update_fields=["status", "valid_from", "valid_to", "published_at"])
    search.index_version(version)
    search.prune(today)
    record("catalog.version.publish", version, before={"status": Status.DRAFT}, after=_summary(version))
    return version


def do_retire(version: ServiceItemVersion, on_date: date, reason: str, *, today: date | None = None) -> ServiceItemVersion:
    """End the item's latest published version: it no longer applies from on_date (it did up to the day before)."""
    from yingshang.catalog import search

    ServiceItem.objects.select_for_update().filter(pk=version.item_id).first()
    today = today or timezone.localdate()
    version.refresh_from_db()
    reason = (reason or "").strip()
    if version.status != Status.PUBLISHED:
        raise Conflict("catalog.retire_status", f"只能废止已发布的版本（第 {version.number} 版为{version.get_status_display()}）")
    latest = latest_version(version.item, drafts=False)
    if latest is not None and latest.pk != version.pk:
        raise Conflict("catalog.retire_not_latest", f"第 {version.number} 版已被第 {latest.number} 版取代，请废止最新版本")
    if not reason:
        raise InvalidInput("catalog.retire_reason", "请填写废止原因（如依据的法规已废止、事项已取消）")
    if not isinstance(on_date, date) or on_date < max(today, version.valid_from):
        raise InvalidInput("catalog.retire_date", f"废止日期不能早于今天，也不能早于该版本的生效日期 {version.valid_from}")
    before = _summary(version)
    version.status, version.valid_to = Status.RETIRED, on_date - timedelta(days=1)
    version.retired_at, version.retire_reason = timezone.now(), reason[:200]
    version.save(update_fields=["status", "valid_to", "retired_at", "retire_reason"])
    search.prune(today)
    record("catalog.version.retire", version, before=before, after=_summary(version), note=reason[:200])
    return version


# --- Import and demo: make the stored item match a content ---------------------------------------
CREATED, NEW_DRAFT, UPDATED_DRAFT, UNCHANGED = "created", "new_draft", "updated_draft", "unchanged"


def do_apply(code: str, level: str, department: Department, content: VersionContent, *, publish: bool = False,
             valid_from: date | None = None, change_note: str = "") -> tuple[str, ServiceItemVersion | None, bool]:
    """Bring the item to this content: unchanged content writes nothing, so applying twice is a no-op.

    Returns (outcome, version, published). A change becomes a new draft (or replaces the open draft);
    with publish=True that draft is published at once.
    """
    item = ServiceItem.objects.filter(code=code).first()
    if item is None:
        version = do_create_item(code, level, department, content, change_note)
        outcome = CREATED
    else:
        if item.department_id != department.pk or item.level != level:
            raise Conflict("catalog.identity_changed",
                           f"事项“{code}”的实施部门或层级与已有记录不同；调整实施部门请在后台进行")
        latest = latest_version(item)
        if latest is not None and content_of(latest).comparable() == content.comparable():
            version, outcome = latest, UNCHANGED
        elif latest is not None and latest.status == Status.DRAFT:
            version, outcome = do_update_draft(latest, content, change_note or None), UPDATED_DRAFT
        else:
            version, outcome = do_create_draft(item, content, change_note), NEW_DRAFT
    published = False
    if publish and version is not None and version.status == Status.DRAFT:
        do_publish(version, valid_from)
        published = True
    return outcome, version, published


# --- Themes (主题服务) --------------------------------------------------------------------------------
THEME_FIELDS = ("name", "audience", "summary", "sort_order", "is_active")


def theme_summary(theme: Theme) -> dict:
    """What the audit trail keeps of a theme: its fields and its items' codes (2 queries)."""
    return {**{f: getattr(theme, f) for f in THEME_FIELDS},
            "items": sorted(theme.items.values_list("code", flat=True))}


def _field_label(name: str) -> str:
    try:
        return str(Theme._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # NON_FIELD_ERRORS
        return "主题"


def do_save_theme(code: str, item_codes, **fields) -> tuple[Theme, bool]:
    """Create or update the theme `code` with these fields and exactly these items; (theme, changed).

    Unchanged data writes nothing (the demo seeds twice without a trace); an unknown item code is
    refused with every unknown code in `details`.
    """
    codes = sorted({str(c).strip().upper() for c in item_codes})
    items = list(ServiceItem.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {i.code for i in items})
    if unknown:
        raise InvalidInput("catalog.theme_unknown_items", f"主题“{code}”引用了不存在的事项：{'、'.join(unknown)}",
                           details=unknown)
    theme = Theme.objects.filter(code=code).first()
    before = theme_summary(theme) if theme else None
    theme = theme or Theme(code=code)
    for name, value in fields.items():
        if name not in THEME_FIELDS:
            raise TypeError(f"unknown theme field {name!r}")
        setattr(theme, name, value)
    try:
        theme.full_clean(validate_unique=before is None, exclude=["items"])
    except ValidationError as exc:
        problems = [f"{_field_label(field)}：{'，'.join(messages)}" for field, messages in exc.message_dict.items()]
        raise InvalidInput("catalog.invalid_theme", f"主题“{code}”的数据不正确：{'；'.join(problems)}",
                           details=exc.message_dict) from None
    after = {**{f: getattr(theme, f) for f in THEME_FIELDS}, "items": codes}
    if before == after:
        return theme, False
    theme.save()
    theme.items.set(items)
    record("catalog.theme.update" if before else "catalog.theme.create", theme, before=before, after=after)
    return theme, True
