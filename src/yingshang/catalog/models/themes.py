"""Themes (主题服务): the items a life event or a stage of a business needs, grouped under one name.

A theme points at the stable `ServiceItem`, not a version, so it survives new versions of its
items; the guide shows only the items with a version in force. Themes are maintained in the admin
(`catalog.manage`); the demo city seeds a set (catalog/demo_themes.py).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from yingshang.catalog.choices import ThemeAudience


class Theme(models.Model):
    code = models.SlugField(_("主题编码"), max_length=40, unique=True,
                            help_text=_("小写字母、数字和连字符，出现在办事指南的网址中，如 start-business"))
    name = models.CharField(_("主题名称"), max_length=40)
    audience = models.CharField(_("服务对象"), max_length=16, choices=ThemeAudience.choices)
    summary = models.CharField(_("简介"), max_length=120, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0, help_text=_("数字小的排在前面"))
    is_active = models.BooleanField(_("启用"), default=True, help_text=_("停用的主题不在首页和办事指南中显示"))
    items = models.ManyToManyField("catalog.ServiceItem", verbose_name=_("事项"), related_name="themes", blank=True)

    class Meta:
        verbose_name = _("主题服务")
        verbose_name_plural = _("主题服务")
        ordering = ["audience", "sort_order", "code"]

    def __str__(self) -> str:
        return self.name
