"""Subject identity: the key a subject is found by, its display form, and encrypted personal numbers.

Personal document numbers (resident IDs and others) are stored three ways, none of them searchable
in clear: a keyed digest (`kernel.protect.id_digest`) as the identity key, a masked form for display,
and a Fernet token (cryptography: AES-128-CBC + HMAC-SHA256) that roles holding
`credit.view_full_identity` can have decrypted — each reveal is audited.

Keys: `settings.ID_ENCRYPTION_KEYS` (or the environment variable YS_ID_ENCRYPTION_KEYS), a comma-
separated list of Fernet keys; the first encrypts, all decrypt (MultiFernet), so a key is rotated by
putting a new one first. Without it a key is derived (HKDF-SHA256) from ID_DIGEST_KEY or
SECRET_KEY — fine for a demo, but production should set its own key and back it up: a lost key
loses the numbers (the digests and masks remain).
"""

from __future__ import annotations

import base64
import os
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from yingshang.credit.choices import IdKind
from yingshang.kernel.errors import InvalidInput
from yingshang.kernel.protect import id_digest
from yingshang.kernel.rules import identifiers as ids

_HKDF_INFO = b"yingshang.credit.identity.v1"


@lru_cache(maxsize=4)
def _fernet(configured: str, fallback_secret: str) -> MultiFernet:
    keys = [k.strip() for k in configured.split(",") if k.strip()]
    if not keys:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(fallback_secret.encode())
        keys = [base64.urlsafe_b64encode(derived).decode()]
    return MultiFernet([Fernet(k) for k in keys])


def fernet() -> MultiFernet:
    configured = getattr(settings, "ID_ENCRYPTION_KEYS", None) or os.environ.get("YS_ID_ENCRYPTION_KEYS", "")
    if isinstance(configured, list | tuple):
        configured = ",".join(configured)
    secret = getattr(settings, "ID_DIGEST_KEY", None) or settings.SECRET_KEY
    return _fernet(configured, secret)


def encrypt(number: str) -> str:
    return fernet().encrypt(number.encode()).decode()


def decrypt(token: str) -> str | None:
    """The number, or None when the token cannot be read (wrong key, damaged)."""
    try:
        return fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None


# --- Identity keys -----------------------------------------------------------------------------

RESIDENT_ID_TYPES = frozenset({"身份证", "居民身份证", "中华人民共和国居民身份证", "公民身份号码", "身份证号", "01", "1"})
USCC_PLACEHOLDER = "00000000000000000X"  # national templates: "no USCC" is written as 17 zeros and X


class Identity(NamedTuple):  # a tuple: built for every imported row, cheaper than a frozen dataclass
    id_kind: str
    key: str  # what Subject.id_key stores
    display: str  # what pages show
    cipher: str = ""  # Fernet token of a personal number


def organisation_identity(uscc: str) -> Identity:
    return Identity(IdKind.USCC, uscc, uscc)


def person_identity(normalized_resident_id: str) -> Identity:
    return Identity(IdKind.RESIDENT_ID, id_digest(normalized_resident_id), ids.mask_resident_id(normalized_resident_id),
                    encrypt(normalized_resident_id))


def other_document_identity(id_type: str, number: str) -> Identity:
    """A passport or other document: the digest covers the type too, so equal numbers of different kinds differ."""
    normalized = ids.normalize(number)
    return Identity(IdKind.OTHER_ID, id_digest(f"{id_type}:{normalized}"), ids.mask(normalized), encrypt(normalized))


def lookup_key(code: str, *, today: date | None = None) -> tuple[str, str, ids.IdCheck]:
    """(id_kind, id_key, check) of a USCC, organization code or resident ID typed by someone.

    Raises InvalidInput with the validator's Chinese reason when the code is not a valid one.
    """
    if not isinstance(code, str) or not code.strip() or len(code) > 64:
        raise InvalidInput("credit.identifier_invalid", "请输入统一社会信用代码、组织机构代码或公民身份号码",
                           details={"field": "code"})
    check = ids.validate(code, today=today)
    if not check.valid:
        raise InvalidInput("credit.identifier_invalid", f"证件号码无效：{check.reason}",
                           details={"field": "code", "kind": check.kind, "errors": [e.as_dict() for e in check.errors]})
    if check.kind == ids.RESIDENT_ID:
        return IdKind.RESIDENT_ID, id_digest(check.normalized), check
    if check.kind == ids.ORGANIZATION_CODE:
        return IdKind.ORGANIZATION_CODE, check.normalized, check
    return IdKind.USCC, check.normalized, check


def display_code(check: ids.IdCheck) -> str:
    """A code as it may be shown back: resident IDs masked."""
    if check.kind == ids.RESIDENT_ID:
        return ids.mask_resident_id(check.normalized or check.code)
    return check.normalized or ids.mask(check.code)
