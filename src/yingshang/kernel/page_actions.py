"""How a page runs a form action (POST, then redirect back): the service call in one transaction, its
errors turned into what a browser user sees."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from yingshang.kernel.errors import Forbidden, NotFound, ServiceError
from yingshang.kernel.kept import run_kept


def run_form_action(request, call: Callable[[], object], success: str) -> bool:
    """Run `call` in a transaction. Forbidden is the 403 page, NotFound the 404 page; any other service
    error (conflict, bad input) is shown as a message on the page the action redirects to, as is `success`.
    Returns whether the action was taken."""
    try:
        try:
            with transaction.atomic():
                call()
        except ServiceError as exc:
            run_kept(exc)
            raise
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    except NotFound as exc:
        raise Http404(exc.message) from None
    except ServiceError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True
