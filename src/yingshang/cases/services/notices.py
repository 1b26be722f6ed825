"""The written notices of a case, issued as PDFs through the kernel documents service.

Each carries the case number (in its document number and its table), a verification code with a
QR code (kernel), and the address of the public progress page. The issuer is the owning department:
the window accepts on its behalf (受审分离). Wording follows 行政许可法 Art. 32, 38, 42, 45 and the
rights to review and litigation (行政复议法 Art. 20: 60 days; 行政诉讼法 Art. 46: 6 months).
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from yingshang.cases.choices import SuspensionKind
from yingshang.cases.models import NoticeRequest
from yingshang.kernel.models import IssuedDocument
from yingshang.kernel.services.documents import do_issue_document
from yingshang.kernel.services.pdf import chinese_date

logger = logging.getLogger("yingshang.cases")
MAX_ATTEMPTS = 10

# kind -> (title, number suffix). Registered with the kernel in apps.py.
KINDS = {
    "case.acceptance": ("受理通知书", "SL"),
    "case.correction": ("补正材料通知书", "BZ"),
    "case.refusal": ("不予受理决定书", "BSL"),
    "case.commitment": ("容缺受理承诺书", "RQ"),
    "case.notify_commit": ("告知承诺书", "CN"),
    "case.suspension": ("暂停计时告知书", "ZT"),
    "case.extension": ("延长办理期限告知书", "YQ"),
    "case.denial": ("不予许可决定书", "BXK"),
    "case.stop": ("终止办理通知书", "ZZ"),
    "case.approval": ("准予行政许可决定书", "ZYXK"),  # issuance work
    "case.licence": ("许可证件", "ZJ"),  # issuance work: numbered with the licence number, not the suffix
}
RIGHTS = ("如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，"
          "或者自收到本决定书之日起六个月内依法向人民法院提起行政诉讼。")
PROVISIONAL_NOTE = "（办结期限所在年份的节假日安排尚未公布，期限按法定节假日临时推算，公布后以实际安排为准。）"


def progress_url(case) -> str:
    return f"{settings.SITE_URL}{reverse('cases:progress')}?no={case.case_no}"


def _is_licence(case) -> bool:
    return case.item_version.item_type == "administrative_license"


# Kinds a case can receive more than once; the others are issued once (one acceptance, one decision).
REPEATABLE = frozenset({"case.correction", "case.suspension", "case.extension"})


def _number(case, kind: str) -> str:
    suffix = KINDS[kind][1]
    count = 0
    if kind in REPEATABLE:
        count = NoticeRequest.objects.filter(case=case, kind=kind).count()
        count += sum(1 for r in getattr(case, "_pending_notices", ()) if r.kind == kind)
    return f"{case.case_no}-{suffix}" + (str(count + 1) if count else "")


def _fields(case, *rows: tuple[str, str]) -> list[tuple[str, str]]:
    base = [("办件编号", case.case_no), ("申请事项", case.item_name), ("申请人", case.applicant_name)]
    return base + [row for row in rows if row[1]] + [("进度查询", f"{progress_url(case)}（凭办件编号和证件号码后四位查询）")]


def _issue(case, kind: str, *, body=(), sections=(), fields=()) -> NoticeRequest:
    """Queue the notice with its full content; `common.finish` has it issued once the action commits."""
    content = {"title": KINDS[kind][0], "body": list(body), "sections": [[h, list(p)] for h, p in sections],
               "fields": [[k, v] for k, v in fields], "salutation": f"{case.applicant_name}：",
               "holder_name": case.applicant_name, "holder_is_person": case.is_person}
    request = NoticeRequest(case=case, kind=kind, number=_number(case, kind), content=content, links=[],
                            created_at=timezone.now())
    case._pending_notices = [*getattr(case, "_pending_notices", ()), request]
    return request


def link(request: NoticeRequest | None, obj, field: str) -> None:
    """Point `obj.field` at the request's document once it is issued (saved with the request)."""
    if request is not None:
        request.links.append([obj._meta.model_name, obj.pk, field])


def save_queued(case) -> bool:
    """Store the notices the action queued (one INSERT); True when there were any."""
    pending = getattr(case, "_pending_notices", ())
    if pending:
        NoticeRequest.objects.bulk_create(pending)
        case._pending_notices = []
    return bool(pending)


# --- Issuing (after the action commits) -----------------------------------------------------------
def issue(request_id: int) -> IssuedDocument | None:
    """Render and register one queued notice in its own transaction; None when already issued."""
    with transaction.atomic():
        request = (NoticeRequest.objects.select_for_update(of=("self",)).select_related("case", "case__department")
                   .filter(pk=request_id, document__isnull=True).first())
        if request is None:
            return None
        c, case = request.content, request.case
        document = do_issue_document(
            request.kind, c["title"], body=c["body"], sections=[tuple(s) for s in c["sections"]],
            fields=[tuple(f) for f in c["fields"]], salutation=c["salutation"], number=request.number,
            holder_name=c["holder_name"], holder_is_person=c["holder_is_person"], issuer=case.department, obj=case)
        for model_name, pk, field in request.links:
            apps.get_model("cases", model_name).objects.filter(pk=pk).update(**{field: document})
        request.document = document
        request.attempts += 1
        request.save(update_fields=["document", "attempts"])
    return document


def issue_safely(request_id: int) -> bool:
    try:
        issue(request_id)
    except Exception as exc:  # the request stays queued; the sweep retries it
        logger.exception("notice request %s could not be issued", request_id)
        NoticeRequest.objects.filter(pk=request_id).update(attempts=F("attempts") + 1,
                                                           last_error=f"{type(exc).__name__}: {exc}"[:500])
        return False
    return True


def issue_for_case(case_id: int) -> None:
    """The after-commit step of an action: issue every notice it queued."""
    for pk in NoticeRequest.objects.filter(case_id=case_id, document__isnull=True).order_by("id").values_list("id", flat=True):
        issue_safely(pk)


def issue_pending(older_than: timedelta = timedelta(minutes=1), limit: int = 500) -> int:
    """Re-issue notices left queued (a crash between the action and its notice); return how many issued."""
    cutoff = timezone.now() - older_than
    ids = list(NoticeRequest.objects.filter(document__isnull=True, created_at__lte=cutoff, attempts__lt=MAX_ATTEMPTS)
               .order_by("created_at").values_list("id", flat=True)[:limit])
    return sum(issue_safely(pk) for pk in ids)


def _received(case) -> str:
    return chinese_date(case.received_on) if case.received_on else "近日"


def _deadline_text(case) -> str:
    text = chinese_date(case.deadline) if case.deadline else "—"
    return text + ("（临时推算）" if case.deadline_provisional else "")


def acceptance(case, pending_names: list[str] = (), supplement_deadline: date | None = None) -> IssuedDocument:
    basis = ("申请材料齐全、符合法定形式，根据《中华人民共和国行政许可法》第三十二条第一款第（五）项的规定，决定予以受理。"
             if _is_licence(case) else "申请材料齐全、符合规定形式，决定予以受理。")
    body = [f"你（单位）于{_received(case)}提交的{case.item_name}申请，经审查，{basis}"]
    if pending_names and supplement_deadline:
        body.append(f"根据容缺受理承诺，下列材料须于{chinese_date(supplement_deadline)}前补齐："
                    + "；".join(pending_names) + "。逾期未补齐的，终止办理。")
    body.append(f"本机关将在受理之日起 {case.limit_days} 个工作日内（{_deadline_text(case)}前）作出决定；依法需要听证、检验、"
                "检测、检疫、鉴定和专家评审的，所需时间不计算在上述期限内，届时另行书面告知。")
    if case.deadline_provisional:
        body.append(PROVISIONAL_NOTE)
    hall = case.hall.name if case.hall_id else ""
    return _issue(case, "case.acceptance", body=body, fields=_fields(
        case, ("受理日期", chinese_date(case.accepted_at.date()) if case.accepted_at else ""), ("受理窗口", hall),
        ("办结期限", _deadline_text(case))))


def correction(case, items: list[tuple[str, str]]) -> IssuedDocument:
    """一次性告知: every item to correct in one notice (行政许可法 Art. 32 ¶1 (4))."""
    basis = "根据《中华人民共和国行政许可法》第三十二条第一款第（四）项的规定，" if _is_licence(case) else ""
    lines = [f"{i}. {name}：{problem}" if name else f"{i}. {problem}" for i, (name, problem) in enumerate(items, 1)]
    body = [f"你（单位）于{_received(case)}提交的{case.item_name}申请，申请材料不齐全或者不符合法定形式。{basis}"
            "现将需要补正的全部内容一次性告知如下："]
    closing = ["请按上述要求补正后重新提交。补正材料齐全、符合法定形式的，本机关将予以受理。"]
    return _issue(case, "case.correction", body=body, sections=[("需要补正的内容", lines), ("办理说明", closing)],
                  fields=_fields(case))


def refusal(case, reason: str, legal_basis: str) -> IssuedDocument:
    body = [f"你（单位）于{_received(case)}提交的{case.item_name}申请，经审查，{reason}。",
            f"依据{legal_basis}，本机关决定不予受理。", RIGHTS]
    return _issue(case, "case.refusal", body=body, fields=_fields(case))


def commitment(case, commitment_row, pending_names: list[str]) -> IssuedDocument:
    body = [commitment_row.text]
    return _issue(case, "case.commitment", body=body, sections=[("容缺材料", [f"{i}. {n}" for i, n in enumerate(
        pending_names, 1)])], fields=_fields(case, ("补齐期限", chinese_date(commitment_row.supplement_deadline)),
                                            ("承诺人", commitment_row.signed_by_name),
                                            ("签署日期", chinese_date(commitment_row.signed_at.date()))))


def notify_commit(case, commitment_row, verify_due: date) -> IssuedDocument:
    body = [commitment_row.text, "本机关依据申请人的书面承诺作出准予决定，并将在规定期限内对承诺内容进行核查；"
            "发现承诺不实的，依法撤销相关决定，并将失信情况记入信用记录。"]
    return _issue(case, "case.notify_commit", body=body, fields=_fields(
        case, ("承诺人", commitment_row.signed_by_name), ("签署日期", chinese_date(commitment_row.signed_at.date())),
        ("核查期限", chinese_date(verify_due))))


def suspension(case, row) -> IssuedDocument:
    label = SuspensionKind(row.kind).label
    body = [f"你（单位）申请的{case.item_name}（办件编号 {case.case_no}），因需要进行{label}，"
            f"自{chinese_date(row.from_date)}起暂停计算办理时限。理由：{row.reason}",
            "根据《中华人民共和国行政许可法》第四十五条的规定，所需时间不计算在办理期限内。恢复计时后，办结期限相应顺延，届时可查询最新期限。"]
    return _issue(case, "case.suspension", body=body, fields=_fields(case, ("暂停情形", str(label)),
                                                                      ("暂停日期", chinese_date(row.from_date))))


def extension(case, row) -> IssuedDocument:
    basis = "第四十二条第二款" if case.kind == "joint" else "第四十二条第一款"
    body = [f"你（单位）申请的{case.item_name}，因{row.reason}，不能在规定期限内作出决定。经本机关负责人批准，"
            f"根据《中华人民共和国行政许可法》{basis}的规定，办理期限延长 {row.days} 个工作日，"
            f"延长后的办结期限为{_deadline_text(case)}。"]
    return _issue(case, "case.extension", body=body, fields=_fields(case, ("延长工作日", str(row.days)),
                                                                     ("办结期限", _deadline_text(case))))


def denial(case, reason: str, legal_basis: str) -> IssuedDocument:
    """Art. 38 ¶2: a written denial states the reasons and the rights to review and litigation."""
    body = [f"你（单位）于{_received(case)}提交的{case.item_name}申请，本机关已于"
            f"{chinese_date(case.accepted_on) if case.accepted_on else '—'}受理。经审查，{reason}。",
            f"依据{legal_basis}，本机关决定不予许可。", RIGHTS]
    return _issue(case, "case.denial", body=body, fields=_fields(case))


def stop(case, reason: str) -> IssuedDocument:
    body = [f"你（单位）申请的{case.item_name}（办件编号 {case.case_no}），{reason}。本机关决定终止办理。",
            "如需继续办理，请重新提出申请。" + RIGHTS]
    return _issue(case, "case.stop", body=body, fields=_fields(case))
