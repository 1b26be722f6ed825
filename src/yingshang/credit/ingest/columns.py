"""The columns of each kind of record: header as in the national 双公示 templates, aliases, parser.

Headers follow the 2019 national data standard for 行政许可/行政处罚 information (verify: the
provincial templates derived from it differ in small ways, hence the aliases). Two columns are the
platform's own: 失信严重程度 (needed from 2026-04-01) and 所属领域 (Order No. 58's five domains).
`key` is the model field, the JSON key of the API and the column of the staging table; keys marked
`virtual` are read but not stored as such (personal numbers become digest, mask and cipher).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from yingshang.credit.choices import Domain, LicenseCategory, OtherRecordKind, RecordStatus, Severity
from yingshang.credit.ingest import values as v


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    parse: v.Parser
    required: bool = False
    aliases: tuple[str, ...] = ()
    personal: bool = False  # masked wherever the row is shown back (corrections file, reports)
    virtual: bool = False  # not a model column
    description: str = ""
    names: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self):
        object.__setattr__(self, "names", tuple(normalize_header(h) for h in (self.header, *self.aliases)))


_HEADER_NOISE = re.compile(r"[\s*＊:：]+")


def normalize_header(text: object) -> str:
    s = unicodedata.normalize("NFKC", str(text or ""))
    return _HEADER_NOISE.sub("", s).lower()


CATEGORY = v.choice_mapping([], {
    "法人及非法人组织": "legal_person", "法人和非法人组织": "legal_person", "法人": "legal_person",
    "非法人组织": "legal_person", "法人及其他组织": "legal_person", "法人和其他组织": "legal_person",
    "legal_person": "legal_person", "自然人": "natural_person", "natural_person": "natural_person",
    "个体工商户": "individual_business", "individual_business": "individual_business",
})
STATUS = v.choice_mapping(RecordStatus, {"有效": RecordStatus.VALID, "0": RecordStatus.VALID, "1": RecordStatus.REVOKED,
                                         "无效": RecordStatus.REVOKED, "2": RecordStatus.DISPUTED, "3": RecordStatus.OTHER})
PENALTY_CATEGORIES = {name: name for name in (
    "警告", "通报批评", "罚款", "没收违法所得", "没收非法财物", "暂扣许可证件", "降低资质等级", "吊销许可证件",
    "限制开展生产经营活动", "责令停产停业", "责令关闭", "限制从业", "行政拘留", "其他",
)} | {
    # names of the 1996 law kept by older templates
    "暂扣或者吊销许可证": "暂扣许可证件", "暂扣或者吊销执照": "吊销许可证件", "吊销许可证": "吊销许可证件",
    "吊销执照": "吊销许可证件", "暂扣许可证": "暂扣许可证件", "暂扣执照": "暂扣许可证件",
    "法律、行政法规规定的其他行政处罚": "其他",
}
FINE_CATEGORIES = frozenset({"罚款"})
LICENCE_ACTION_CATEGORIES = frozenset({"暂扣许可证件", "吊销许可证件", "降低资质等级"})

_SUBJECT = (
    Column("subject_name", "行政相对人名称", v.name_text(200), True, ("相对人名称", "行政相对人", "主体名称", "企业名称")),
    Column("subject_category", "行政相对人类别", v.enum(CATEGORY, "行政相对人类别"), True, ("相对人类别", "主体类别")),
    Column("uscc", "行政相对人代码_1(统一社会信用代码)", v.code_text(18), False,
           ("统一社会信用代码", "行政相对人统一社会信用代码", "相对人统一社会信用代码", "行政相对人代码_1")),
)
_SUBJECT_CODES = (
    Column("registration_no", "行政相对人代码_2(工商注册号)", v.code_text(50), False, ("工商注册号", "行政相对人代码_2")),
    Column("organization_code", "行政相对人代码_3(组织机构代码)", v.code_text(10), False, ("组织机构代码", "行政相对人代码_3")),
    Column("tax_registration_no", "行政相对人代码_4(税务登记号)", v.code_text(50), False, ("税务登记号", "行政相对人代码_4")),
    Column("institution_cert_no", "行政相对人代码_5(事业单位证书号)", v.code_text(50), False,
           ("事业单位证书号", "行政相对人代码_5")),
    Column("social_org_cert_no", "行政相对人代码_6(社会组织登记证号)", v.code_text(50), False,
           ("社会组织登记证号", "行政相对人代码_6")),
    Column("legal_rep", "法定代表人", v.text(100), False, ("法定代表人姓名", "负责人", "经营者")),
    Column("legal_rep_id_type", "法定代表人证件类型", v.text(40), False),
    Column("legal_rep_id_number", "法定代表人证件号码", v.code_text(40), False, ("法定代表人身份证号",),
           personal=True, virtual=True),
)
_PERSON = (
    Column("id_type", "证件类型", v.text(40), False, ("行政相对人证件类型",)),
    Column("id_number", "证件号码", v.code_text(40), False, ("行政相对人证件号码", "身份证号码", "身份证号"),
           personal=True, virtual=True),
)
_SOURCE = (
    Column("record_status", "当前状态", v.enum(STATUS, "当前状态"), False, ("状态",)),
    Column("source_unit", "数据来源单位", v.text(200), True, ("数据来源", "来源单位")),
    Column("source_unit_uscc", "数据来源单位统一社会信用代码", v.code_text(18), True, ("数据来源单位代码",)),
    Column("remarks", "备注", v.text(2000), False),
)

LICENSE = (
    *_SUBJECT, *_SUBJECT_CODES, *_PERSON,
    Column("document_name", "行政许可决定文书名称", v.text(200), True, ("决定文书名称", "许可决定文书名称")),
    Column("document_no", "行政许可决定文书号", v.text(128), True, ("决定文书号", "许可决定文书号", "许可文书号")),
    Column("license_category", "许可类别", v.enum(v.choice_mapping(LicenseCategory), "许可类别"), True),
    Column("certificate_name", "许可证书名称", v.text(200), False, ("证书名称",)),
    Column("license_no", "许可编号", v.text(128), False, ("许可证编号", "证书编号")),
    Column("content", "许可内容", v.text(4000), True),
    Column("decision_date", "许可决定日期", v.parse_date, True, ("决定日期", "许可日期")),
    Column("valid_from", "有效期自", v.parse_date, True, ("许可有效期自",)),
    Column("valid_to", "有效期至", v.parse_open_date, True, ("许可有效期至",)),
    Column("authority", "许可机关", v.text(200), True, ("许可机关名称",)),
    Column("authority_uscc", "许可机关统一社会信用代码", v.code_text(18), True, ("许可机关代码",)),
    *_SOURCE,
)

PENALTY = (
    *_SUBJECT, *_SUBJECT_CODES, *_PERSON,
    Column("document_no", "行政处罚决定书文号", v.text(128), True, ("处罚决定书文号", "决定文书号", "处罚文书号")),
    Column("violation_type", "违法行为类型", v.text(200), True),
    Column("violation_facts", "违法事实", v.text(4000), True, ("主要违法事实",)),
    Column("legal_basis", "处罚依据", v.text(2000), True),
    Column("penalty_categories", "处罚类别", v.multi(PENALTY_CATEGORIES, "处罚类别", 200), True, ("处罚种类",)),
    Column("content", "处罚内容", v.text(4000), True, ("处罚结果",)),
    Column("fine_amount", "罚款金额(万元)", v.parse_amount, False, ("罚款金额",)),
    Column("confiscation_amount", "没收违法所得、没收非法财物的金额(万元)", v.parse_amount, False,
           ("没收违法所得没收非法财物的金额(万元)", "没收金额(万元)", "没收金额")),
    Column("suspended_license", "暂扣或吊销证照名称及编号", v.text(200), False),
    Column("decision_date", "处罚决定日期", v.parse_date, True, ("决定日期", "处罚日期")),
    Column("penalty_valid_until", "处罚有效期", v.parse_open_date, True),
    Column("reported_publication_deadline", "公示截止期", v.parse_open_date, False),
    Column("authority", "处罚机关", v.text(200), True, ("处罚机关名称",)),
    Column("authority_uscc", "处罚机关统一社会信用代码", v.code_text(18), True, ("处罚机关代码",)),
    Column("severity", "失信严重程度", v.enum(v.choice_mapping(Severity, {"轻微失信": "minor", "一般失信": "general",
                                                                  "严重失信": "serious"}), "失信严重程度"),
           False, ("严重程度",)),
    Column("domain", "所属领域", v.enum(v.choice_mapping(Domain), "所属领域"), False, ("领域",)),
    *_SOURCE,
)

OTHER = (
    Column("kind", "信息类别", v.enum(v.choice_mapping(OtherRecordKind), "信息类别"), True),
    *_SUBJECT,
    Column("organization_code", "组织机构代码", v.code_text(10), False, ("行政相对人代码_3(组织机构代码)",), virtual=True),
    *_PERSON,
    Column("title", "信息名称", v.text(200), True, ("名称",)),
    Column("content", "信息内容", v.text(4000), True, ("内容", "等级")),
    Column("document_no", "认定文书号", v.text(128), True, ("文书号", "决定文书号", "编号")),
    Column("decision_date", "认定日期", v.parse_date, True, ("决定日期", "评定日期")),
    Column("valid_from", "有效期自", v.parse_date, False),
    Column("valid_to", "有效期至", v.parse_open_date, False),
    Column("authority", "认定机关", v.text(200), True, ("决定机关", "评定机关")),
    Column("authority_uscc", "认定机关统一社会信用代码", v.code_text(18), False),
    *_SOURCE,
)

COLUMNS: dict[str, tuple[Column, ...]] = {"license": LICENSE, "penalty": PENALTY, "other": OTHER}
