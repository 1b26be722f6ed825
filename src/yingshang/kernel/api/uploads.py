"""Upload endpoints of every app: the multipart body is capped and parsed before authentication and CSRF
read it (kernel.services.uploads.guard_request), and a refusal is the API's error JSON."""

from __future__ import annotations

from functools import wraps

from django.http import JsonResponse

from yingshang.kernel.services import uploads


def guarded(run):
    """Decorate a django-ninja view that takes files (use as `@router.post(...)` … `@guarded`)."""
    @wraps(run)
    def wrapper(request, *args, **kwargs):
        error = uploads.guard_request(request)
        if error is not None:
            return JsonResponse(error.as_dict(), status=error.status, json_dumps_params={"ensure_ascii": False})
        return run(request, *args, **kwargs)
    return wrapper
