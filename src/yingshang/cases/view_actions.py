"""The form actions of the case page: each reads its POST fields and calls one service.

A handler returns the success message; services raise the errors the page shows.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from yingshang.cases.choices import MaterialStatus
from yingshang.cases.services import acceptance, clock, lifecycle, review
from yingshang.kernel.errors import InvalidInput


def form_int(value, default=None) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return number if 0 <= number < 2**62 else default


def _materials(post) -> dict[int, str]:
    """Fields m_<material id> = provided | pending | missing."""
    out = {}
    for key, value in post.items():
        if key.startswith("m_") and value in MaterialStatus.values:
            material_id = form_int(key[2:])
            if material_id:
                out[material_id] = value
    return out


def _ids(post, name: str) -> list[int]:
    return [i for i in (form_int(v) for v in post.getlist(name)) if i]


def _step_id(post) -> int:
    step_id = form_int(post.get("step_id"))
    if not step_id:
        raise InvalidInput("case.step_required", "请选择办理环节")
    return step_id


def _accept(user, case, rv, post):
    acceptance.do_accept(user, case.pk, rv, materials=_materials(post), override_reason=post.get("override_reason", ""),
                         id_number=post.get("id_number") or None)
    return _("已受理，受理通知书已生成。")


def _accept_pending(user, case, rv, post):
    acceptance.do_accept_with_pending(
        user, case.pk, rv, materials=_materials(post), supplement_days=form_int(post.get("supplement_days"), 0),
        commitment_text=post.get("commitment_text", ""), override_reason=post.get("override_reason", ""),
        id_number=post.get("id_number") or None)
    return _("已容缺受理，容缺受理承诺书和受理通知书已生成。")


def _correction(user, case, rv, post):
    items = []
    for material_id in _ids(post, "material"):
        problem = post.get(f"problem_{material_id}", "").strip()
        if problem:
            items.append((material_id, problem))
    for line in post.get("other", "").splitlines():
        if line.strip():
            items.append((None, line.strip()))
    acceptance.do_request_correction(user, case.pk, rv, items=items)
    return _("已一次性告知补正，补正材料通知书已生成。")


def _supplement(user, case, rv, post):
    acceptance.do_supplement(user, case.pk, rv, material_ids=_ids(post, "material"), note=post.get("note", ""))
    return _("已登记补交的材料。")


def _refuse(user, case, rv, post):
    acceptance.do_refuse(user, case.pk, rv, reason=post.get("reason", ""), legal_basis=post.get("legal_basis", ""))
    return _("已作出不予受理决定，决定书已生成。")


def _commitment_approval(user, case, rv, post):
    acceptance.do_commitment_approval(user, case.pk, rv, commitment_text=post.get("commitment_text", ""),
                                      override_reason=post.get("override_reason", ""),
                                      id_number=post.get("id_number") or None)
    return _("已依告知承诺审批通过，并生成事后核查任务。")


def _step_approve(user, case, rv, post):
    review.do_step_approve(user, _step_id(post), rv, reason=post.get("reason", ""), legal_basis=post.get("legal_basis", ""))
    return _("审查通过。")


def _step_deny(user, case, rv, post):
    review.do_step_deny(user, _step_id(post), rv, reason=post.get("reason", ""), legal_basis=post.get("legal_basis", ""))
    return _("审查不通过，办件已作出不予许可决定。")


def _step_return(user, case, rv, post):
    review.do_step_return(user, _step_id(post), rv, reason=post.get("reason", ""),
                          to_stage=form_int(post.get("to_stage")) or None)
    return _("已退回。")


def _decide(user, case, rv, post):
    approve = post.get("approve") == "1"
    review.do_decide(user, case.pk, rv, approve=approve, reason=post.get("reason", ""),
                     legal_basis=post.get("legal_basis", ""))
    return _("已作出准予许可决定。") if approve else _("已作出不予许可决定，决定书已生成。")


def _suspend(user, case, rv, post):
    clock.do_suspend(user, case.pk, rv, kind=post.get("kind", ""), reason=post.get("reason", ""))
    return _("已暂停计时，告知书已生成。")


def _resume(user, case, rv, post):
    clock.do_resume(user, case.pk, rv, note=post.get("note", ""))
    return _("已恢复计时。")


def _extension(user, case, rv, post):
    clock.do_request_extension(user, case.pk, rv, days=form_int(post.get("days"), 0), reason=post.get("reason", ""))
    return _("已提交延期申请，待部门负责人批准。")


def _extension_decision(user, case, rv, post):
    approve = post.get("approve") == "1"
    clock.do_decide_extension(user, case.pk, rv, approve=approve, note=post.get("note", ""))
    return _("已批准延期，延期告知书已生成。") if approve else _("已不批准延期。")


def _withdraw(user, case, rv, post):
    lifecycle.do_withdraw(user, case.pk, rv, reason=post.get("reason", ""))
    return _("申请已撤回。")


def _stop(user, case, rv, post):
    lifecycle.do_stop(user, case.pk, rv, reason=post.get("reason", ""))
    return _("已终止办理，通知书已生成。")


def _verify(user, case, rv, post):
    lifecycle.do_verify_commitment(user, case.pk, rv, passed=post.get("passed") == "1", result=post.get("result", ""))
    return _("已登记事后核查结果。")


def _issue(user, case, rv, post):  # issuance work
    from datetime import date

    from yingshang.cases.services import issuance

    raw = (post.get("valid_until") or "").strip()
    try:
        until = date.fromisoformat(raw) if raw else None
    except ValueError:
        raise InvalidInput("case.valid_until_invalid", "有效期截止日期格式不正确") from None
    done = issuance.do_issue(user, case.pk, rv, valid_until=until, result_name=post.get("result_name", ""))
    return _("已制发%(name)s，编号 %(no)s，电子证照已放入申请人的证照夹。") % {"name": done.result_name, "no": done.number}


def _deliver_pickup(user, case, rv, post):  # issuance work
    from yingshang.cases.services import issuance

    issuance.do_deliver_pickup(user, case.pk, rv, picked_up_by=post.get("picked_up_by", ""), id_number=post.get("id_number", ""))
    return _("已登记领取，办件已办结。")


def _deliver_express(user, case, rv, post):  # issuance work
    from yingshang.cases.services import issuance

    issuance.do_deliver_express(user, case.pk, rv, carrier=post.get("carrier", ""), tracking_no=post.get("tracking_no", ""),
                                recipient=post.get("recipient", ""), phone=post.get("phone", ""),
                                address=post.get("address", ""))
    return _("已登记快递寄出，办件已办结。")


ACTIONS = {
    "accept": _accept, "accept_with_pending": _accept_pending, "request_correction": _correction,
    "supplement": _supplement, "refuse": _refuse, "commitment_approval": _commitment_approval,
    "step_approve": _step_approve, "step_deny": _step_deny, "step_return": _step_return, "decide": _decide,
    "suspend": _suspend, "resume": _resume, "request_extension": _extension, "decide_extension": _extension_decision,
    "withdraw": _withdraw, "stop": _stop, "verify_commitment": _verify, "checks": None,
    "issue": _issue, "deliver_pickup": _deliver_pickup, "deliver_express": _deliver_express,  # issuance work
}


# --- Online pre-review (网上预审): pass, or return one complete list of corrections -----------------
def _prereview_items(post) -> list[tuple[int | None, str]]:
    items = [(m, post.get(f"problem_{m}", "").strip()) for m in _ids(post, "material")]
    items = [(m, p) for m, p in items if p]
    return items + [(None, line.strip()) for line in post.get("other", "").splitlines() if line.strip()]


def _prereview_pass(user, case, rv, post):
    from yingshang.cases.services import prereview

    prereview.do_pass(user, case.pk, rv, note=post.get("note", ""))
    return _("网上预审通过，已告知申请人等待受理。")


def _prereview_return(user, case, rv, post):
    from yingshang.cases.services import prereview

    prereview.do_return(user, case.pk, rv, items=_prereview_items(post))
    return _("已退回补正，补正材料通知书已生成并告知申请人。")


ACTIONS.update({"prereview_pass": _prereview_pass, "prereview_return": _prereview_return})
