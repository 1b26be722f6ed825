"""The guide's inverted index: one row per (word, version), written when a version is published.

An exact match on `term` is a B-tree index lookup on SQLite and PostgreSQL alike, so a query costs
one index probe per query word however large the catalog grows; a LIKE '%词%' over a text column
would read every row instead.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchTerm(models.Model):
    term = models.CharField(_("词"), max_length=64)
    version = models.ForeignKey("catalog.ServiceItemVersion", verbose_name=_("事项版本"), on_delete=models.CASCADE,
                                related_name="search_terms")
    # The best field the word occurs in (name > department > materials > basis): orders the results.
    weight = models.PositiveSmallIntegerField(_("权重"), default=1)

    class Meta:
        verbose_name = _("检索词")
        verbose_name_plural = _("检索词")
        constraints = [models.UniqueConstraint(fields=["term", "version"], name="catalog_search_term_unique")]

    def __str__(self) -> str:
        return self.term
