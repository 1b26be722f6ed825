"""The public service guide (办事指南): search, one page per item, a printable page and its QR code.

No login. Only published versions in force today are shown; a case's own version is shown by
the case pages, not here.
"""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from yingshang.catalog import queries, rules
from yingshang.catalog.choices import TAGS, ItemType, Kind
from yingshang.kernel.errors import NotFound

PAGE_SIZE = 20


def qr_svg(url: str) -> str:
    """The kernel's QR helper (documents, else pdf), or segno directly when neither is there."""
    try:
        from yingshang.kernel.services.documents import qr_svg as make
    except ImportError:
        try:
            from yingshang.kernel.services.pdf import qr_svg as make
        except ImportError:
            make = None
    if make is not None:
        return make(url)
    import segno

    return segno.make(url, error="m", micro=False).svg_inline(scale=4, border=2)


def guide_url(code: str) -> str:
    """The absolute address of an item's page (what the QR code opens), from settings.SITE_URL."""
    return settings.SITE_URL + reverse("catalog:detail", args=[code])


def _filters(request) -> queries.Filters:
    get = request.GET
    return queries.Filters.clean(q=get.get("q", ""), department=get.get("department", ""),
                                 item_type=get.get("type", ""), kind=get.get("kind", ""), tags=get.getlist("tag"),
                                 theme=get.get("theme", ""))


@require_GET
def guide(request):
    today = timezone.localdate()
    filters = _filters(request)
    theme = queries.theme(filters.theme)
    if theme is None and filters.theme:  # an unknown or retired theme is dropped like other stale filters
        filters = replace(filters, theme="")
    versions, terms = queries.find(filters, today)
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "filters": filters, "terms": terms, "query_string": query.urlencode(), "tags": TAGS,
               "theme": theme}
    if request.htmx and request.htmx.target == "guide-results":
        response = render(request, "catalog/_results.html", context)
    else:
        context |= {"departments": queries.guide_departments(today), "item_types": ItemType.choices,
                    "kinds": Kind.choices}
        response = render(request, "catalog/guide.html", context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])  # the fragment and the page share one URL
    return response


def _detail_context(request, code: str) -> dict:
    item, version = queries.detail(code, timezone.localdate())
    url = guide_url(item.code)
    statutory = version.statutory_limit_days
    return {
        "item": item, "version": version, "stages": queries.stages(version), "guide_url": url, "qr": qr_svg(url),
        "statutory_effective": rules.effective_statutory_limit(statutory, version.kind),
        "statutory_is_default": statutory is None,
        "tags": [(label, getattr(version, field)) for field, label in TAGS],
        "joint": list(version.joint_departments.all()),
        "channels": _labels("Channel", version.channels), "applicant_kinds": _labels("ApplicantKind", version.applicant_kinds),
    }


def _labels(enum_name: str, values) -> list[str]:
    from yingshang.catalog import choices

    labels = dict(getattr(choices, enum_name).choices)
    return [str(labels.get(v, v)) for v in values or ()]


def _not_found(request, exc: NotFound):
    return render(request, "catalog/not_found.html", {"message": exc.message}, status=404)


@require_GET
def detail(request, code: str):
    try:
        context = _detail_context(request, code)
    except NotFound as exc:
        return _not_found(request, exc)
    return render(request, "catalog/detail.html", context)


@require_GET
def printable(request, code: str):
    try:
        context = _detail_context(request, code)
    except NotFound as exc:
        return _not_found(request, exc)
    context["printed_on"] = timezone.localdate()
    return render(request, "catalog/print.html", context)


@require_GET
def qr(request, code: str):
    """The QR code alone, as an SVG file (for posters in the hall, 服务指南二维码告知)."""
    try:
        item, _version = queries.detail(code, timezone.localdate())
    except NotFound as exc:
        return _not_found(request, exc)
    svg = qr_svg(guide_url(item.code))
    if "xmlns=" not in svg:  # an inline <svg> needs the namespace to stand alone as a file
        svg = svg.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="guide-{item.code}.svg"'
    response["Cache-Control"] = "public, max-age=3600"
    return response

