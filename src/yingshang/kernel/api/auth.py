"""API authentication: bearer tokens for systems, the session (with CSRF) for the browser.

A system calling the API thousands of times a second (the credit check at every window of other
systems) should not pay two queries per call for its token: a verified token is remembered in this
process for TOKEN_CACHE_SECONDS (default 15 s). A revoked or expired token, or a changed role, is
therefore honoured within that time on every server; the cache holds no secrets (digests only).
"""

import copy
import hashlib
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from yingshang.kernel.context import _current, actor_for


class ApiTokenAuth(HttpBearer):
    openapi_description = "系统对接令牌：Authorization: Bearer <令牌>"

    def authenticate(self, request, token: str):
        digest = hashlib.sha256(token.encode()).hexdigest()
        user = _CACHE.get(digest)
        if user is None:
            user = self._lookup(digest)
            if user is None:
                return None
            _CACHE.put(digest, user)
        user = copy.copy(user)  # per-request attributes never leak into the shared copy
        request.user = user
        current = _current.get()
        _current.set(actor_for(user, current.client_ip))
        return user

    def _lookup(self, digest: str):
        from yingshang.kernel.access import role_codes
        from yingshang.kernel.models import ApiToken

        found = ApiToken.objects.select_related("user", "user__department").filter(
            digest=digest, revoked_at__isnull=True, user__is_active=True
        ).first()
        now = timezone.now()
        if found is None or (found.expires_at and found.expires_at <= now):
            return None
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        user = found.user
        role_codes(user)  # read the roles once, cached on the object
        user._ys_token_expires_at = found.expires_at
        return user


class _TokenCache:
    """digest -> (user, stored at), bounded LRU; entries live TOKEN_CACHE_SECONDS and never past the token's expiry."""

    def __init__(self, size: int = 1024):
        self._items: OrderedDict[str, tuple[object, float]] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    @staticmethod
    def ttl() -> float:
        return float(getattr(settings, "TOKEN_CACHE_SECONDS", 15))

    def get(self, digest: str):
        with self._lock:
            hit = self._items.get(digest)
            if hit is None:
                return None
            user, stored = hit
            expires = getattr(user, "_ys_token_expires_at", None)
            if time.monotonic() - stored > self.ttl() or (expires and expires <= timezone.now()):
                del self._items[digest]
                return None
            self._items.move_to_end(digest)
            return user

    def put(self, digest: str, user) -> None:
        if self.ttl() <= 0:
            return
        with self._lock:
            self._items[digest] = (user, time.monotonic())
            self._items.move_to_end(digest)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_CACHE = _TokenCache()


token_auth = ApiTokenAuth()
# Either a system token or a signed-in browser session.
signed_in = [token_auth, django_auth]
