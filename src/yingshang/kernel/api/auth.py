"""API authentication: bearer tokens for systems, the session (with CSRF) for the browser."""

import hashlib

from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from yingshang.kernel.context import _current, actor_for


class ApiTokenAuth(HttpBearer):
    openapi_description = "系统对接令牌：Authorization: Bearer <令牌>"

    def authenticate(self, request, token: str):
        from yingshang.kernel.models import ApiToken

        digest = hashlib.sha256(token.encode()).hexdigest()
        found = ApiToken.objects.select_related("user", "user__department").filter(
            digest=digest, revoked_at__isnull=True, user__is_active=True
        ).first()
        now = timezone.now()
        if found is None or (found.expires_at and found.expires_at <= now):
            return None
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        current = _current.get()
        _current.set(actor_for(found.user, current.client_ip))
        return found.user


token_auth = ApiTokenAuth()
# Either a system token or a signed-in browser session.
signed_in = [token_auth, django_auth]
