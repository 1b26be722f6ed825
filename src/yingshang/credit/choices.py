"""Enumerations of the credit domain: their codes are stored, their labels shown (zh-hans)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectKind(models.TextChoices):
    LEGAL_PERSON = "legal_person", _("法人及非法人组织")
    NATURAL_PERSON = "natural_person", _("自然人")
    INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")
    GOVERNMENT_AGENCY = "government_agency", _("政府机关")


class IdKind(models.TextChoices):
    """What a subject's identity key is. Personal kinds are stored as keyed digests, never in clear."""

    USCC = "uscc", _("统一社会信用代码")
    ORGANIZATION_CODE = "organization_code", _("组织机构代码")
    RESIDENT_ID = "resident_id", _("居民身份证")
    OTHER_ID = "other_id", _("其他证件")


PERSONAL_ID_KINDS = frozenset({IdKind.RESIDENT_ID, IdKind.OTHER_ID})


class RecordStatus(models.TextChoices):
    """当前状态 of a reported decision (2019 data standard codes 0–3 — verify)."""

    VALID = "valid", _("正常")
    REVOKED = "revoked", _("撤销")
    DISPUTED = "disputed", _("异议")
    OTHER = "other", _("其他")


class LicenseCategory(models.TextChoices):
    """许可类别 (行政许可法 Art. 12 kinds)."""

    ORDINARY = "ordinary", _("普通")
    FRANCHISE = "franchise", _("特许")
    RECOGNITION = "recognition", _("认可")
    APPROVAL = "approval", _("核准")
    REGISTRATION = "registration", _("登记")
    OTHER = "other", _("其他")


class Severity(models.TextChoices):
    """失信严重程度 of a penalty: decides its publication period from 2026-04-01."""

    MINOR = "minor", _("轻微")
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("严重")


class Domain(models.TextChoices):
    """所属领域: five domains have a one-year minimum publication under Order No. 58 (2023)."""

    FOOD = "food", _("食品")
    DRUG = "drug", _("药品")
    SPECIAL_EQUIPMENT = "special_equipment", _("特种设备")
    PRODUCTION_SAFETY = "production_safety", _("安全生产")
    FIRE = "fire", _("消防")
    OTHER = "other", _("其他")


class OtherRecordKind(models.TextChoices):
    JUDGMENT_DEBTOR = "judgment_debtor", _("失信被执行人")
    TAX_CREDIT_GRADE = "tax_credit_grade", _("纳税信用等级")
    HONOUR = "honour", _("表彰奖励")
    COMMITMENT_BREACH = "commitment_breach", _("信用承诺失信")
    VOLUNTEERING = "volunteering", _("志愿服务")  # scores (issue 4 §9): positive personal records
    BLOOD_DONATION = "blood_donation", _("无偿献血")
    CHARITY = "charity", _("慈善捐赠")
    OTHER = "other", _("其他信用信息")


class ListKind(models.TextChoices):
    RED = "red", _("守信红名单")
    BLACK = "black", _("失信黑名单")
    WATCH = "watch", _("重点关注名单")


class EntryStatus(models.TextChoices):
    ACTIVE = "active", _("在列")
    EXPIRED = "expired", _("期满移出")
    REMOVED = "removed", _("已移出")


class RemovalReason(models.TextChoices):
    EXPIRY = "expiry", _("有效期届满")
    REPAIR = "repair", _("信用修复")
    OBJECTION = "objection", _("异议成立")
    OTHER = "other", _("其他")


class Scenario(models.TextChoices):
    """Business scenarios in which joint rewards and punishments apply."""

    ADMINISTRATIVE_LICENSING = "administrative_licensing", _("行政许可")
    GOVERNMENT_PROCUREMENT = "government_procurement", _("政府采购")
    BIDDING = "bidding", _("招标投标")
    SUBSIDIES = "subsidies", _("财政补贴与资金支持")
    HONOURS = "honours", _("评先评优与表彰")
    LENDING = "lending", _("融资信贷")
    GOVERNMENT_SERVICE = "government_service", _("其他政务服务")


class Effect(models.TextChoices):
    REWARD = "reward", _("激励")
    PUNISHMENT = "punishment", _("惩戒")


class Action(models.TextChoices):
    BLOCK = "block", _("限制或禁止")
    WARN = "warn", _("提示与审慎核查")
    PRIORITY = "priority", _("优先办理")
    GREEN_CHANNEL = "green_channel", _("绿色通道")
    SIMPLIFY = "simplify", _("简化程序")


REWARD_ACTIONS = frozenset({Action.PRIORITY, Action.GREEN_CHANNEL, Action.SIMPLIFY})
PUNISHMENT_ACTIONS = frozenset({Action.BLOCK, Action.WARN})


class FeedbackOutcome(models.TextChoices):
    APPLIED = "applied", _("已实施")
    NOT_APPLIED = "not_applied", _("未实施")


class BatchKind(models.TextChoices):
    LICENSE = "license", _("行政许可")
    PENALTY = "penalty", _("行政处罚")
    OTHER = "other", _("其他信用信息")


class BatchSource(models.TextChoices):
    UPLOAD = "upload", _("页面上传")
    API = "api", _("接口报送")
    COMMAND = "command", _("命令行")


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")
    INTERRUPTED = "interrupted", _("已中断")


FINISHED_STATUSES = frozenset({BatchStatus.SUCCEEDED, BatchStatus.FAILED, BatchStatus.INTERRUPTED})


# --- Objection, repair and commitments (issue 4 §7, §10) ----------------------------------------

class TargetKind(models.TextChoices):
    """The record an objection or repair is about."""

    LICENSE = "license", _("行政许可")
    PENALTY = "penalty", _("行政处罚")
    OTHER = "other", _("其他信用信息")
    LIST_ENTRY = "list_entry", _("名单记录")


class HandlingStatus(models.TextChoices):
    OPEN = "open", _("办理中")
    UPHELD = "upheld", _("成立")
    REJECTED = "rejected", _("不成立")


class ObjectionResolution(models.TextChoices):
    CORRECTED = "corrected", _("更正信息")
    WITHDRAWN = "withdrawn", _("撤回公示")
    REMOVED = "removed", _("移出名单")


class CommitmentStatus(models.TextChoices):
    MADE = "made", _("履约中")
    FULFILLED = "fulfilled", _("已履约")
    BREACHED = "breached", _("违诺")


# --- Scores and grades (issue 4 §9) ---------------------------------------------------------------

class ScoreAudience(models.TextChoices):
    PERSON = "person", _("个人信用积分")
    ORGANIZATION = "organization", _("企业信用等级")


class ScoreSource(models.TextChoices):
    """What a point rule counts."""

    PENALTY = "penalty", _("行政处罚")
    LIST_ENTRY = "list_entry", _("名单（在列）")
    OTHER_RECORD = "other_record", _("其他信用信息")
    COMMITMENT_KEPT = "commitment_kept", _("信用承诺履约")
    CLEAN_RECORD = "clean_record", _("长期无失信记录")
