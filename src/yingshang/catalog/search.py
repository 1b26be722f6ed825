"""Full-text search of the guide with Chinese word segmentation (jieba), on any database.

Publishing a version writes its words to `SearchTerm` (jieba's search mode, which also emits the
shorter words inside long ones: 餐饮店 → 餐饮, 饮店, 餐饮店; plus each character of the name, so a
one-character query still finds names). A query is cut in precise mode and every word must match
(AND); each word is one indexed equality lookup, so the cost does not grow with the catalog's text.
Results are ranked by where the words occur: name, then department, materials, legal basis.
"""

from __future__ import annotations

import logging
import re
import threading
from datetime import date

from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from yingshang.catalog.models import SearchTerm, ServiceItemVersion

MAX_QUERY_CHARS = 100
MAX_QUERY_TERMS = 8
MAX_TERM_CHARS = 64
# Weights by field: the best one a word occurs in is stored.
W_NAME, W_CODE, W_RESULT, W_DEPARTMENT, W_MATERIAL, W_BASIS, W_OTHER, W_NAME_CHAR = 20, 20, 8, 6, 4, 2, 1, 1
# Words that carry no meaning in a question ("我要怎么办理…"); punctuation is dropped separately.
STOPWORDS = frozenset((
    "的", "了", "和", "与", "及", "或", "在", "是", "我", "我要", "要", "想", "想要", "怎么", "怎么办", "如何", "怎样", "哪里",
    "在哪", "在哪里", "需要", "什么", "请问", "吗", "呢", "啊", "一下", "办理", "办",
))
# Domain words jieba's general dictionary cuts apart.
DOMAIN_WORDS = ("一件事", "容缺", "告知承诺", "最多跑一次", "零跑腿", "即办件", "承诺件", "联办件", "一网通办",
                "食品经营", "餐饮服务", "卫生许可", "规划许可", "施工许可", "不动产", "公积金", "医保", "社保")
_HAN = re.compile(r"[\u3400-\u9fff]")
_WORDISH = re.compile(r"[\w\u3400-\u9fff]", re.UNICODE)

_lock = threading.Lock()
_tokenizer = None


def tokenizer():
    """A private jieba tokenizer (the domain words do not leak into other apps' segmentation)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                for word in DOMAIN_WORDS:
                    tok.add_word(word)
                _tokenizer = tok
    return _tokenizer


def _clean(token: str) -> str | None:
    token = token.strip().lower()
    if not token or len(token) > MAX_TERM_CHARS or not _WORDISH.search(token):
        return None
    return token


def words_for_index(text: str) -> set[str]:
    return {t for t in map(_clean, tokenizer().cut_for_search(text or "")) if t}


def query_terms(query: str) -> list[str]:
    """The words a query must all match, in order, without stopwords and punctuation."""
    text = (query or "")[:MAX_QUERY_CHARS]
    out: list[str] = []
    for raw in tokenizer().cut(text):
        term = _clean(raw)
        if term and term not in STOPWORDS and term not in out:
            out.append(term)
    return out[:MAX_QUERY_TERMS]


def version_terms(version: ServiceItemVersion) -> dict[str, int]:
    """Every word of the version with the weight of the best field it occurs in (5 queries)."""
    weights: dict[str, int] = {}

    def add(text: str, weight: int) -> None:
        for term in words_for_index(text):
            if weights.get(term, 0) < weight:
                weights[term] = weight

    for char in set(_HAN.findall(version.name)):
        weights.setdefault(char, W_NAME_CHAR)
    item = version.item
    add(version.name, W_NAME)
    add(item.code, W_CODE)
    weights[item.code.lower()] = W_CODE
    add(version.result_name, W_RESULT)
    owner = item.department
    departments = [owner.name, owner.short_name]
    duties = []
    for name, short, duty in version.joint_departments.values_list("department__name", "department__short_name",
                                                                    "responsibility"):
        departments += [name, short]
        duties.append(duty)
    for name, short, step in version.steps.values_list("department__name", "department__short_name", "name"):
        departments += [name, short]
        duties.append(step)
    add(" ".join(departments), W_DEPARTMENT)
    add(" ".join(duties), W_OTHER)
    for name, elicense, notes in version.materials.values_list("name", "elicense_type", "notes"):
        add(f"{name} {elicense}", W_MATERIAL)
        add(notes, W_OTHER)
    add(version.legal_basis, W_BASIS)
    add(version.conditions, W_OTHER)
    add(" ".join(version.halls.values_list("name", flat=True)), W_OTHER)
    return weights


def index_version(version: ServiceItemVersion) -> int:
    """(Re)write the version's words; returns how many."""
    terms = version_terms(version)
    SearchTerm.objects.filter(version=version).delete()
    SearchTerm.objects.bulk_create([SearchTerm(term=t, version=version, weight=w) for t, w in terms.items()],
                                   batch_size=1000)
    return len(terms)


def prune(today: date) -> int:
    """Drop the words of versions that no longer apply (only current and scheduled versions are searched)."""
    deleted, _ = SearchTerm.objects.filter(version__valid_to__lt=today).delete()
    return deleted


def reindex(today: date) -> int:
    """Rebuild the index of every current and scheduled version (after departments were renamed)."""
    from django.db.models import Q

    from yingshang.catalog.choices import Status

    SearchTerm.objects.all().delete()
    versions = (ServiceItemVersion.objects.select_related("item__department")
                .filter(status__in=(Status.PUBLISHED, Status.RETIRED))
                .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today)))
    count = 0
    for version in versions.iterator(chunk_size=200):
        index_version(version)
        count += 1
    return count


def matching(versions: QuerySet, terms: list[str]) -> QuerySet:
    """Versions containing every term, annotated with `rank` (the sum of the terms' weights)."""
    for term in terms:
        versions = versions.filter(pk__in=SearchTerm.objects.filter(term=term).values("version_id"))
    rank = (SearchTerm.objects.filter(version=OuterRef("pk"), term__in=terms).order_by()
            .values("version").annotate(total=Sum("weight")).values("total"))
    return versions.annotate(rank=Coalesce(Subquery(rank, output_field=IntegerField()), 0))
