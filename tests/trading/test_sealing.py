"""The YSBID1 sealed-bid format: round trip, wrong key, tampering, truncation, streaming."""

import io
import os

import pytest

from yingshang.trading import sealing

SHEET = {"price": "4500000.00", "duration_days": 300, "quality": "合格", "project_manager": "张工"}


def _sealed(data: bytes, key: bytes, chunk: int = 1024) -> bytes:
    out = io.BytesIO()
    sealing.seal(key, sealing.ChunkReader(sealing.pack(SHEET, "投标文件.pdf", io.BytesIO(data))), out, chunk=chunk)
    return out.getvalue()


@pytest.mark.parametrize("size", [0, 1, 1023, 1024, 1025, 5000])
def test_a_sealed_bid_opens_with_its_key_whatever_its_size(size):
    key, data = sealing.new_key(), os.urandom(size)
    sheet, name, rest = sealing.open_bid(key, io.BytesIO(_sealed(data, key)))
    assert sheet == SHEET and name == "投标文件.pdf" and rest.read() == data


def test_the_sealed_file_does_not_contain_the_price_or_the_text():
    key = sealing.new_key()
    sealed = _sealed("技术方案：详见附件".encode() * 50, key)
    assert b"4500000" not in sealed and "技术方案".encode() not in sealed and "张工".encode() not in sealed


def test_a_wrong_key_is_refused_at_once():
    sealed = _sealed(b"x" * 3000, sealing.new_key())
    with pytest.raises(sealing.SealError) as exc:
        sealing.open_bid(sealing.new_key(), io.BytesIO(sealed))
    assert exc.value.code == "trading.key_wrong"


@pytest.mark.parametrize("cut", [1, 16, 1040])
def test_a_truncated_file_is_refused(cut):
    key = sealing.new_key()
    sealed = _sealed(b"y" * 3000, key)
    with pytest.raises(sealing.SealError) as exc:
        _sheet, _name, rest = sealing.open_bid(key, io.BytesIO(sealed[:-cut]))
        rest.read()
    assert exc.value.code == "trading.bid_corrupt"


def test_a_flipped_byte_is_refused():
    key = sealing.new_key()
    sealed = bytearray(_sealed(b"z" * 3000, key))
    sealed[-100] ^= 1
    with pytest.raises(sealing.SealError):
        sealing.open_bid(key, io.BytesIO(bytes(sealed)))[2].read()


def test_a_file_that_is_not_sealed_is_refused():
    with pytest.raises(sealing.SealError) as exc:
        sealing.read_header(io.BytesIO(b"%PDF-1.7 plain bid"))
    assert exc.value.code == "trading.bid_not_sealed"


def test_the_key_file_round_trips_and_bad_keys_are_refused():
    key = sealing.new_key()
    assert sealing.decode_key(sealing.encode_key(key)) == key
    for bad in ("", "not base64!", "{\"key\": 5}", "QUJD"):
        with pytest.raises(sealing.SealError):
            sealing.decode_key(bad)


def test_sealing_reports_the_size_and_hash_of_what_it_wrote():
    import hashlib

    key, out = sealing.new_key(), io.BytesIO()
    size, digest = sealing.seal_bid(key, SHEET, "a.pdf", io.BytesIO(b"abc" * 1000), out)
    assert size == len(out.getvalue()) and digest == hashlib.sha256(out.getvalue()).hexdigest()
