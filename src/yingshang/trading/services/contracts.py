"""The contract (TBL Art. 46: within 30 days of the notice) uploaded by the tenderer, AWARDED → CONTRACTED,
with the CONTRACT_SIGNED hook (bond refunds); overdue contracts for the centre; the transaction
certificate (交易凭证) issued by the centre as a kernel document (PDF, QR code to /verify/<code>/)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, InvalidInput
from yingshang.kernel.services import documents, uploads, workflow
from yingshang.kernel.services.audit import record
from yingshang.trading import hooks, rules, rules_award
from yingshang.trading.models import AwardDecision, Certificate, Contract
from yingshang.trading.services import common, lots
from yingshang.trading.services.publicity import check_not_suspended, check_own, lock_lot, refuse

CERTIFICATE_KIND = "trading_certificate"


def decision_of(lot) -> AwardDecision:
    decision = AwardDecision.objects.filter(lot=lot).first()
    if decision is None:
        raise Conflict("trading.not_awarded", "该标段尚未定标")
    return decision


def do_sign(user, lot_id, row_version, *, signed_on, upload, price=None) -> Contract:
    common.check_perm(user, common.AWARD)
    lot = lock_lot(lot_id, row_version)
    check_own(user, lot)
    after = rules.LOT_FLOW.require(lot, rules.SIGN_CONTRACT)
    check_not_suspended(lot)
    decision = decision_of(lot)
    today = clock.today()
    day = common.fields.day(signed_on, "signed_on", "合同签订日期")
    refuse(rules_award.check_contract_day(decision.notice_on, day, today), InvalidInput)
    refuse(rules.check_contract(decision.notice_on, day), InvalidInput)
    amount = common.fields.amount(price, "price", "合同价", required=False, maximum=10**13)
    checked = uploads.check_upload(upload, label="合同")
    stored = uploads.do_store(user, upload, checked=checked)
    contract = Contract.objects.create(lot=lot, signed_on=day, price=amount, file=stored, uploaded_by=user,
                                       uploaded_at=clock.now())
    before = lots.snapshot(lot)
    lot.status = after
    workflow.finish(lot, rules.SIGN_CONTRACT, before, snapshot=lots.snapshot, fields=["status"], extra={"contract": {
        "signed_on": day.isoformat(), "due": decision.contract_due.isoformat(), "sha256": stored.sha256,
        "size": stored.size, "price": str(amount) if amount is not None else None}})
    hooks.CONTRACT_SIGNED.run(lot=lot, signed_on=day)
    return contract


def overdue(user, *, only_overdue: bool = False):
    """Awarded lots waiting for their contract, with the due date (TBL Art. 46), soonest first."""
    common.check_perm(user, common.ARCHIVE)
    queryset = (AwardDecision.objects.filter(lot__status=rules.AWARDED)
                .select_related("lot", "lot__project").order_by("contract_due", "pk"))
    return queryset.filter(contract_due__lt=clock.today()) if only_overdue else queryset


def do_issue_certificate(user, lot_id) -> Certificate:
    common.check_perm(user, common.ARCHIVE)
    lot = lock_lot(lot_id, None)
    if lot.status not in (rules.AWARDED, rules.CONTRACTED):
        raise Conflict("trading.certificate_not_ready", "定标后方可出具交易凭证", details={"status": lot.status})
    if Certificate.objects.filter(lot=lot).exists():
        raise Conflict("trading.certificate_exists", "该标段已出具交易凭证")
    decision = decision_of(lot)
    contract = Contract.objects.filter(lot=lot).first()
    project = lot.project
    fields = [("项目名称", project.name), ("标段", lot.name), ("审批（核准、备案）文号", project.approval_no),
              ("招标人", project.tenderer_name), ("交易方式", lot.procedure.name), ("中标人", decision.winner_name),
              ("中标人统一社会信用代码", decision.winner_uscc),
              ("中标价（元）", "—" if decision.price is None else f"{decision.price:.2f}"),
              ("定标方法", decision.method_label), ("定标日期", f"{decision.decided_on:%Y-%m-%d}"),
              ("中标通知书核验码", documents.format_code(decision.notice.verification_code) if decision.notice else "—")]
    if contract:
        fields.append(("合同签订日期", f"{contract.signed_on:%Y-%m-%d}"))
    document = documents.do_issue_document(
        CERTIFICATE_KIND, "公共资源交易凭证", holder_name=decision.winner_name, issuer=user.department, obj=lot,
        body=["兹证明下列项目已在本平台依法完成交易，交易信息如下。扫描二维码可核验本凭证的真伪、状态和文件摘要。"],
        fields=fields)
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(lot=lot, document=document, issued_by=user, issued_at=clock.now())
    except IntegrityError:
        raise Conflict("trading.certificate_exists", "该标段已出具交易凭证") from None
    record("trading.certificate.issue", certificate, after={"lot": lot.pk, "verification_code": document.verification_code,
                                                            "sha256": document.sha256})
    return certificate
