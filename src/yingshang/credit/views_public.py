"""The public 信用公示 pages (no sign-in): records within their publication period and published lists."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from yingshang.credit.choices import ListKind
from yingshang.credit.services import publicity
from yingshang.kernel.errors import InvalidInput, NotFound


@require_GET
def records(request):
    kind = request.GET.get("kind", "penalty")
    kind = kind if kind in publicity.MODELS else "penalty"
    query = request.GET.get("q", "")[:100]
    error, found = "", None
    try:
        found = publicity.search(kind, query, request.GET.get("page", 1))
    except InvalidInput as exc:
        error = exc.message
    context = {"kind": kind, "kinds": publicity.KIND_LABELS, "q": query, "found": found, "error": error}
    template = "credit/public/_records.html" if request.htmx else "credit/public/records.html"
    return render(request, template, context, status=400 if error and not request.htmx else 200)


@require_GET
def record_detail(request, kind: str, pk: int):
    try:
        record = publicity.public_record(kind, pk)
    except NotFound:
        raise Http404("该信息不存在或已不在公示期内") from None
    return render(request, "credit/public/record.html", {"kind": kind, "record": record,
                                                          "kind_label": publicity.KIND_LABELS[kind]})


@require_GET
def entries(request):
    list_kind = request.GET.get("list_kind", "")
    list_kind = list_kind if list_kind in ListKind.values else ""
    query = request.GET.get("q", "")[:100]
    error, found = "", None
    try:
        found = publicity.public_entries(list_kind, query, request.GET.get("page", 1))
    except InvalidInput as exc:
        error = exc.message
    return render(request, "credit/public/lists.html", {"list_kind": list_kind, "list_kinds": ListKind.choices,
                                                         "q": query, "found": found, "error": error},
                  status=400 if error else 200)
