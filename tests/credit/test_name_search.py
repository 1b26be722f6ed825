"""Public name search: any fragment of two or more characters finds the subject, on both databases;
on PostgreSQL through the bigram index (migration credit 0005)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from yingshang.credit.models import Subject
from yingshang.credit.services.publicity import name_bigrams, subjects_named

NAMES = ["榆阳区恒泰商贸有限公司", "神木市瑞丰能源有限公司", "府谷县A,B科技中心", "靖边县100%_新材料厂"]


@pytest.fixture
def subjects(db):
    now = timezone.now()
    return {name: Subject.objects.create(kind="legal_person", name=name, id_kind="uscc", id_key=f"K{i}",
                                         id_display=f"K{i}", created_at=now, updated_at=now)
            for i, name in enumerate(NAMES)}


def _found(fragment: str) -> set[str]:
    return set(subjects_named(fragment).values_list("name", flat=True))


@pytest.mark.parametrize(("fragment", "expected"), [
    ("恒泰", {"榆阳区恒泰商贸有限公司"}),  # two characters: a trigram index could not serve this
    ("区恒泰商", {"榆阳区恒泰商贸有限公司"}),
    ("有限公司", {"榆阳区恒泰商贸有限公司", "神木市瑞丰能源有限公司"}),
    ("公司", {"榆阳区恒泰商贸有限公司", "神木市瑞丰能源有限公司"}),
    ("泰恒", set()),  # the same characters in another order are not the name
    ("恒泰能源", set()),  # every bigram occurs in some name, but not together
    ("A,B", {"府谷县A,B科技中心"}),  # a comma: the index splits on it, LIKE still confirms
    ("100%_", {"靖边县100%_新材料厂"}),  # LIKE wildcards are matched literally
    ("0%", {"靖边县100%_新材料厂"}),
    ("司", {"榆阳区恒泰商贸有限公司", "神木市瑞丰能源有限公司"}),  # one character: no bigram, LIKE alone
])
def test_a_fragment_finds_exactly_the_names_containing_it(subjects, fragment, expected):
    assert _found(fragment) == expected


def test_bigrams_of_a_fragment_skip_pieces_holding_a_comma():
    assert name_bigrams("恒泰商") == ["恒泰", "泰商"]
    assert name_bigrams("A,B") == []
    assert name_bigrams("恒") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bigram index exists on PostgreSQL only")
def test_the_database_bigrams_of_a_name_contain_every_piece_of_it(db):
    name = "榆阳区恒泰商贸（集团）有限公司"
    with connection.cursor() as cursor:
        cursor.execute("SELECT ys_name_bigrams(%s)", [name])
        stored = set(cursor.fetchone()[0])
    assert set(name_bigrams(name)) <= stored


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bigram index exists on PostgreSQL only")
def test_postgresql_finds_names_through_the_bigram_index(subjects):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = subjects_named("恒泰").explain()
    assert "credit_subject_name_bigrams" in plan
