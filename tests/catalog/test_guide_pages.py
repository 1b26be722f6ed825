"""The public service guide: search page, item page, printable page and QR code, without login."""

import pytest
from django.conf import settings
from django.test import override_settings

from tests.catalog.conftest import create_and_publish, food_licence, restaurant_joint
from tests.helpers import assert_max_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(city):
    create_and_publish("610800-XK-0001", food_licence(), city["SCJG"])
    create_and_publish("610800-GG-0001", restaurant_joint(), city["SCJG"])
    return city


def text(response) -> str:
    return response.content.decode()


def test_the_guide_lists_published_items_for_anonymous_visitors(client, catalog):
    response = client.get("/guide/")
    assert response.status_code == 200
    body = text(response)
    assert "食品经营许可" in body and "开办餐饮店一件事" in body and "共 2 个事项" in body
    assert 'hx-get="/guide/"' in body and "vendor/htmx/htmx.min.js" in body


def test_a_chinese_query_narrows_the_list(client, catalog):
    body = text(client.get("/guide/", {"q": "餐饮"}))
    assert "开办餐饮店一件事" in body and "食品经营许可</a>" not in body
    assert "“餐饮”找到 1 个事项" in body


def test_htmx_requests_get_only_the_results_fragment(client, catalog):
    response = client.get("/guide/", {"q": "食品"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="guide-results")
    body = text(response)
    assert response.status_code == 200 and "食品经营许可" in body
    assert "<html" not in body and "guide-search" not in body
    assert "HX-Request" in response["Vary"]


def test_no_result_explains_what_to_do(client, catalog):
    body = text(client.get("/guide/", {"q": "排污许可"}))
    assert "没有找到符合条件的事项" in body and "12345" in body


def test_bad_filter_values_and_pages_do_not_break_the_list(client, catalog):
    for params in ({"page": "abc"}, {"page": "999"}, {"type": "<script>"}, {"tag": ["nope", "do_online"]},
                   {"q": "x" * 500}, {"department": "'; DROP TABLE"}):
        assert client.get("/guide/", params).status_code == 200, params


def test_the_item_page_shows_everything_of_the_guide(client, catalog):
    body = text(client.get("/guide/610800-GG-0001/"))
    for expected in ("开办餐饮店一件事", "联办件", "榆林市卫生健康委员会", "国家税务总局榆林市税务局", "经营场所使用证明",
                     "可容缺", "45 个工作日", "第四十二条", "10 个工作日", "以下环节并联办理", "印章备案", "不收费", "网上办"):
        assert expected in body, expected
    food = text(client.get("/guide/610800-xk-0001/"))  # codes are case-insensitive
    for expected in ("食品经营许可证", "《中华人民共和国食品安全法》第三十五条", "电子证照（营业执照）", "材料库复用",
                     "榆林市市民大厦政务服务大厅", "0912-3456789", "10 个工作日", "5 个工作日"):
        assert expected in food, expected


@override_settings(SITE_URL="https://zwfw.yl.gov.cn")
def test_the_item_page_carries_a_qr_code_of_its_public_address(client, catalog):
    body = text(client.get("/guide/610800-XK-0001/"))
    assert "<svg" in body and "扫码" in body
    qr = client.get("/guide/610800-XK-0001/qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"].startswith("image/svg+xml")
    assert 'xmlns="http://www.w3.org/2000/svg"' in text(qr)
    from yingshang.catalog.views import guide_url

    assert guide_url("610800-XK-0001") == "https://zwfw.yl.gov.cn/guide/610800-XK-0001/"


def test_the_qr_code_on_the_page_encodes_the_page_address(client, catalog):
    from yingshang.catalog.views import guide_url, qr_svg

    url = guide_url("610800-XK-0001")
    assert url == f"{settings.SITE_URL}/guide/610800-XK-0001/"
    body = text(client.get("/guide/610800-XK-0001/"))
    assert qr_svg(url) in body
    assert qr_svg(guide_url("610800-GG-0001")) not in body


def test_the_printable_page_is_a_standalone_a4_page(client, catalog):
    response = client.get("/guide/610800-XK-0001/print/")
    body = text(response)
    assert response.status_code == 200
    assert "data-print" in body and "<svg" in body and "食品经营许可申请书" in body and "打印日期" in body
    assert "site-header" not in body  # no navigation on paper


def test_unknown_items_answer_404_in_chinese(client, catalog):
    for url in ("/guide/610800-XK-9999/", "/guide/610800-XK-9999/print/", "/guide/610800-XK-9999/qr.svg"):
        response = client.get(url)
        assert response.status_code == 404
        assert "未找到该事项的办事指南" in text(response) and "610800-XK-9999" in text(response)


def test_a_retired_item_is_gone_from_the_guide(client, catalog, tomorrow):
    from django.db import transaction

    from yingshang.catalog import services

    with transaction.atomic():
        services.do_retire(services.version_in_force(services.get_item("610800-XK-0001")), tomorrow, "事项取消")
    assert client.get("/guide/610800-XK-0001/").status_code == 200  # still in force today
    with override_settings():
        from unittest import mock

        with mock.patch("django.utils.timezone.localdate", return_value=tomorrow):
            assert client.get("/guide/610800-XK-0001/").status_code == 404


def test_the_guide_needs_few_queries_whatever_the_catalog_size(client, catalog):
    for i in range(40):
        create_and_publish(f"610800-XK-{i + 3000:04d}", food_licence(name=f"食品许可{i}"), catalog["SCJG"])
    client.get("/guide/")  # warm up the tokenizer and caches
    with assert_max_queries(5):  # count, page, department filter, city name (layout), session-less nav
        response = client.get("/guide/", {"q": "食品 许可", "page": 2})
    assert response.status_code == 200 and "第 2 / 3 页" in text(response)
    with assert_max_queries(10):  # item, version with its 5 kinds of rows, city name
        assert client.get("/guide/610800-GG-0001/").status_code == 200


def test_the_guide_is_in_the_public_navigation(client, catalog):
    body = text(client.get("/"))
    assert 'href="/guide/"' in body
