"""Request and response bodies of the award and complaint endpoints (issue 12 §8, §9)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from yingshang.trading.api_schemas import RowVersion


class PublicityIn(Schema):
    row_version: int = RowVersion
    ends_on: dt.date = Field(description="公示结束日期（自今日起不少于3日，实施条例第五十四条）")
    award_method: str = Field(max_length=16, description="招标文件载明的定标方法：vote 票决、draw 抽签、price 价格竞争、"
                                                         "deliberation 集体议事")


class ObjectionIn(Schema):
    content: str = Field(max_length=2000, description="异议内容（公示期内提出）")


class AnswerIn(Schema):
    row_version: int = RowVersion
    answer: str = Field(max_length=2000)


class MemberIn(Schema):
    name: str = Field(max_length=50)
    title: str = Field(default="", max_length=100)
    vote: int | None = Field(default=None, description="票决定标时投给的候选人编号（candidates[].id）")


class AwardIn(Schema):
    row_version: int = RowVersion
    members: list[MemberIn] = Field(max_length=25, description="定标委员会成员（不少于3人）")
    reasons: str = Field(max_length=4000, description="定标理由")
    winner_id: int | None = Field(default=None, description="集体议事定标时选定的候选人编号")


class ArchiveIn(Schema):
    row_version: int = RowVersion


class CandidateOut(Schema):
    id: int
    bidder_name: str
    price: str | None
    strengths: str
    risks: str


class PublicityOut(Schema):
    report_on: dt.date
    starts_on: dt.date
    ends_on: dt.date
    award_method: str
    award_method_label: str
    award_due: dt.date
    published_at: dt.datetime


class ObjectionOut(Schema):
    id: int
    row_version: int
    bidder_name: str
    content: str
    raised_on: dt.date
    answer_due: dt.date
    status: str
    status_label: str
    answer: str
    answered_at: dt.datetime | None
    overdue: bool


class DrawOut(Schema):
    commitment: str = Field(description="随机种子的 SHA-256（定标前公布）")
    pool: list[int] = Field(description="候选人编号，按编号排序")
    committed_at: dt.datetime
    seed: str | None = Field(description="定标时公开的种子；可用 kernel.rules.draw.choice(seed, pool, context) 复算")
    revealed_at: dt.datetime | None
    context: str


class MemberOut(Schema):
    name: str
    title: str
    vote: int | None


class DecisionOut(Schema):
    method: str
    method_label: str
    winner_name: str
    winner_candidate_id: int
    price: str | None
    reasons: str
    decided_on: dt.date
    notice_on: dt.date
    contract_due: dt.date
    contract_overdue: bool
    notice_code: str | None
    members: list[MemberOut]


class ContractOut(Schema):
    signed_on: dt.date
    price: str | None
    file_name: str
    sha256: str


class CertificateOut(Schema):
    verification_code: str
    verify_url: str
    sha256: str
    issued_at: dt.datetime


class ArchiveOut(Schema):
    manifest_sha256: str
    audit_seq: int
    archived_at: dt.datetime
    documents: list[dict]


class AwardFileOut(Schema):
    lot_id: int
    row_version: int
    status: str
    status_label: str
    suspended: bool
    suspension_reason: str
    candidates: list[CandidateOut]
    publicity: PublicityOut | None
    objections: list[ObjectionOut]
    draw: DrawOut | None
    decision: DecisionOut | None
    contract: ContractOut | None
    certificate: CertificateOut | None
    archive: ArchiveOut | None


class ContractDueOut(Schema):
    lot_id: int
    project_name: str
    lot_name: str
    winner_name: str
    notice_on: dt.date
    contract_due: dt.date
    overdue: bool


class MyResultOut(Schema):
    lot_id: int
    project_name: str
    lot_name: str
    status: str
    status_label: str
    price: str | None
    candidate: bool
    in_publicity: bool
    result: str
    winner_name: str


class ComplaintActIn(Schema):
    row_version: int = RowVersion


class AcceptComplaintIn(ComplaintActIn):
    note: str = Field(default="", max_length=1000)
    suspend: bool = Field(default=False, description="同时责令暂停招标投标活动（实施条例第六十二条）")


class RejectComplaintIn(ComplaintActIn):
    reason: str = Field(max_length=1000)


class ClockStopIn(ComplaintActIn):
    kind: str = Field(max_length=16, description="testing 检验检测、appraisal 鉴定、expert_review 专家评审")
    reason: str = Field(max_length=500)


class DecideIn(ComplaintActIn):
    outcome: str = Field(max_length=16, description="upheld 成立、partly 部分成立、dismissed 不成立")
    decision: str = Field(max_length=4000)
    malicious: bool = False
    malicious_reason: str = Field(default="", max_length=1000)


class ClockStopOut(Schema):
    kind: str
    from_date: dt.date
    to_date: dt.date | None
    reason: str


class ComplaintOut(Schema):
    id: int
    row_version: int
    lot_id: int
    project_name: str
    lot_name: str
    regulator_name: str
    complainant_name: str
    matter: str
    matter_label: str
    facts: str
    grounds: str
    request: str
    known_on: dt.date
    received_on: dt.date
    accept_by: dt.date
    accepted_on: dt.date | None
    decide_by: dt.date | None
    status: str
    status_label: str
    suspends_procedure: bool
    outcome: str
    decision: str
    decided_on: dt.date | None
    malicious: bool
    malicious_reason: str
    overdue: str | None = Field(description="超期情况（受理审查已超期、处理决定已超期），未超期为空")
    evidence: list[dict]
    clock_stops: list[ClockStopOut]


class PublicCandidateOut(Schema):
    bidder_name: str
    price: str | None


class PublicResultOut(Schema):
    lot_id: int
    project_name: str
    lot_name: str
    tenderer_name: str
    status: str
    status_label: str
    publicity_starts_on: dt.date
    publicity_ends_on: dt.date
    award_method_label: str
    candidates: list[PublicCandidateOut]
    winner_name: str | None
    price: str | None
    decided_on: dt.date | None
    result_published_at: dt.datetime | None


class PublicResultPageOut(Schema):
    items: list[PublicResultOut]
    total: int


class PublicComplaintOut(Schema):
    id: int
    complainant_name: str
    project_name: str
    lot_name: str
    regulator_name: str
    matter_label: str
    outcome_label: str
    decision: str
    decided_on: dt.date | None
    malicious: bool
