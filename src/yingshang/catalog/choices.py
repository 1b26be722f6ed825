"""The catalog's enumerations; the values are the glossary's code names, the labels the Chinese terms."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    CITY = "city", _("市级")
    DISTRICT = "district", _("区县级")


class ItemType(models.TextChoices):
    ADMINISTRATIVE_LICENSE = "administrative_license", _("行政许可")
    ADMINISTRATIVE_CONFIRMATION = "administrative_confirmation", _("行政确认")
    ADMINISTRATIVE_PAYMENT = "administrative_payment", _("行政给付")
    PUBLIC_SERVICE = "public_service", _("公共服务")
    CONVENIENCE_SERVICE = "convenience_service", _("便民服务")
    OTHER_POWER = "other_power", _("其他行政权力")


class Kind(models.TextChoices):
    IMMEDIATE = "immediate", _("即办件")
    COMMITTED = "committed", _("承诺件")
    JOINT = "joint", _("联办件")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    RETIRED = "retired", _("已废止")


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", _("原件")
    COPY = "copy", _("复印件")
    ORIGINAL_AND_COPY = "original_and_copy", _("原件及复印件")
    ELECTRONIC = "electronic", _("电子件")


class StepKind(models.TextChoices):
    ACCEPT = "accept", _("受理")
    REVIEW = "review", _("审查")
    DECIDE = "decide", _("决定")
    ISSUE = "issue", _("制证送达")
    OTHER = "other", _("其他")


class Channel(models.TextChoices):
    WINDOW = "window", _("窗口办理")
    ONLINE = "online", _("网上办理")
    MOBILE = "mobile", _("掌上办理")
    SELF_SERVICE = "self_service", _("自助终端")
    POST = "post", _("邮寄申请")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("自然人")
    LEGAL_PERSON = "legal_person", _("法人")
    OTHER_ORGANISATION = "other_organisation", _("其他组织")


# The four-do tags (四办) and the visit flags as (field, label), in the order the guide shows them.
TAGS: tuple[tuple[str, str], ...] = (
    ("do_now", _("马上办")),
    ("do_online", _("网上办")),
    ("do_nearby", _("就近办")),
    ("do_once", _("一次办")),
    ("at_most_one_visit", _("最多跑一次")),
    ("zero_visit", _("零跑腿")),
)
TAG_FIELDS = tuple(field for field, _label in TAGS)


class ThemeAudience(models.TextChoices):
    """Who a theme (主题服务) serves: a person's life events or a business's lifecycle."""

    PERSON = "person", _("个人办事")
    ENTERPRISE = "enterprise", _("企业办事")
