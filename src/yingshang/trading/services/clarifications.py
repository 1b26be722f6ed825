"""Clarifications and amendments (澄清、修改; TBL Art. 23, REG Art. 21) and objections to the documents
(异议; REG Art. 22).

A clarification that may affect bid preparation keeps 15 days (3 before a prequalification deadline)
before the deadline, moving the deadline when it must; it is published and sent to every downloader.
An objection suspends the lot until answered (due in 3 days); the answer lifts the suspension once no
other objection is pending, and goes through a clarification when it changes the documents.
Under 资格预审 the lot's published documents are the prequalification documents and its deadline is the
application deadline, so the prequalification periods (3 and 2 days) apply.
"""

from __future__ import annotations

from django.utils import timezone

from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, Forbidden
from yingshang.kernel.rules.workflow import Workflow
from yingshang.kernel.services import workflow
from yingshang.kernel.services.audit import record
from yingshang.kernel.services.notifications import do_notify
from yingshang.trading import rules
from yingshang.trading import rules_announcements as ra
from yingshang.trading.models import Clarification, DocumentObjection, Lot
from yingshang.trading.services import announcements, common, downloads

MAX_TEXT = 10_000
CLARIFY, SUSPEND, RESUME, ANSWER = "clarify", "suspend", "resume", "answer"
OBJECTION_FLOW = Workflow(prefix="trading", noun="异议", not_found="trading.objection_not_found",
                          states=DocumentObjection.STATES, actions={ANSWER: "答复异议"},
                          transitions={(DocumentObjection.PENDING, ANSWER): DocumentObjection.ANSWERED})


def _prequalification(lot: Lot) -> bool:
    return lot.qualification == rules.PREQUALIFICATION


def _refuse(breach) -> None:
    if breach:
        raise Conflict(breach.code, breach.message, details=breach.as_dict())


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# --- Clarifications -------------------------------------------------------------------------------------
def do_clarify(user, lot_id, row_version: int | None, *, text: str, affects_preparation: bool = True, upload=None,
               document_title: str = "", objection: DocumentObjection | None = None) -> Clarification:
    """Issue a clarification or amendment; the deadline moves when the legal minimum would not hold."""
    lot = announcements._lock_lot(lot_id, row_version)
    announcements.check_own(user, lot)
    if lot.status != rules.ANNOUNCED:
        raise Conflict("trading.lot_not_announced", "只有招标中的标段可以澄清或修改招标文件", details={"status": lot.status})
    _refuse(ra.check_before_deadline(clock.now(), lot.bid_deadline, "澄清或修改招标文件"))
    text = common.fields.text(text, "text", "澄清或修改内容", max_len=MAX_TEXT)
    before = announcements.snapshot(lot)
    document = announcements.add_document(user, lot, upload, title=document_title) if upload is not None else None
    old = timezone.localtime(lot.bid_deadline)  # day counts are local days (the rules compare dates)
    new, moved = rules.deadline_after_clarification(old, clock.today(), affects_preparation=bool(affects_preparation),
                                                    prequalification=_prequalification(lot))
    body = text + (f"\n\n{moved.message}（依据：{moved.source}）" if moved else "")
    if document is not None:
        body += f"\n\n修改后的招标文件：{document.title}（第{document.version}版，SHA-256 {document.sha256}）"
    announcement = announcements.do_publish_announcement(
        lot, ra.CLARIFICATION, f"{lot.project.name}{lot.name}澄清/修改公告", body, published_at=clock.now(),
        ends_at=new, actor=user)
    clarification = Clarification.objects.create(
        lot=lot, text=text, affects_preparation=bool(affects_preparation), document=document, deadline_before=old,
        deadline_after=new, announcement=announcement, issued_by=user, issued_at=clock.now())
    lot.bid_deadline = new
    lot.next_check = announcements.compute_next_check(lot)
    workflow.finish(lot, CLARIFY, before, snapshot=announcements.snapshot, fields=["bid_deadline", "next_check"],
                    extra={"clarification": clarification.pk, "deadline_moved": bool(moved),
                           "objection": objection.pk if objection else None})
    subject = f"【澄清/修改】{lot.project.name}{lot.name}"
    notice = f"招标人对招标文件发出了澄清或修改，请登录平台查看。\n{body}"
    if moved:
        notice += f"\n投标截止时间由 {_local(old)} 顺延至 {_local(new)}。"
    do_notify(downloads.downloader_users(lot), subject, notice[:10_000], obj=clarification)
    return clarification


# --- Objections -----------------------------------------------------------------------------------------
def _suspension_reason(lot: Lot, pending: int) -> str:
    return f"招标文件异议待答复（{pending}件），依《招标投标法实施条例》第二十二条暂停招标投标活动"


def do_file_objection(user, lot_id, *, text: str) -> DocumentObjection:
    """A downloader objects to the documents (REG Art. 22); the lot is suspended until answered."""
    common.check_perm(user, common.DOWNLOAD)
    uscc = user.uscc or ""
    lot = announcements._lock_lot(lot_id, None)  # a bidder holds no lot version; the lock serialises filings
    if lot.status != rules.ANNOUNCED:
        raise Conflict("trading.lot_not_announced", "该标段不在招标阶段，不能对招标文件提出异议", details={"status": lot.status})
    if not downloads.has_downloaded(lot, uscc):
        raise Forbidden("trading.not_a_downloader", "只有已获取招标文件的潜在投标人可以对招标文件提出异议")
    _refuse(rules.check_objection(clock.today(), timezone.localtime(lot.bid_deadline), prequalification=_prequalification(lot)))
    text = common.fields.text(text, "text", "异议内容", max_len=MAX_TEXT)
    before = announcements.snapshot(lot)
    objection = DocumentObjection.objects.create(
        lot=lot, raised_by=user, uscc=uscc, organization_name=(user.organization_name or user.real_name)[:200],
        text=text, raised_at=clock.now(), answer_due=rules.objection_answer_due(clock.today()))
    record("trading.objection.file", objection, after={"lot": lot.pk, "uscc": uscc,
                                                       "answer_due": objection.answer_due.isoformat()})
    pending = DocumentObjection.objects.filter(lot=lot, status=DocumentObjection.PENDING).count()
    lot.suspended, lot.suspension_reason = True, _suspension_reason(lot, pending)
    lot.next_check = announcements.compute_next_check(lot)
    workflow.finish(lot, SUSPEND, before, snapshot=announcements.snapshot,
                    fields=["suspended", "suspension_reason", "next_check"], extra={"objection": objection.pk})
    from yingshang.kernel.models import User

    owners = User.objects.filter(uscc__in=[u for u in (lot.project.tenderer_uscc, lot.project.agency_uscc) if u],
                                 is_active=True)
    do_notify(owners, f"【异议】{lot.project.name}{lot.name}", f"{objection.organization_name}对招标文件提出异议，"
              f"请于 {objection.answer_due:%Y-%m-%d} 前答复；答复前招标投标活动暂停。", obj=objection)
    return objection


def do_answer_objection(user, objection_id, row_version: int | None, *, answer: str, publish: bool = False,
                        changes_documents: bool = False, clarification_text: str = "", affects_preparation: bool = True,
                        upload=None) -> DocumentObjection:
    """The tenderer answers; when the answer changes the documents it goes out as a clarification (the deadline
    may move). The suspension is lifted once no other objection of the lot is pending."""
    common.check_perm(user, common.ANNOUNCE)
    objection = workflow.lock(DocumentObjection.objects.all(), objection_id, row_version, OBJECTION_FLOW)
    lot = announcements._lock_lot(objection.lot_id, None)
    announcements.check_own(user, lot)
    after = OBJECTION_FLOW.require(objection, ANSWER)
    answer = common.fields.text(answer, "answer", "答复内容", max_len=MAX_TEXT)
    before = {"status": objection.status, "row_version": objection.row_version}
    if changes_documents:
        objection.clarification = do_clarify(user, lot.pk, None, text=clarification_text or answer,
                                             affects_preparation=affects_preparation, upload=upload, objection=objection)
        lot.refresh_from_db()
    objection.status, objection.answer, objection.answered_at, objection.answered_by = after, answer, clock.now(), user
    late = ra.is_overdue(objection.answer_due, clock.today())
    workflow.finish(objection, ANSWER, before, snapshot=lambda o: {"status": o.status, "row_version": o.row_version},
                    extra={"late": late, "clarification": objection.clarification_id})
    if publish:  # 异议答复 made public: the objector's name stays out (the answer is about the documents)
        announcements.do_publish_announcement(lot, ra.OBJECTION_ANSWER, f"{lot.project.name}{lot.name}招标文件异议答复",
                                              f"异议内容：\n{objection.text}\n\n答复：\n{answer}",
                                              published_at=clock.now(), actor=user)
    lot_before = announcements.snapshot(lot)
    pending = DocumentObjection.objects.filter(lot=lot, status=DocumentObjection.PENDING).count()
    lot.suspended = pending > 0
    lot.suspension_reason = _suspension_reason(lot, pending) if pending else ""
    lot.next_check = announcements.compute_next_check(lot)
    workflow.finish(lot, RESUME if not pending else SUSPEND, lot_before, snapshot=announcements.snapshot,
                    fields=["suspended", "suspension_reason", "next_check"], extra={"objection": objection.pk})
    do_notify([objection.raised_by], f"【异议答复】{lot.project.name}{lot.name}", f"您对招标文件的异议已答复：\n{answer}",
              obj=objection)
    return objection


def objections_for(user, lot: Lot):
    """A lot's objections: all for its tenderer/agency and the centre; a bidder only its organisation's."""
    qs = DocumentObjection.objects.filter(lot=lot).order_by("raised_at", "pk")
    if common.is_own_lot(user, lot) or common.sees_all_lots(user):
        return list(qs)
    uscc = getattr(user, "uscc", "") or ""
    return list(qs.filter(uscc=uscc)) if uscc else []


def pending_objections(user, *, overdue_only: bool = False):
    """The centre's list of unanswered objections, oldest due first (overdue ones: the due day has passed)."""
    if not common.sees_all_lots(user):
        raise Forbidden("trading.forbidden", "只有交易中心可以查看全部异议")
    qs = (DocumentObjection.objects.filter(status=DocumentObjection.PENDING)
          .select_related("lot", "lot__project").order_by("answer_due", "pk"))
    if overdue_only:
        qs = qs.filter(answer_due__lt=clock.today())
    return qs
