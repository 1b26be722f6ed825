"""Serial counters for readable numbers (case numbers, licence numbers) per kind and period."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SerialCounter(models.Model):
    kind = models.CharField(_("种类"), max_length=32)
    period = models.CharField(_("周期"), max_length=8)
    value = models.PositiveBigIntegerField(_("当前值"), default=0)

    class Meta:
        verbose_name = _("编号计数器")
        verbose_name_plural = _("编号计数器")
        constraints = [models.UniqueConstraint(fields=["kind", "period"], name="serial_counter_kind_period")]

    def __str__(self) -> str:
        return f"{self.kind}/{self.period}: {self.value}"
