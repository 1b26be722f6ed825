"""The expert draw of a lot (专家抽取): one draw per lot, in rounds (the first, then redraws for declined
experts), each round committed (seed hash and pools published) before it is revealed; the drawn experts'
invitations (main list and substitutes) and their replies."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingshang.trading import rules_experts as rx


class ExpertDraw(models.Model):
    # One per lot: the constraint is what makes "no two draws for one evaluation" hold under a race.
    lot = models.OneToOneField("trading.Lot", verbose_name=_("标段"), on_delete=models.PROTECT,
                               related_name="expert_draw")
    requirements = models.JSONField(_("抽取需求"), default=list)  # [{"specialty", "count", "substitutes"}]
    avoid_district = models.BooleanField(_("回避项目所在区县的专家"), default=False)
    evaluation_on = models.DateField(_("评标日期"))
    reply_minutes = models.PositiveSmallIntegerField(_("回复时限（分钟）"), default=rx.REPLY_MINUTES)
    status = models.CharField(_("状态"), max_length=12, choices=list(rx.DRAW_STATES.items()), default=rx.DRAW_PREPARED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    row_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("申请时间"))
    completed_at = models.DateTimeField(_("组建完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("专家抽取")
        verbose_name_plural = _("专家抽取")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["evaluation_on"], name="trading_draw_evaluation_on")]

    def __str__(self) -> str:
        return f"专家抽取 #{self.pk}"

    @property
    def status_label(self) -> str:
        return rx.DRAW_STATES.get(self.status, self.status)


class DrawRound(models.Model):
    draw = models.ForeignKey(ExpertDraw, verbose_name=_("专家抽取"), on_delete=models.CASCADE, related_name="rounds")
    seq = models.PositiveSmallIntegerField(_("轮次"))
    reason = models.CharField(_("原因"), max_length=300)
    commitment = models.CharField(_("种子承诺值（SHA-256）"), max_length=64)
    # Secret until revealed; never shown or returned before `drawn_at` is set.
    seed = models.CharField(_("种子"), max_length=64)
    pools = models.JSONField(_("候选池"), default=list)  # [{"specialty", "count", "substitutes", "ids", "size", "digest"}]
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("承诺人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    prepared_at = models.DateTimeField(_("承诺时间"))
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("抽取人"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("抽取轮次")
        verbose_name_plural = _("抽取轮次")
        ordering = ["draw", "seq"]
        constraints = [models.UniqueConstraint(fields=["draw", "seq"], name="trading_draw_round_seq")]

    def __str__(self) -> str:
        return f"{self.draw} 第{self.seq}轮"

    @property
    def revealed(self) -> bool:
        return self.drawn_at is not None


class Invitation(models.Model):
    """A drawn expert: main or substitute; invited by SMS, confirms or declines within the reply time."""

    draw = models.ForeignKey(ExpertDraw, verbose_name=_("专家抽取"), on_delete=models.CASCADE,
                             related_name="invitations")
    round = models.ForeignKey(DrawRound, verbose_name=_("轮次"), on_delete=models.CASCADE, related_name="picks")
    expert = models.ForeignKey("trading.Expert", verbose_name=_("专家"), on_delete=models.PROTECT,
                               related_name="invitations")
    specialty = models.CharField(_("专业"), max_length=12)
    rank = models.PositiveSmallIntegerField(_("抽取顺序"))
    role = models.CharField(_("身份"), max_length=12, choices=list(rx.SLOT_ROLES.items()))
    status = models.CharField(_("状态"), max_length=12, choices=list(rx.INVITATION_STATES.items()), default=rx.WAITING)
    reply_code = models.CharField(_("回复码"), max_length=6, blank=True)
    invited_at = models.DateTimeField(_("通知时间"), null=True, blank=True)
    reply_due = models.DateTimeField(_("回复截止"), null=True, blank=True, db_index=True)
    responded_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("专家邀请")
        verbose_name_plural = _("专家邀请")
        ordering = ["draw", "round__seq", "specialty", "rank"]
        constraints = [models.UniqueConstraint(fields=["draw", "expert"], name="trading_invitation_expert")]
        indexes = [models.Index(fields=["expert", "status"], name="trading_invitation_busy")]

    def __str__(self) -> str:
        return f"{self.expert} · {self.draw}"

    @property
    def status_label(self) -> str:
        return rx.INVITATION_STATES.get(self.status, self.status)

    @property
    def role_label(self) -> str:
        return rx.SLOT_ROLES.get(self.role, self.role)
