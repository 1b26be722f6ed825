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


ACTIONS = {
    "accept": _accept, "accept_with_pending": _accept_pending, "request_correction": _correction,
    "supplement": _supplement, "refuse": _refuse, "commitment_approval": _commitment_approval,
    "step_approve": _step_approve, "step_deny": _step_deny, "step_return": _step_return, "decide": _decide,
    "suspend": _suspend, "resume": _resume, "request_extension": _extension, "decide_extension": _extension_decision,
    "withdraw": _withdraw, "stop": _stop, "verify_commitment": _verify, "checks": None,
}
