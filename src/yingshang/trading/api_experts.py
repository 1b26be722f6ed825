"""The expert database and the expert draw under /api/v1/trading (issue 12 §6): specialties, experts (the
centre's list, detail, edits, sanctions; an expert's own profile), the draw of a lot (prepare → reveal,
replies, redraw, representatives, completion), its verification, and an expert's invitations.

Drawn names are sealed until the lot's evaluation starts: others than the centre's draw officer get counts.
"""

from __future__ import annotations

from typing import Annotated

from django.db import transaction
from ninja import Query, Router, Status

from yingshang.kernel.api.auth import signed_in
from yingshang.trading import queries
from yingshang.trading.api_schemas import ERRORS, Limit, Offset
from yingshang.trading.api_schemas_experts import (
    DrawIn,
    DrawOut,
    ExpertIn,
    ExpertOut,
    ExpertPageOut,
    ExpertUpdateIn,
    InvitationOut,
    MemberOut,
    RelationIn,
    ReplyCodeIn,
    ReplyIn,
    RepresentativeIn,
    SanctionIn,
    SmsReplyIn,
    SpecialtyOut,
    StatusIn,
    VerifyFlagIn,
    VerifyOut,
    VersionIn,
)
from yingshang.trading.models import ExpertDraw
from yingshang.trading.services import common, expert_draws, experts, invitations

router = Router(tags=["评标专家与专家抽取"], auth=signed_in)


def expert_out(e) -> dict:
    return {"id": e.pk, "row_version": e.row_version, "name": e.name, "id_masked": e.id_masked,
            "phone_masked": e.phone_masked, "employer_name": e.employer_name, "employer_uscc": e.employer_uscc,
            "region": e.region, "title": e.title, "qualification": e.qualification,
            "specialties": sorted(s.code for s in e.specialties.all()), "status": e.status,
            "status_label": e.status_label, "verification": e.verification, "verification_note": e.verification_note,
            "suspended_until": e.suspended_until, "has_account": e.user_id is not None}


def draw_out(user, lot) -> dict:
    view = invitations.draw_view(user, lot)
    d = view.draw
    if d is None:
        return {"id": None, "lot_id": lot.pk, "status": "", "names_visible": view.names_visible,
                "may_run": view.may_run}
    members = [{"id": i.pk, "expert_id": i.expert_id, "name": i.expert.name, "specialty": i.specialty,
                "round": i.round.seq, "rank": i.rank, "role": i.role, "status": i.status, "status_label": i.status_label,
                "reply_due": i.reply_due} for i in view.invitations]
    return {"id": d.pk, "lot_id": lot.pk, "status": d.status, "status_label": d.status_label,
            "row_version": d.row_version, "evaluation_on": d.evaluation_on, "requirements": d.requirements,
            "avoid_district": d.avoid_district, "reply_minutes": d.reply_minutes,
            "rounds": [expert_draws.round_summary(r) for r in d.rounds.order_by("seq")],
            "names_visible": view.names_visible, "may_run": view.may_run, "counts": view.counts,
            "vacancies": expert_draws.vacancies(d), "invitations": members,
            "committee": [{"role": m.role, "name": m.name, "confirmed_at": m.confirmed_at} for m in view.committee]}


@router.get("/specialties", response={200: list[SpecialtyOut], **ERRORS}, summary="专家专业分类")
def list_specialties(request):
    from yingshang.trading.models import Specialty

    return [{"code": s.code, "name": s.name, "parent": s.parent.code if s.parent else None}
            for s in Specialty.objects.filter(active=True).select_related("parent")]


@router.get("/experts", response={200: ExpertPageOut, **ERRORS}, summary="评标专家库（交易中心）",
            description="按姓名/单位、专业（含下级）、状态、地区筛选；身份证号和手机号只显示脱敏值。")
def list_experts(request, q: Annotated[str, Query(max_length=50)] = "",
                 specialty: Annotated[str, Query(max_length=12)] = "", status: Annotated[str, Query(max_length=8)] = "",
                 region: Annotated[str, Query(max_length=6)] = "", limit: Limit = 20, offset: Offset = 0):
    rows = experts.experts_for(request.user, q=q, specialty=specialty, status=status, region=region)
    return {"items": [expert_out(e) for e in rows[offset:offset + limit]], "total": rows.count()}


def _register(request, body, by_self: bool):
    with transaction.atomic():
        e = experts.do_register(request.user, body.model_dump(), by_self=by_self)
    return Status(201, expert_out(experts.expert(request.user, e.pk)))


@router.post("/experts", response={201: ExpertOut, **ERRORS}, summary="登记评标专家（交易中心）",
             description="身份和社保核验：姓名与身份证号不符拒绝（trading.expert_identity_mismatch）；参保单位不符则登记为核验不符、不参加抽取。")
def register_expert(request, body: ExpertIn):
    return _register(request, body, False)


@router.get("/experts/me", response={200: ExpertOut | None, **ERRORS}, summary="我的专家信息（评标专家）")
def my_expert(request):
    e = experts.my_expert(request.user)
    return expert_out(e) if e else None


@router.post("/experts/me", response={201: ExpertOut, **ERRORS}, summary="本人申请入库（评标专家）")
def register_me(request, body: ExpertIn):
    return _register(request, body, True)


@router.get("/experts/{expert_id}", response={200: ExpertOut, **ERRORS}, summary="评标专家详情")
def get_expert(request, expert_id: int):
    return expert_out(experts.expert(request.user, expert_id))


def _expert_act(request, expert_id: int, call):
    experts.expert(request.user, expert_id)  # outside the scope: 404
    with transaction.atomic():
        call()
    return expert_out(experts.expert(request.user, expert_id))


@router.put("/experts/{expert_id}", response={200: ExpertOut, **ERRORS}, summary="修改专家信息")
def update_expert(request, expert_id: int, body: ExpertUpdateIn):
    data = body.model_dump()
    return _expert_act(request, expert_id, lambda: experts.do_update(request.user, expert_id, data.pop("row_version"),
                                                                     data))


@router.post("/experts/{expert_id}/status", response={200: ExpertOut, **ERRORS}, summary="在库、暂停或出库")
def set_status(request, expert_id: int, body: StatusIn):
    return _expert_act(request, expert_id, lambda: experts.do_set_status(request.user, expert_id, body.row_version,
                                                                         body.status, body.note))


@router.post("/experts/{expert_id}/verify", response={200: ExpertOut, **ERRORS}, summary="人工核验通过（核验不符的专家）")
def clear_flag(request, expert_id: int, body: VerifyFlagIn):
    return _expert_act(request, expert_id, lambda: experts.do_clear_flag(request.user, expert_id, body.row_version,
                                                                         body.note))


@router.post("/experts/{expert_id}/sanctions", response={200: ExpertOut, **ERRORS}, summary="记录专家处理（暂停6/12个月、出库）")
def sanction(request, expert_id: int, body: SanctionIn):
    return _expert_act(request, expert_id, lambda: experts.do_sanction(request.user, expert_id, body.model_dump()))


@router.post("/experts/{expert_id}/relations", response={200: ExpertOut, **ERRORS}, summary="登记回避关系（任职、利害关系）")
def add_relation(request, expert_id: int, body: RelationIn):
    return _expert_act(request, expert_id, lambda: experts.do_add_relation(request.user, expert_id, body.model_dump()))


# --- The draw ---------------------------------------------------------------------------------------------
def _lot_for_draw(user, lot_id: int):
    """The lot in the user's scope, or — for a bidder of the lot — the lot itself (bidders see the counts)."""
    from yingshang.kernel.errors import Forbidden, NotFound
    from yingshang.trading.models import Bid

    try:
        return queries.lot(user, lot_id)
    except (Forbidden, NotFound):
        if not 0 < lot_id < 2**62:  # the database's integer range (a fuzzed id must not overflow the query)
            raise
        bid = Bid.objects.filter(lot_id=lot_id, bidder=user).select_related("lot__project").first()
        if bid is None:
            raise
        return bid.lot


@router.get("/lots/{lot_id}/draw", response={200: DrawOut, **ERRORS}, summary="标段的专家抽取（评标开始前只显示人数）",
            description="交易中心抽取人员看到名单；招标人、代理机构、监督部门和本标段投标人在评标开始前只看到人数。")
def get_draw(request, lot_id: int):
    return draw_out(request.user, _lot_for_draw(request.user, lot_id))


@router.post("/lots/{lot_id}/draw", response={201: DrawOut, **ERRORS}, summary="申请专家抽取并提交种子承诺",
             description="按专业和人数（含候补）抽取；回避投标人、招标人、代理机构的人员及近三年任职、申报的"
                         "利害关系、受处理或不在库的专家、同日已有评标任务的专家，可选回避项目所在区县。"
                         "先公布种子的 SHA-256 承诺值和候选池，再揭示种子抽取。"
                         "每个标段只能抽取一次（trading.draw_exists）。")
def prepare_draw(request, lot_id: int, body: DrawIn):
    queries.lot(request.user, lot_id)
    with transaction.atomic():
        expert_draws.do_prepare(request.user, lot_id, body.model_dump())
    return Status(201, draw_out(request.user, queries.lot(request.user, lot_id)))


def _draw_act(request, draw_id: int, call):
    d = ExpertDraw.objects.filter(pk=draw_id).first() if 0 < draw_id < 2**62 else None
    lot = queries.lot(request.user, d.lot_id if d else -1)
    with transaction.atomic():
        call()
    lot.refresh_from_db()
    return draw_out(request.user, lot)


@router.post("/draws/{draw_id}/reveal", response={200: DrawOut, **ERRORS}, summary="揭示种子并抽取，通知正选专家")
def reveal(request, draw_id: int, body: VersionIn):
    return _draw_act(request, draw_id, lambda: expert_draws.do_reveal(request.user, draw_id, body.row_version))


@router.post("/draws/{draw_id}/redraw", response={200: DrawOut, **ERRORS}, summary="补抽（候补用完后，仅为拒绝或超时的席位）")
def redraw(request, draw_id: int, body: VersionIn):
    return _draw_act(request, draw_id, lambda: expert_draws.do_redraw(request.user, draw_id, body.row_version))


@router.post("/draws/{draw_id}/complete", response={200: DrawOut, **ERRORS}, summary="确认评标委员会组成（≥5人单数、专家≥2/3）")
def complete(request, draw_id: int, body: VersionIn):
    return _draw_act(request, draw_id, lambda: expert_draws.do_complete(request.user, draw_id, body.row_version))


@router.post("/draws/{draw_id}/replies", response={200: DrawOut, **ERRORS}, summary="登记短信或电话回复（按回复码）")
def reply_by_code(request, draw_id: int, body: ReplyCodeIn):
    return _draw_act(request, draw_id, lambda: invitations.do_reply_by_code(request.user, draw_id, body.code,
                                                                            body.accept))


@router.post("/draws/{draw_id}/representatives", response={200: DrawOut, **ERRORS}, summary="确定招标人代表（招标人或代理机构）")
def add_representative(request, draw_id: int, body: RepresentativeIn):
    return _draw_act(request, draw_id, lambda: invitations.do_add_representative(request.user, draw_id, body.name,
                                                                                 body.username))


@router.post("/sms/replies", response={200: InvitationOut, **ERRORS}, summary="短信网关转交的专家回复",
             description="交易中心的短信网关系统账号调用：按发送号码和回复码（“1 123456”参加、“2 123456”不参加）匹配邀请。")
def sms_reply(request, body: SmsReplyIn):
    with transaction.atomic():
        i = invitations.do_sms_reply(request.user, body.phone, body.text)
    return invitation_out(i)


@router.post("/draws/sweep", response={200: dict, **ERRORS}, summary="处理超时未回复的邀请（递补候补）")
def sweep(request):
    common.check_perm(request.user, common.DRAW)
    with transaction.atomic():
        return {"timed_out": invitations.do_sweep()}


@router.get("/draws/{draw_id}/verify", response={200: VerifyOut, **ERRORS}, summary="验证抽取（按公布的种子和候选池重算）")
def verify(request, draw_id: int):
    return expert_draws.verify(draw_id)


# --- An expert's own work ---------------------------------------------------------------------------------
def invitation_out(i) -> dict:
    unsealed = i.draw.lot.status in expert_draws.UNSEALED_LOT_STATES
    return {"id": i.pk, "row_version": i.row_version, "specialty": i.specialty, "status": i.status,
            "status_label": i.status_label, "evaluation_on": i.draw.evaluation_on, "reply_due": i.reply_due,
            "lot_name": str(i.draw.lot) if unsealed else None}


@router.get("/my/invitations", response={200: list[InvitationOut], **ERRORS}, summary="我的抽取通知（评标专家）")
def my_invitations(request):
    return [invitation_out(i) for i in invitations.my_invitations(request.user)[:100]]


@router.post("/invitations/{invitation_id}/reply", response={200: InvitationOut, **ERRORS}, summary="确认或拒绝参加评标")
def reply(request, invitation_id: int, body: ReplyIn):
    with transaction.atomic():
        i = invitations.do_reply(request.user, invitation_id, body.row_version, body.accept, body.note)
    return invitation_out(i)


@router.get("/my/committees", response={200: list[MemberOut], **ERRORS}, summary="我的评标任务（评标专家）")
def my_committees(request):
    return [{"lot_id": m.lot_id, "lot_status": m.lot.status, "confirmed_at": m.confirmed_at,
             "lot_name": str(m.lot) if m.lot.status in expert_draws.UNSEALED_LOT_STATES else None}
            for m in invitations.my_committees(request.user)[:100]]
