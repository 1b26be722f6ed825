"""Pages of the award file (§8): the lot's award page with the actions of whoever looks at it (the
tenderer publishes, answers, decides and uploads the contract; the centre issues the certificate and
archives), the centre's contracts due, the archive download, and the bidder's results and objections.
Forms post the row_version they were rendered with; the services decide."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from yingshang.kernel import access, clock
from yingshang.kernel.errors import NotFound, ServiceError
from yingshang.kernel.page_actions import run_form_action
from yingshang.kernel.services import uploads
from yingshang.kernel.services.validation import as_id
from yingshang.trading import queries_award, rules, rules_award
from yingshang.trading.services import archive, award, common, contracts, publicity

MEMBER_ROWS = 7  # committee rows on the award form; blank ones are ignored


def _lot(request, pk):
    try:
        return queries_award.lot_for(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _can(user, lot, *, tenderer_only=False) -> bool:
    uscc = user.uscc or ""
    owners = (lot.project.tenderer_uscc,) if tenderer_only else (lot.project.tenderer_uscc, lot.project.agency_uscc)
    return access.has_perm(user, common.AWARD) and bool(uscc) and uscc in owners


@login_required
def award_page(request, pk: int):
    lot = _lot(request, pk)
    user = request.user
    file = queries_award.award_file(user, lot)
    is_bidder = not access.has_perm(user, common.VIEW)
    can = {
        "publish": lot.status == rules.EVALUATING and _can(user, lot),
        "answer": _can(user, lot),
        "draw": lot.status == rules.PUBLICITY and _can(user, lot) and not file["draw"]
        and (file["publicity"] or {}).get("award_method") == rules_award.DRAW,
        "award": lot.status == rules.PUBLICITY and _can(user, lot, tenderer_only=True),
        "contract": lot.status == rules.AWARDED and _can(user, lot),
        "certificate": lot.status in (rules.AWARDED, rules.CONTRACTED) and not file["certificate"]
        and access.has_perm(user, common.ARCHIVE),
        "archive": rules.LOT_FLOW.allowed(lot.status, rules.ARCHIVE) and access.has_perm(user, common.ARCHIVE),
        "download": bool(file["archive"]) and access.has_perm(user, common.ARCHIVE_READ),
        "object": is_bidder and lot.status == rules.PUBLICITY and access.has_perm(user, common.OBJECT),
        "complain": is_bidder and access.has_perm(user, common.OBJECT) and lot.status not in rules.LOT_FLOW.final_states,
    }
    return render(request, "trading/award_lot.html", {
        "lot": lot, "project": lot.project, "file": file, "can": can, "methods": rules_award.AWARD_METHODS,
        "method_notes": rules_award.AWARD_METHOD_NOTES, "member_rows": range(MEMBER_ROWS), "today": clock.today()})


def _members(post) -> list[dict]:
    rows = []
    for i in range(MEMBER_ROWS):
        name = post.get(f"member{i}-name", "").strip()
        if name:
            rows.append({"name": name, "title": post.get(f"member{i}-title", ""), "vote": post.get(f"member{i}-vote")})
    return rows


ACTIONS = {
    "publish": (lambda user, pk, v, post: publicity.do_publish(user, pk, v, ends_on=post.get("ends_on"),
                                                               award_method=post.get("award_method")), "已公示中标候选人"),
    "object": (lambda user, pk, v, post: publicity.do_object(user, pk, content=post.get("content")), "异议已提交"),
    "draw": (lambda user, pk, v, post: award.do_commit_draw(user, pk), "已生成并公布随机种子承诺"),
    "award": (lambda user, pk, v, post: award.do_award(user, pk, v, members=_members(post), reasons=post.get("reasons"),
                                                       winner_id=post.get("winner_id")), "已定标，中标通知书已发出"),
    "certificate": (lambda user, pk, v, post: contracts.do_issue_certificate(user, pk), "交易凭证已出具"),
    "archive": (lambda user, pk, v, post: archive.do_archive(user, pk, v), "已归档"),
}


@login_required
@require_POST
def award_act(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404(_("没有这个操作"))
    call, done = ACTIONS[action]

    def run():
        _lot(request, pk)  # not found outside the user's scope
        call(request.user, pk, as_id(request.POST.get("row_version")), request.POST)

    run_form_action(request, run, _(done))
    return redirect("trading:award", pk=pk)


@login_required
@require_POST
def answer_objection(request, pk: int, objection_id: int):
    _lot(request, pk)
    run_form_action(request, lambda: publicity.do_answer(request.user, objection_id, as_id(request.POST.get("row_version")),
                                                         answer=request.POST.get("answer")), _("已答复异议"))
    return redirect("trading:award", pk=pk)


@csrf_exempt
@login_required
def contract_upload(request, pk: int):
    """Multipart: the upload guard runs before CSRF reads the body (kernel uploads)."""
    error = uploads.guard_request(request, max_files=1) if request.method == "POST" else None
    return _contract_upload(request, pk, error)


@csrf_protect
def _contract_upload(request, pk: int, error):
    if request.method != "POST":
        return redirect("trading:award", pk=pk)
    _lot(request, pk)
    from django.contrib import messages

    if error is not None:
        messages.error(request, error.message)
        return redirect("trading:award", pk=pk)
    run_form_action(request, lambda: contracts.do_sign(
        request.user, pk, as_id(request.POST.get("row_version")), signed_on=request.POST.get("signed_on"),
        upload=request.FILES.get("file"), price=request.POST.get("price") or None), _("合同已上传，标段已签订合同"))
    return redirect("trading:award", pk=pk)


@login_required
def archive_download(request, pk: int):
    try:
        found = archive.archive_of(request.user, pk)
    except ServiceError as exc:
        if isinstance(exc, NotFound):
            raise Http404(exc.message) from None
        raise PermissionDenied(exc.message) from None
    response = HttpResponse(archive.zip_bytes(found), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="lot-{pk}-archive.zip"'
    return response


@login_required
def contracts_due(request):
    if not access.has_perm(request.user, common.ARCHIVE):
        raise PermissionDenied(_("您没有访问此页面的权限"))
    only = request.GET.get("overdue") == "1"
    rows = list(contracts.overdue(request.user, only_overdue=only)[:200])
    return render(request, "trading/award_contracts_due.html", {"rows": rows, "only": only, "today": clock.today()})


@login_required
def my_results(request):
    if not access.has_perm(request.user, common.OBJECT):
        raise PermissionDenied(_("您没有访问此页面的权限"))
    return render(request, "trading/award_my_results.html", {"rows": queries_award.my_results(request.user)})
