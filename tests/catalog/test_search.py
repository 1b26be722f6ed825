"""Guide search with jieba: Chinese queries find items by name, department, materials and legal basis."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tests.catalog.conftest import create_and_publish, food_licence, restaurant_joint
from tests.helpers import assert_max_queries
from yingshang.catalog import queries, search, services
from yingshang.catalog.models import SearchTerm

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(city):
    create_and_publish("610800-XK-0001", food_licence(), city["SCJG"])
    create_and_publish("610800-GG-0001", restaurant_joint(), city["SCJG"])
    create_and_publish("610800-XK-0101", food_licence(
        name="公共场所卫生许可", legal_basis="《公共场所卫生管理条例》第四条", result_name="公共场所卫生许可证"), city["SCJG"])
    return city


def names(q: str, **filters) -> list[str]:
    versions, _terms = queries.find(queries.Filters.clean(q=q, **filters), timezone.localdate())
    return [v.name for v in versions]


def test_food_finds_the_food_licence_first(catalog):
    found = names("食品")
    assert found[0] == "食品经营许可"
    assert "开办餐饮店一件事" in found  # its departments' duties mention 食品经营许可: found, ranked lower


def test_catering_finds_the_joint_item_through_the_word_inside_its_name(catalog):
    assert names("餐饮") == ["开办餐饮店一件事"]


def test_a_whole_name_and_a_phrase_with_stopwords_match(catalog):
    assert names("食品经营许可")[0] == "食品经营许可"
    assert names("我要办理食品经营许可怎么办")[0] == "食品经营许可"
    assert names("公共场所卫生许可")[0] == "公共场所卫生许可"


def test_all_words_must_match(catalog):
    assert names("餐饮 排污") == []
    assert names("餐饮 卫生许可") == ["开办餐饮店一件事"]  # its 卫健委 duty is 公共场所卫生许可
    assert names("许可")[-1] == "开办餐饮店一件事"  # named 许可 first; a duty that mentions it last


def test_materials_departments_and_basis_are_searched_but_names_rank_first(catalog):
    assert "食品经营许可" in names("食品安全法")  # legal basis
    assert "食品经营许可" in names("管理制度")  # a material
    assert set(names("税务局")) == {"开办餐饮店一件事"}  # a joint department
    found = names("卫生")
    assert found[0] == "公共场所卫生许可"  # named "卫生" outranks a joint item whose department mentions it


def test_one_character_queries_match_names(catalog):
    assert "开办餐饮店一件事" in names("餐")


def test_codes_are_searchable(catalog):
    assert names("610800-XK-0101") == ["公共场所卫生许可"]


def test_punctuation_and_empty_queries_list_everything_in_code_order(catalog):
    assert names("，。！") == names("") == ["开办餐饮店一件事", "食品经营许可", "公共场所卫生许可"]


def test_filters_combine_with_search(catalog):
    assert names("", item_type="public_service") == ["开办餐饮店一件事"]
    assert names("", kind="joint") == ["开办餐饮店一件事"]
    assert names("", department="610800-GA") == ["开办餐饮店一件事"]  # involved, not owner
    assert names("许可", tags=["do_online"]) != []
    assert names("", tags=["zero_visit"]) == []
    assert names("", item_type="nonsense") == names("")  # unknown filter values are ignored


def test_only_versions_in_force_are_found(catalog, tomorrow):
    item = services.get_item("610800-XK-0001")
    with transaction.atomic():
        draft = services.do_create_draft(item)
        content = services.content_of(draft)
        content.fields["name"] = "食品经营许可（2027版）"
        services.do_update_draft(draft, content)
    assert names("2027版") == []  # drafts are not indexed
    with transaction.atomic():
        services.do_publish(draft, tomorrow)
    assert names("2027版") == []  # scheduled, not yet in force
    versions, _ = queries.find(queries.Filters.clean(q="2027版"), tomorrow)
    assert [v.name for v in versions] == ["食品经营许可（2027版）"]


def test_retired_items_leave_the_guide_and_their_words_are_pruned(catalog, tomorrow):
    version = services.version_in_force(services.get_item("610800-XK-0101"))
    with transaction.atomic():
        services.do_retire(version, tomorrow, "事项取消")
    versions, _ = queries.find(queries.Filters.clean(q="卫生"), tomorrow + timedelta(days=1))
    assert "公共场所卫生许可" not in [v.name for v in versions]
    assert search.prune(tomorrow + timedelta(days=1)) > 0
    assert not SearchTerm.objects.filter(version=version).exists()


def test_reindex_rebuilds_the_same_index(catalog):
    before = set(SearchTerm.objects.values_list("term", "version_id", "weight"))
    with transaction.atomic():
        assert search.reindex(timezone.localdate()) == 3
    assert set(SearchTerm.objects.values_list("term", "version_id", "weight")) == before


def test_query_words_are_bounded():
    assert len(search.query_terms("食品" * 200)) <= search.MAX_QUERY_TERMS
    assert search.query_terms("的 了 怎么") == []


def test_search_costs_a_fixed_number_of_queries(catalog):
    for i in range(30):
        create_and_publish(f"610800-XK-{i + 2000}", food_licence(name=f"食品许可{i}"), catalog["SCJG"])
    with assert_max_queries(2):
        versions, _ = queries.find(queries.Filters.clean(q="食品 许可", tags=["do_online"]), timezone.localdate())
        rows = list(versions[:20])
        assert [v.item.department.name for v in rows]  # related rows came with the page
    assert len(rows) == 20
