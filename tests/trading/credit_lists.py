"""Credit lists for the trading tests: a black list whose memorandum bars bidding (scenario 招标投标)."""

from datetime import date

from tests.factories import DepartmentFactory, UserFactory
from yingshang.credit.models import ListType, Measure, Memorandum
from yingshang.credit.services import lists
from yingshang.credit.services.joint import CACHE


def bidding_blacklist() -> dict:
    xyb = DepartmentFactory(code="610800-XYB", name="榆林市社会信用体系建设办公室")
    officer = UserFactory(username="credit_t", role_codes=["credit_officer"], department=xyb)
    black = ListType.objects.create(code="serious_bidding", name="招标投标领域严重失信主体", list_kind="black",
                                    designating_authority="发展改革部门", designating_department=xyb,
                                    legal_basis="发改法规〔2016〕1455号", default_validity_months=36)
    watch = ListType.objects.create(code="watch_bidding", name="招标投标领域重点关注对象", list_kind="watch",
                                    designating_authority="信用办", designating_department=xyb, legal_basis="榆政函")
    memo = Memorandum.objects.create(code="mou-bidding", title="关于对失信主体实施联合惩戒的合作备忘录",
                                     document_no="发改财金〔2016〕1453号")
    memo.list_types.set([black])
    bar = Measure.objects.create(memorandum=memo, number=1, content="依法限制参与招标投标活动", effect="punishment",
                                 action="block", scenarios=["bidding", "government_procurement"])
    caution_memo = Memorandum.objects.create(code="mou-watch", title="重点关注对象审慎监管", document_no="榆政函〔2018〕224号")
    caution_memo.list_types.set([watch])
    caution = Measure.objects.create(memorandum=caution_memo, number=1, content="加强审查", effect="punishment",
                                     action="warn", scenarios=["bidding"])
    CACHE.invalidate()
    return {"officer": officer, "black": black, "watch": watch, "bar": bar, "caution": caution, "xyb": xyb}


def put_on(c: dict, list_type, uscc: str, name: str = "失信投标企业有限公司"):
    entry = lists.do_designate(c["officer"], subject=lists.SubjectInput(uscc, name), list_type=list_type,
                               department=c["xyb"], basis="依据", document_no="榆发改〔2026〕9号",
                               decided_on=date(2026, 3, 1))
    CACHE.invalidate()
    return entry
