"""Keyed digests of identifiers (lookups without storing the number) and masks."""

import hashlib
import hmac

from django.test import override_settings

from yingshang.kernel import protect


def test_digest_is_hmac_sha256_under_a_domain_separated_key():
    digest = protect.id_digest("11010519491231002X")
    assert len(digest) == 64 and int(digest, 16) >= 0
    plain = hmac.new(b"test-secret-key-not-for-production-use-0123456789", b"11010519491231002X", hashlib.sha256).hexdigest()
    assert digest != plain
    assert digest != hashlib.sha256(b"11010519491231002X").hexdigest()


def test_digest_is_of_the_normalized_identifier():
    assert protect.id_digest(" 110105 19491231 002x ") == protect.id_digest("11010519491231002X")
    assert protect.id_digest("９１１１００００６０００３７３４１Ｌ") == protect.id_digest("91110000600037341L")


def test_legacy_and_upgraded_resident_id_have_the_same_digest():
    assert protect.id_digest("110105491231002") == protect.id_digest("11010519491231002X")


def test_digest_depends_on_the_key_and_a_dedicated_key_survives_secret_rotation():
    before = protect.id_digest("11010519491231002X")
    with override_settings(SECRET_KEY="another-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"):
        assert protect.id_digest("11010519491231002X") != before
    with override_settings(ID_DIGEST_KEY="dedicated-digest-key"):
        fixed = protect.id_digest("11010519491231002X")
        with override_settings(SECRET_KEY="rotated-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"):
            assert protect.id_digest("11010519491231002X") == fixed


def test_different_identifiers_have_different_digests():
    assert protect.id_digest("11010519491231002X") != protect.id_digest("91110000600037341L")


def test_mask_helpers_are_re_exported():
    assert protect.mask_resident_id("610802199001011234") == "610802********1234"
    assert protect.mask("91110000600037341L") == "911100********341L"
