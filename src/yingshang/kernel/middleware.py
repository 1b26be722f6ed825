from yingshang.kernel.context import acting_as, actor_for


def client_ip(request) -> str:
    """The address of the client; behind N trusted proxies, the Nth address from the right."""
    from django.conf import settings

    proxies = settings.AXES_IPWARE_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies][:45]
    return request.META.get("REMOTE_ADDR", "")[:45]


class ChineseFirstMiddleware:
    """zh-hans unless the user chose another language: a browser's Accept-Language is not a choice."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RequestContextMiddleware:
    """Makes the signed-in user and client address the actor of whatever the request changes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(actor_for(getattr(request, "user", None), client_ip(request))):
            return self.get_response(request)


class TokenCallMiddleware:
    """For the lean API path (yingshang.wsgi): no session, so the user is anonymous until the token
    authenticates it, and a cookie can never sign the call in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
        request.COOKIES = {}
        return self.get_response(request)


class RejectNulMiddleware:
    """A NUL character is never valid text here, and PostgreSQL refuses it (SQLite would store it):
    refuse it in query strings and in JSON or form bodies up front, with 400 (pages) or 422 (API).
    Multipart bodies are left to their views (files are binary; text fields are checked there)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            from django.http import HttpResponseBadRequest, JsonResponse

            message = "输入中不能包含空字符（NUL），请检查后重试"
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "invalid_input", "message": message}, status=422)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            return True
        if request.method in ("GET", "HEAD", "OPTIONS") or request.content_type == "multipart/form-data":
            return False
        body = request.body  # read once (within DATA_UPLOAD_MAX_MEMORY_SIZE); Django keeps it for the view
        if request.content_type == "application/x-www-form-urlencoded":
            return b"%00" in body or b"\x00" in body
        return b"\x00" in body or b"\\u0000" in body


MAX_ID = 2**63 - 1  # the databases' integer range (PostgreSQL bigint, SQLite INTEGER)


def _out_of_range(part: str) -> bool:
    digits = part[1:] if part.startswith("-") else part
    return digits.isdigit() and digits.isascii() and not -MAX_ID - 1 <= int(part) <= MAX_ID


class RejectHugeIdsMiddleware:
    """A purely numeric path segment beyond the databases' integer range names no row: answer 404 at once,
    rather than let each view's query overflow (SQLite raises OverflowError, a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(_out_of_range(part) for part in request.path.split("/")):
            from django.http import Http404, JsonResponse

            if request.path.startswith("/api/"):
                return JsonResponse({"code": "not_found", "message": "请求的对象不存在"}, status=404)
            raise Http404("请求的对象不存在")  # Django renders the site's 404 page
        return self.get_response(request)
