"""The applicant's side of an online application: form data and materials on a draft (or on an
application returned for correction), and resubmission after correction.

A material is provided by an upload, a file from the material library, or an e-licence. One call
changes any number of materials and the form, all or nothing: every upload is checked (type by
content, size) and every library entry and e-licence resolved before anything is written. Each call
bumps the case's `row_version` (a stale form gets 409 case.conflict) and is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yingshang.cases import rules
from yingshang.cases.choices import MaterialStatus
from yingshang.cases.models import ApplicationForm, Case, MaterialSource, SubmittedMaterial
from yingshang.cases.services import acceptance, common, library
from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, InvalidInput, NotFound
from yingshang.kernel.services import uploads
from yingshang.kernel.services.sms import normalize_mobile

EDITABLE = (rules.DRAFT, rules.CORRECTION_REQUESTED)
# The online form besides the account data: (label, max length). All optional; the account's name
# and phone stand in for an empty contact.
FORM_FIELDS = {
    "contact_name": ("联系人", 50),
    "contact_phone": ("联系电话", 20),
    "address": ("通讯地址", 200),
    "description": ("申请事项说明", 2000),
}
_MATERIAL_FIELDS = ["status", "provided_at", "file", "source", "elicense_id", "elicense_number"]


@dataclass
class Changes:
    """What one save changes: form data (None: unchanged) and materials by catalog material id."""

    form: dict | None = None
    uploads: dict[int, object] = field(default_factory=dict)  # material id -> UploadedFile
    library: dict[int, int] = field(default_factory=dict)  # material id -> library entry id
    licences: dict[int, object] = field(default_factory=dict)  # material id -> e-licence id
    clear: list[int] = field(default_factory=list)
    keep: bool = True  # keep uploaded files in the material library


def clean_form(data) -> dict:
    if not isinstance(data, dict):
        raise InvalidInput("case.form_invalid", "申请表单格式不正确", details={"field": "form"})
    unknown = sorted(str(k) for k in set(data) - set(FORM_FIELDS))
    if unknown:
        raise InvalidInput("case.form_unknown", "申请表单没有这些栏目：" + "、".join(unknown), details={"fields": unknown})
    out = {key: common.fields.text(data.get(key), f"form.{key}", label, required=False, max_len=max_len)
           for key, (label, max_len) in FORM_FIELDS.items()}
    if out["contact_phone"]:
        phone = normalize_mobile(out["contact_phone"])
        if not phone:
            raise InvalidInput("case.phone_invalid", "联系电话应为 11 位手机号码", details={"field": "form.contact_phone"})
        out["contact_phone"] = phone
    return out


def form_data(case: Case) -> dict:
    form = ApplicationForm.objects.filter(case=case).values_list("data", flat=True).first()
    return {key: (form or {}).get(key, "") for key in FORM_FIELDS}


def own_case(user, case_id) -> None:
    """404 unless the case is this applicant's own (someone else's draft is not even confirmed to exist)."""
    common.check_perm(user, common.APPLY)
    ok = isinstance(case_id, int) and 0 < case_id < 2**62
    if not ok or not Case.objects.filter(pk=case_id, applicant_id=user.pk).exists():
        raise NotFound("case.not_found", "申请不存在或不是您本人的申请")


def lock_own(user, case_id: int, row_version: int | None) -> Case:
    own_case(user, case_id)
    case = common.lock(case_id, row_version)
    if case.status not in EDITABLE:
        raise Conflict("case.not_editable", f"申请当前状态为“{case.status_label}”，不能再修改表单和材料",
                       details={"status": case.status})
    return case


def _check(user, rows: dict[int, SubmittedMaterial], changes: Changes) -> tuple[dict, dict, dict, dict | None]:
    """Resolve everything a save needs, raising before anything is written."""
    targets = [*changes.uploads, *changes.library, *changes.licences, *changes.clear]
    unknown = sorted({m for m in targets if m not in rows}, key=str)
    if unknown:
        raise InvalidInput("case.material_unknown", "材料编号不属于该申请：" + "、".join(map(str, unknown)),
                           details={"material_ids": unknown})
    twice = sorted({m for m in targets if targets.count(m) > 1})
    if twice:
        raise InvalidInput("case.material_twice", "同一材料只能选择一种提供方式：" + "、".join(rows[m].name for m in twice),
                           details={"material_ids": twice})
    problems, checked = [], {}
    for mid, upload in changes.uploads.items():
        try:
            checked[mid] = uploads.check_upload(upload)
        except InvalidInput as exc:
            problems.append({"material_id": mid, "name": rows[mid].name, "code": exc.code, "message": exc.message})
    if problems:
        raise InvalidInput("case.upload_rejected", "以下文件未能上传（本次提交的文件均未保存）："
                           + "；".join(f"{p['name']}：{p['message']}" for p in problems), details={"files": problems})
    picked = {}
    for mid, entry_id in changes.library.items():
        if not rows[mid].material.from_library:
            raise InvalidInput("case.library_not_allowed", f"“{rows[mid].name}”不能从材料库选取，请上传文件",
                               details={"material_id": mid})
        picked[mid] = library.get_entry(user, entry_id)
    licences = {}
    for mid, licence_id in changes.licences.items():
        kind = rows[mid].material.elicense_type
        if not kind:
            raise InvalidInput("case.licence_not_allowed", f"“{rows[mid].name}”不能使用电子证照，请上传文件",
                               details={"material_id": mid})
        licences[mid] = library.get_licence(user, licence_id, kind)
    form = clean_form(changes.form) if changes.form is not None else None
    return checked, picked, licences, form


def _set(row: SubmittedMaterial, replaced: list, now, *, file=None, source: str = "", licence=None) -> None:
    if row.file_id and (file is None or file.pk != row.file_id):
        replaced.append(row.file)
    row.file, row.source = file, source
    row.elicense_id = str(licence.id)[:64] if licence is not None else ""
    row.elicense_number = licence.number[:100] if licence is not None else ""
    provided = file is not None or licence is not None
    row.status = MaterialStatus.PROVIDED if provided else MaterialStatus.MISSING
    row.provided_at = now if provided else None


def do_update(user, case_id: int, row_version: int | None, changes: Changes) -> Case:
    """Save form data and materials on the applicant's draft or returned application."""
    case = lock_own(user, case_id, row_version)
    rows = {r.material_id: r for r in case.materials.select_related("material", "file")}
    checked, picked, licences, form = _check(user, rows, changes)
    before, now, replaced = common.snapshot(case), clock.now(), []
    for mid, upload in changes.uploads.items():
        stored = uploads.do_store(user, upload, checked=checked[mid])
        if changes.keep:
            library.do_keep(user, stored, rows[mid].name)
        _set(rows[mid], replaced, now, file=stored, source=MaterialSource.UPLOAD)
    for mid, entry in picked.items():
        entry.last_used_at = now
        entry.save(update_fields=["last_used_at"])
        _set(rows[mid], replaced, now, file=entry.file, source=MaterialSource.LIBRARY)
    for mid, licence in licences.items():
        _set(rows[mid], replaced, now, source=MaterialSource.ELICENSE, licence=licence)
    for mid in changes.clear:
        _set(rows[mid], replaced, now)
    touched = [rows[m] for m in dict.fromkeys([*changes.uploads, *picked, *licences, *changes.clear])]
    if touched:
        SubmittedMaterial.objects.bulk_update(touched, _MATERIAL_FIELDS)
    library.release(*replaced)
    if form is not None:
        ApplicationForm.objects.update_or_create(case=case, defaults={"data": form, "updated_at": now})
    common.finish(case, "update_application", before, fields=[], extra={
        "materials": {str(r.material_id): r.source or "cleared" for r in touched}, "form": form is not None})
    return case


def do_resubmit(user, case_id: int, row_version: int | None, *, note: str = "") -> Case:
    """After a correction notice (网上预审退回 or the window's 一次性告知): every material flagged must be
    provided again; the corrected application goes back to the window (Art. 32's five days run again)."""
    own_case(user, case_id)
    case = common.lock(case_id, row_version)
    rules.WORKFLOW.require(case, rules.SUPPLEMENT)
    if case.status != rules.CORRECTION_REQUESTED:
        raise Conflict("case.not_returned", "该申请没有待补正的内容")
    rows = list(case.materials.all())
    still = [r for r in rows if r.status != MaterialStatus.PROVIDED and (
        r.note or (r.required and not r.pending_allowed))]
    if still:
        raise InvalidInput("case.corrections_open", "以下材料尚未按补正要求重新提供：" + "、".join(r.name for r in still),
                           details={"material_ids": [r.material_id for r in still], "names": [r.name for r in still]})
    since = case.events.filter(kind="request_correction").order_by("-at", "-id").values_list("at", flat=True).first()
    provided = [r for r in rows if r.status == MaterialStatus.PROVIDED]
    ids = [r.material_id for r in provided if r.note or (since and r.provided_at and r.provided_at >= since)]
    ids = ids or [r.material_id for r in provided]
    if not ids:
        raise InvalidInput("case.no_materials", "请至少提供一项申请材料后再提交")
    return acceptance.do_supplement(user, case.pk, case.row_version, material_ids=ids, note=note)
