"""Enumerations of the cases app: values from `rules` (the one source), labels translatable."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from yingshang.cases import rules


def _choices(labels: dict[str, str]) -> list[tuple[str, object]]:
    return [(value, _(label)) for value, label in labels.items()]


STATUS_CHOICES = _choices(rules.STATUS_LABELS)
ACTION_CHOICES = _choices(rules.ACTION_LABELS)
WARNING_CHOICES = _choices(rules.WARNING_LABELS)
LIMIT_SOURCE_CHOICES = _choices(rules.LIMIT_SOURCE_LABELS)


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ENTERPRISE = "enterprise", _("法人或其他组织")


class Channel(models.TextChoices):
    ONLINE = "online", _("网上申报")
    WINDOW = "window", _("窗口收件")


class ClockState(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    RUNNING = "running", _("计时中")
    SUSPENDED = "suspended", _("暂停计时")
    STOPPED = "stopped", _("已停止")


class MaterialStatus(models.TextChoices):
    PROVIDED = "provided", _("已提交")
    PENDING = "pending", _("容缺后补")
    MISSING = "missing", _("未提交")


class CommitmentKind(models.TextChoices):
    PENDING_MATERIALS = "pending_materials", _("容缺受理承诺")
    NOTIFY_AND_COMMIT = "notify_and_commit", _("告知承诺")


class StepStatus(models.TextChoices):
    WAITING = "waiting", _("待办")
    ACTIVE = "active", _("办理中")
    APPROVED = "approved", _("通过")
    DENIED = "denied", _("不通过")
    RETURNED = "returned", _("已退回")
    CANCELLED = "cancelled", _("已终止")


class SuspensionKind(models.TextChoices):
    """Procedures whose time is not counted (行政许可法 Art. 45), and correction during review."""

    CORRECTION = "correction", _("补正材料")
    HEARING = "hearing", _("听证")
    TESTING = "testing", _("检验检测")
    EXPERT_REVIEW = "expert_review", _("专家评审")
    QUARANTINE = "quarantine", _("检疫")
    APPRAISAL = "appraisal", _("鉴定")
    OTHER = "other", _("其他特别程序")


class ExtensionStatus(models.TextChoices):
    REQUESTED = "requested", _("待批准")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class VerificationStatus(models.TextChoices):
    OPEN = "open", _("待核查")
    PASSED = "passed", _("核查属实")
    FAILED = "failed", _("承诺不实")
