"""Grouping the API's routes by their first segment changes nothing about what a URL resolves to."""

import re

from django.urls import URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from yingshang.api import api
from yingshang.kernel.routing import group_by_prefix


def _sample_path(route: str) -> str:
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: "7" if m.group(1) == "int" else "x7", route)


def test_every_api_route_resolves_to_the_same_view_as_the_flat_list():
    patterns, _app, _ns = api.urls
    flat = URLResolver(RoutePattern("api/v1/"), patterns, app_name="ninja", namespace="api")
    grouped = URLResolver(RoutePattern("api/v1/"), group_by_prefix(patterns), app_name="ninja", namespace="api")
    assert len(grouped.url_patterns) < len(patterns) / 3
    for p in patterns:
        url = "api/v1/" + _sample_path(str(p.pattern))
        a, b = flat.resolve(url), grouped.resolve(url)
        assert (a.func, a.url_name, a.kwargs) == (b.func, b.url_name, b.kwargs), url


def test_names_reverse_as_before():
    assert reverse("api:check_get") == "/api/v1/credit/check"
    assert reverse("api:list_mine") == "/api/v1/licences"
    assert get_resolver().resolve("/api/v1/credit/check").url_name == "check_get"


def test_a_route_starting_with_a_converter_and_everything_after_it_stay_flat():
    from django.urls import path

    def view(request):
        return None

    patterns = [path("a/one", view, name="a1"), path("a/two", view, name="a2"), path("a/three", view, name="a3"),
                path("<slug>/x", view, name="slug"), path("a/four", view, name="a4")]
    grouped = group_by_prefix(patterns)
    assert [str(p.pattern) for p in grouped] == ["a/", "<slug>/x", "a/four"]
