"""The daily statistics rollup behind the e-supervision reports.

A year's report must answer in under a second over a million cases on SQLite and PostgreSQL alike
(issue 3, performance). Aggregating the cases table on every request would scan every case of the
period and could not compute working days in SQL; instead the rollup keeps one row per day ×
department × item with the day's counts, refreshed by a periodic job and on demand (services/rollup.py),
and a report sums at most a few hundred thousand small rows. Figures about *open* cases (warnings,
open past deadline) change by the hour and are read live from the cases table (services/stats.py).

The rollup is derived data: it can be deleted and rebuilt at any time, so it has no foreign-key
constraints (cheaper bulk rewrites) and no audit entries.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

COUNTERS = ("accepted", "concluded", "on_time", "late", "timed", "working_days", "rated", "satisfied", "not_bad",
            "bad", "score_sum")


class DailyStat(models.Model):
    """One day's figures for one department and item; each counter is keyed by its own date:

    accepted — cases whose clock started (`accepted_on`) that day;
    concluded, on_time, late, timed, working_days — cases decided (`decided_on`) that day with a
    concluded status; `working_days` sums the working days from acceptance to decision (kernel calendar)
    over the `timed` ones (those with an acceptance date);
    rated, satisfied (≥ 4), not_bad (≥ 3), bad (≤ 2), score_sum — ratings given (`rated_on`) that day.
    """

    day = models.DateField(_("日期"))
    department = models.ForeignKey("kernel.Department", verbose_name=_("部门"), on_delete=models.DO_NOTHING,
                                   db_constraint=False, related_name="+")
    item = models.ForeignKey("catalog.ServiceItem", verbose_name=_("事项"), on_delete=models.DO_NOTHING,
                             db_constraint=False, related_name="+")
    accepted = models.PositiveIntegerField(_("受理"), default=0)
    concluded = models.PositiveIntegerField(_("办结"), default=0)
    on_time = models.PositiveIntegerField(_("按时办结"), default=0)
    late = models.PositiveIntegerField(_("超期办结"), default=0)
    timed = models.PositiveIntegerField(_("计时办结"), default=0)
    working_days = models.PositiveIntegerField(_("办理用时合计（工作日）"), default=0)
    rated = models.PositiveIntegerField(_("评价"), default=0)
    satisfied = models.PositiveIntegerField(_("满意"), default=0)
    not_bad = models.PositiveIntegerField(_("非差评"), default=0)
    bad = models.PositiveIntegerField(_("差评"), default=0)
    score_sum = models.PositiveIntegerField(_("评分合计"), default=0)

    class Meta:
        verbose_name = _("每日统计")
        verbose_name_plural = _("每日统计")
        # Serves the period filter too: reports read `day BETWEEN a AND b`.
        constraints = [models.UniqueConstraint(fields=["day", "department", "item"], name="daily_stat_unique")]

    def __str__(self) -> str:
        return f"{self.day} {self.department_id}/{self.item_id}"


class RollupState(models.Model):
    """The single row that says how fresh the rollup is ("as of"), and serializes refreshes (row lock)."""

    refreshed_at = models.DateTimeField(_("统计时间"), null=True, blank=True)
    window_start = models.DateField(_("最近刷新起始日"), null=True, blank=True,
                                    help_text=_("最近一次刷新重算了该日及以后的数据；空表示全部重算"))
    full_at = models.DateTimeField(_("最近全量重算时间"), null=True, blank=True)
    calendar_fingerprint = models.CharField(_("工作日历指纹"), max_length=64, blank=True)
    rows = models.PositiveIntegerField(_("写入行数"), default=0)
    seconds = models.FloatField(_("耗时（秒）"), default=0)

    class Meta:
        verbose_name = _("统计刷新状态")
        verbose_name_plural = _("统计刷新状态")

    def __str__(self) -> str:
        return f"统计截至 {self.refreshed_at}"
