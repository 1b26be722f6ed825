"""The opening hall API under /api/v1/trading/lots/{lot_id}/opening: the hall's state (scoped as the page), and
one endpoint per action; each action answers with the hall's new state. Errors as in trading/api.py."""

from __future__ import annotations

from django.db import transaction
from django.http import FileResponse
from ninja import File, Form, Router, UploadedFile

from yingshang.kernel.api.auth import signed_in
from yingshang.kernel.errors import NotFound
from yingshang.kernel.services.documents import read_document_file
from yingshang.trading import queries_opening
from yingshang.trading.api_schemas import ERRORS
from yingshang.trading.api_schemas_opening import (
    AnswerIn,
    BidLine,
    DecideIn,
    DrawerIn,
    DrawOut,
    HallOut,
    ObjectionIn,
    PlanIn,
)
from yingshang.trading.services import opening, opening_decrypt, opening_sheet

router = Router(tags=["公共资源交易·开标"], auth=signed_in)

BASE = "/lots/{lot_id}/opening"
MAX_KEY = 4096


def _state(request, lot_id: int) -> dict:
    return queries_opening.view(request.user, opening.hall(request.user, lot_id))


def _act(request, lot_id: int, call) -> dict:
    opening.hall(request.user, lot_id)  # outside the hall: 404, as for reading
    with transaction.atomic():
        call()
    return _state(request, lot_id)


@router.get(BASE, response={200: HallOut, **ERRORS}, summary="开标大厅状态",
            description="签到、抽取（承诺值、抽取后的种子和结果）、各投标人解密状态、唱标后的开标一览表、异议及答复、"
                        "当前可进行的操作。投标人在唱标前只看到其他投标人的序号和状态，看不到名称和报价，任何人都看不到他人的投标文件。")
def get_hall(request, lot_id: int):
    return _state(request, lot_id)


@router.put(f"{BASE}/plan", response={200: HallOut, **ERRORS}, summary="设置开标安排（招标人或代理机构，开标前）",
            description="招标文件公布的下浮率、控制价权重取值范围（开标前由投标人推选的代表随机抽取）和解密时限。")
def set_plan(request, lot_id: int, body: PlanIn):
    return _act(request, lot_id, lambda: opening.do_set_plan(request.user, lot_id, body.model_dump()))


@router.post(f"{BASE}/sign-in", response={200: HallOut, **ERRORS}, summary="签到")
def sign_in(request, lot_id: int):
    return _act(request, lot_id, lambda: opening.do_sign_in(request.user, lot_id))


@router.post(f"{BASE}/open", response={200: HallOut, **ERRORS}, summary="开标（交易中心）",
             description="投标截止时间到后开标；有效投标少于交易方式规定的最少人数（一般为3个）的不得开标，标段流标"
                         "（trading.too_few_bids 写入未开标原因）。开标时公布随机种子的承诺值。")
def open_lot(request, lot_id: int):
    return _act(request, lot_id, lambda: opening.do_open(request.user, lot_id))


@router.post(f"{BASE}/drawer", response={200: HallOut, **ERRORS}, summary="记录投标人推选的抽取代表（交易中心）")
def set_drawer(request, lot_id: int, body: DrawerIn):
    return _act(request, lot_id, lambda: opening.do_set_drawer(request.user, lot_id, body.bid))


@router.post(f"{BASE}/draw", response={200: HallOut, **ERRORS}, summary="随机抽取下浮率及权重（投标人代表）",
             description="每个标段只能抽取一次，再次抽取返回 409 trading.draw_done；结果写入标段的下浮率。")
def do_draw(request, lot_id: int):
    return _act(request, lot_id, lambda: opening.do_draw(request.user, lot_id))


@router.get(f"{BASE}/draw", response={200: DrawOut, **ERRORS}, summary="抽取核验",
            description="承诺值、种子（抽取后）、输入范围和上下文、复算结果；ok 为 true 表示种子与承诺值相符且结果一致。")
def verify_draw(request, lot_id: int):
    here = opening.hall(request.user, lot_id)
    if here.plan is None:
        return {"commitment": "", "seed": "", "drawn": False, "inputs": [], "ok": None}
    return opening.verify_draw(here.plan)


@router.post(f"{BASE}/decrypt", response={200: HallOut, **ERRORS}, summary="远程解密本单位投标文件（投标人）",
             description="multipart/form-data：key（投标时保存的 YSBID1 密钥文件）或 key_text（粘贴的密钥）。"
                         "密钥错误 400 trading.key_wrong，可重试；文件损坏或摘要不符 400 trading.bid_corrupt；"
                         "解密时间已过 409 trading.decrypt_window_closed。")
def decrypt(request, lot_id: int, key: File[UploadedFile] = None, key_text: Form[str] = ""):
    text = key.read(MAX_KEY) if key is not None else key_text
    opening.hall(request.user, lot_id)
    opening_decrypt.decrypt_at_edge(request.user, lot_id, text)  # a failed attempt is counted, then raised
    return _state(request, lot_id)


@router.post(f"{BASE}/close", response={200: HallOut, **ERRORS}, summary="结束解密（交易中心）",
             description="全部解密后可提前结束；否则须等解密时间届满（定时任务也会结束）。")
def close_window(request, lot_id: int):
    return _act(request, lot_id, lambda: opening_decrypt.do_close_window(request.user, lot_id))


@router.post(f"{BASE}/bids/{{bid_id}}/decide", response={200: HallOut, **ERRORS}, summary="认定未解密的投标文件（交易中心）",
             description="《电子招标投标办法》第三十一条：因投标人原因未解密的视为撤销（revoked），因投标人之外的原因的视为撤回（withdrawn）。")
def decide(request, lot_id: int, bid_id: int, body: DecideIn):
    return _act(request, lot_id, lambda: opening_decrypt.do_decide_not_decrypted(
        request.user, lot_id, bid_id, body.fault, body.reason))


@router.post(f"{BASE}/publish", response={200: HallOut, **ERRORS}, summary="唱标：公布开标一览表（交易中心）")
def publish(request, lot_id: int):
    return _act(request, lot_id, lambda: opening_sheet.do_publish_sheet(request.user, lot_id))


@router.get(f"{BASE}/sheet", response={200: list[BidLine], **ERRORS}, summary="开标一览表",
            description="各投标人的状态；唱标后为名称、报价、工期、质量、项目负责人、是否高于最高投标限价及签字确认时间。"
                        "唱标前投标人只看到本单位的一览表。")
def get_sheet(request, lot_id: int):
    return _state(request, lot_id)["bids"]


@router.post(f"{BASE}/sign", response={200: HallOut, **ERRORS}, summary="对本单位开标一览表签字确认（投标人）")
def sign(request, lot_id: int):
    return _act(request, lot_id, lambda: opening_sheet.do_sign_line(request.user, lot_id))


@router.post(f"{BASE}/objections", response={200: HallOut, **ERRORS}, summary="对开标提出异议（投标人，开标现场）")
def raise_objection(request, lot_id: int, body: ObjectionIn):
    return _act(request, lot_id, lambda: opening_sheet.do_raise_objection(request.user, lot_id, body.content))


@router.post(f"{BASE}/objections/{{objection_id}}/answer", response={200: HallOut, **ERRORS},
             summary="当场答复开标异议（招标人或代理机构）")
def answer_objection(request, lot_id: int, objection_id: int, body: AnswerIn):
    return _act(request, lot_id, lambda: opening_sheet.do_answer_objection(
        request.user, lot_id, objection_id, body.answer))


@router.post(f"{BASE}/record", response={200: HallOut, **ERRORS}, summary="出具开标记录 PDF（交易中心）",
             description="唱标后出具；再次出具时作废上一份。")
def issue_record(request, lot_id: int):
    return _act(request, lot_id, lambda: opening_sheet.do_issue_record(request.user, lot_id))


@router.get(f"{BASE}/record", response={200: None, **ERRORS}, summary="下载开标记录 PDF",
            description="开标大厅的参加方均可下载；文件按登记的 SHA-256 校验后返回。")
def get_record(request, lot_id: int):
    here = opening.hall(request.user, lot_id)
    if here.plan is None or here.plan.record is None:
        raise NotFound("trading.record_not_found", "开标记录尚未出具")
    import io

    return FileResponse(io.BytesIO(read_document_file(here.plan.record)), content_type="application/pdf",
                        filename=f"opening-record-{lot_id}.pdf")
