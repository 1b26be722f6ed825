"""归档: the centre closes a contracted (or failed, terminated) lot's file. Every document of the lot — this
part's (notice of award, certificate, contract, complaint evidence) and the other parts' through the
ARCHIVE_DOCUMENTS hook — goes into a manifest with its SHA-256; the manifest's own SHA-256 is written in
the lot's audit entry (the kernel hash chain), and nothing of the file can change afterwards
(`FrozenWhenArchived`). The centre and the regulator download it as a ZIP with the manifest."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

from yingshang.kernel import access, clock
from yingshang.kernel.errors import Conflict, NotFound
from yingshang.kernel.models import AuditEntry, IssuedDocument, StoredFile
from yingshang.kernel.services import documents, uploads, workflow
from yingshang.kernel.services.audit import canonical_json
from yingshang.trading import hooks, rules, rules_award
from yingshang.trading.models import Archive, AwardDecision, Certificate, Complaint, ComplaintEvidence, Contract, Lot
from yingshang.trading.services import common, lots
from yingshang.trading.services.publicity import lock_lot


def _entry(title: str, sha256: str, *, document_id=None, file_id=None, source: str = "award", extension="pdf") -> dict:
    return {"title": title, "sha256": sha256, "document_id": document_id, "file_id": file_id, "source": source,
            "extension": extension}


def _extension(stored) -> str:
    return stored.original_name.rsplit(".", 1)[-1].lower() if "." in stored.original_name else "bin"


def collect(lot: Lot) -> list[dict]:
    """Every document of the lot, this part's first, then the hook's (title, sha256, kernel document id)."""
    rows: list[dict] = []
    decision = AwardDecision.objects.filter(lot=lot).select_related("notice").first()
    if decision and decision.notice:
        rows.append(_entry("中标通知书", decision.notice.sha256, document_id=decision.notice_id))
    certificate = Certificate.objects.filter(lot=lot).select_related("document").first()
    if certificate:
        rows.append(_entry("交易凭证", certificate.document.sha256, document_id=certificate.document_id))
    contract = Contract.objects.filter(lot=lot).select_related("file").first()
    if contract:
        rows.append(_entry(f"合同（{contract.file.original_name}）", contract.file.sha256, file_id=contract.file_id,
                           extension=_extension(contract.file)))
    for evidence in ComplaintEvidence.objects.filter(complaint__lot=lot).select_related("file").order_by("pk"):
        rows.append(_entry(f"投诉证据：{evidence.title}", evidence.file.sha256, file_id=evidence.file_id,
                           extension=_extension(evidence.file)))
    for title, sha256, document_id in hooks.ARCHIVE_DOCUMENTS.run(lot=lot):
        rows.append(_entry(title, sha256, document_id=document_id, source="hook"))
    return rows


def manifest_hash(manifest: dict) -> str:
    return hashlib.sha256(canonical_json(manifest).encode()).hexdigest()


def do_archive(user, lot_id, row_version) -> Archive:
    common.check_perm(user, common.ARCHIVE)
    lot = lock_lot(lot_id, row_version)
    after = rules.LOT_FLOW.require(lot, rules.ARCHIVE)
    if Complaint.objects.filter(lot=lot, status__in=(rules_award.FILED, rules_award.ACCEPTED)).exists():
        raise Conflict("trading.complaint_open", "该标段有尚未处理完毕的投诉，不能归档")
    now = clock.now()
    manifest = {"lot": lot.pk, "project": lot.project.name, "lot_name": lot.name, "final_status": lot.status,
                "archived_at": now.isoformat(), "documents": collect(lot)}
    digest = manifest_hash(manifest)
    before = lots.snapshot(lot)
    lot.status = after
    workflow.finish(lot, rules.ARCHIVE, before, snapshot=lots.snapshot, fields=["status"], extra={
        "manifest_sha256": digest, "documents": [[d["title"], d["sha256"]] for d in manifest["documents"]]})
    entry = AuditEntry.objects.filter(action="trading.lot.archive", object_id=str(lot.pk)).order_by("-seq").first()
    return Archive.objects.create(lot=lot, manifest=manifest, manifest_sha256=digest, audit_seq=entry.seq,
                                  archived_by=user, archived_at=now)


def archive_of(user, lot_id) -> Archive:
    """The archive within the user's scope (the centre all; a regulator its industry's)."""
    common.check_perm(user, common.ARCHIVE_READ)
    found = (Archive.objects.filter(lot_id=lot_id, lot__in=Lot.objects.filter(
        access.department_filter(user, "project__regulator"))).select_related("lot__project").first()
        if type(lot_id) is int else None)
    if found is None:
        raise NotFound("trading.archive_not_found", "交易档案不存在或不在您的查看范围内")
    return found


def _bytes(row: dict) -> bytes | None:
    try:
        if row.get("document_id"):
            return documents.read_document_file(IssuedDocument.objects.get(pk=row["document_id"]))
        if row.get("file_id"):
            return uploads.open_stored(StoredFile.objects.get(pk=row["file_id"]))
    except (NotFound, IssuedDocument.DoesNotExist, StoredFile.DoesNotExist):
        return None
    return None


def zip_bytes(archive: Archive) -> bytes:
    """manifest.json (with its hash and audit seq) and every file still readable; missing ones are listed."""
    buf = io.BytesIO()
    missing = []
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("manifest.json", json.dumps({"manifest": archive.manifest, "manifest_sha256": archive.manifest_sha256,
                                                  "audit_seq": archive.audit_seq}, ensure_ascii=False, indent=2))
        for i, row in enumerate(archive.manifest["documents"], 1):
            data = _bytes(row)
            if data is None:
                missing.append(row["title"])
                continue
            out.writestr(f"{i:02d}-{row['sha256'][:12]}.{row.get('extension') or 'pdf'}", data)
        if missing:
            out.writestr("missing.txt", "\n".join(missing))
    return buf.getvalue()
