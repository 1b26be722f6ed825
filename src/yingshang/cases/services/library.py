"""The material library (材料库, 一次提交、重复使用) and the applicant's e-licences as materials.

Every file an applicant uploads may be kept in their library under the material's name; a later
application points at the same stored file instead of a new upload. A library entry belongs to the
account that uploaded it. E-licences come from the licences app through its services; while that
app is absent the list is empty (and choosing one is "not found").
"""

from __future__ import annotations

import logging

from django.db.models import Exists, OuterRef

from yingshang.cases import rules
from yingshang.cases.models import Case, LibraryEntry, SubmittedMaterial
from yingshang.cases.services import common
from yingshang.kernel import access, clock
from yingshang.kernel.errors import Conflict, InvalidInput, NotFound
from yingshang.kernel.models import StoredFile
from yingshang.kernel.services import uploads
from yingshang.kernel.services.audit import record

logger = logging.getLogger("yingshang.cases")
MAX_ENTRIES = 500  # per account: a library is a handful of documents, not a file store


# --- E-licences (electronic licences in the applicant's wallet) -------------------------------------
def licence_services():
    """The licences app's services, or None while it is not installed."""
    try:
        from yingshang.licences import services as licence_services
    except ImportError:
        return None
    return licence_services


def holder_licences(user) -> list:
    """The valid e-licences of the user's identity (ELicenseView), [] without the licences app."""
    svc = licence_services()
    return list(svc.holder_licences(user)) if svc is not None else []


def licence_matches(licence, elicense_type: str) -> bool:
    """Whether an e-licence may stand for a material the catalog says it may (e.g. 营业执照)."""
    wanted = (elicense_type or "").strip()
    return bool(wanted) and (wanted in licence.name or licence.name in wanted)


def get_licence(user, licence_id, elicense_type: str):
    """One of the user's e-licences, valid and of the material's type."""
    svc = licence_services()
    if svc is None:
        raise NotFound("licence.not_found", "未找到该电子证照")
    licence = svc.get_holder_licence(user, licence_id)
    valid = getattr(licence, "is_valid", None)
    if valid is None:
        valid = licence.valid_until is None or licence.valid_until >= clock.today()
    if not valid:
        raise Conflict("case.licence_invalid", f"电子证照“{licence.name}”（{licence.number}）已过期或已注销，不能作为申请材料")
    if not licence_matches(licence, elicense_type):
        raise InvalidInput("case.licence_type", f"该材料只能使用“{elicense_type}”电子证照，所选为“{licence.name}”",
                           details={"field": "licence_id"})
    return licence


# --- Library ---------------------------------------------------------------------------------------
def entries(user):
    """The user's library, newest first (one query with the files)."""
    return LibraryEntry.objects.filter(owner_id=user.pk).select_related("file").order_by("-id")


def get_entry(user, entry_id) -> LibraryEntry:
    try:
        pk = int(entry_id)
    except (TypeError, ValueError):
        pk = 0
    entry = entries(user).filter(pk=pk).first() if 0 < pk < 2**62 else None
    if entry is None:
        raise NotFound("case.library_not_found", "材料库中没有这个文件")
    return entry


def _normal(name: str) -> str:
    return "".join(ch for ch in (name or "") if ch.isalnum())


def suggest(library: list[LibraryEntry], material_name: str) -> list[LibraryEntry]:
    """Library entries that look like this material: same name first, then one name inside the other."""
    target = _normal(material_name)
    same = [e for e in library if _normal(e.material_name) == target]
    near = [e for e in library if e not in same and target and _normal(e.material_name)
            and (target in _normal(e.material_name) or _normal(e.material_name) in target)]
    return same + near


def do_keep(user, stored: StoredFile, material_name: str) -> LibraryEntry:
    """Keep an uploaded file in the user's library (once per file)."""
    entry = LibraryEntry.objects.filter(owner_id=user.pk, file=stored).first()
    if entry is not None:
        return entry
    if LibraryEntry.objects.filter(owner_id=user.pk).count() >= MAX_ENTRIES:
        raise Conflict("case.library_full", f"材料库最多保存 {MAX_ENTRIES} 个文件，请先删除不再需要的文件")
    entry = LibraryEntry.objects.create(owner=user, file=stored, material_name=material_name[:200], created_at=clock.now())
    record("cases.library.keep", entry, after={"file": stored.pk, "material": entry.material_name})
    return entry


def do_add(user, upload, material_name: str) -> LibraryEntry:
    """Upload a file straight into the library (from the library page)."""
    common.check_perm(user, common.APPLY)
    name = common.fields.text(material_name, "material_name", "材料名称", max_len=200)
    checked = uploads.check_upload(upload)
    return do_keep(user, uploads.do_store(user, upload, checked=checked), name)


def do_delete_entry(user, entry_id) -> None:
    """Remove a file from the library. Applications that used it keep it; an unused file is deleted."""
    entry = get_entry(user, entry_id)
    record("cases.library.delete", entry, before={"file": entry.file_id, "material": entry.material_name})
    file = entry.file
    entry.delete()
    release(file)


def unreferenced(files):
    """Those of the stored files no library entry and no submitted material points at."""
    return StoredFile.objects.filter(pk__in=[f.pk for f in files]).exclude(
        Exists(LibraryEntry.objects.filter(file=OuterRef("pk")))).exclude(
        Exists(SubmittedMaterial.objects.filter(file=OuterRef("pk"))))


def release(*files) -> None:
    """Delete stored files nothing uses any more (a replaced draft upload, a library entry removed)."""
    files = [f for f in files if f is not None]
    if files:
        for stored in unreferenced(files):
            uploads.do_delete(stored)


def check_download(user, file_id) -> StoredFile:
    """A stored file the user may download: their own upload, or a material of a submitted case they
    may view as staff (window clerks, the departments' reviewers and heads by scope; a draft is the
    applicant's alone). 404 for anything else."""
    try:
        pk = int(file_id)
    except (TypeError, ValueError):
        pk = 0
    stored = StoredFile.objects.filter(pk=pk).first() if 0 < pk < 2**62 else None
    if stored is not None and user.is_authenticated:
        if stored.owner_id == user.pk:
            return stored
        visible = Case.objects.filter(common.visible_q(user)).exclude(status=rules.DRAFT).values("pk")
        if access.has_perm(user, common.VIEW) and SubmittedMaterial.objects.filter(file=stored, case__in=visible).exists():
            return stored
    raise NotFound("upload.not_found", "文件不存在或您无权下载")
