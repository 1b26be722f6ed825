"""Protecting personal identifiers: keyed digests for lookups, masks for display.

Store `id_digest(number)` in an indexed column to find a person by ID number without keeping the
number itself searchable; show `mask_resident_id(number)` wherever a number must be displayed.

The digest is HMAC-SHA256 under a key derived from `settings.ID_DIGEST_KEY` (when set) or
`settings.SECRET_KEY`, domain-separated by a fixed salt so that it can never collide with Django's
other uses of the secret (sessions, signing). Without the key the digest cannot be reversed by
trying the ~10^11 plausible resident IDs. Changing the key changes every digest: digests stored
under the old key must be recomputed, which is why a dedicated ID_DIGEST_KEY can be set that stays
fixed when SECRET_KEY is rotated.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.crypto import salted_hmac

from yingshang.kernel.rules.identifiers import mask, mask_resident_id, normalize, upgrade_legacy_resident_id

__all__ = ["canonical", "id_digest", "mask", "mask_resident_id"]

_SALT = "yingshang.kernel.protect.id_digest.v1"


def canonical(value: str) -> str:
    """The form that is digested: normalized, and a 15-digit legacy resident ID upgraded to 18 digits,
    so that both forms of the same person's number give the same digest."""
    s = normalize(value)
    if len(s) == 15 and s.isascii() and s.isdigit():
        return upgrade_legacy_resident_id(s)
    return s


def id_digest(value: str) -> str:
    """64 hex characters: HMAC-SHA256 of the canonical identifier under the project's digest key."""
    if not isinstance(value, str):
        raise TypeError("value must be a str")
    secret = getattr(settings, "ID_DIGEST_KEY", None) or settings.SECRET_KEY
    return salted_hmac(_SALT, canonical(value), secret=secret, algorithm="sha256").hexdigest()
