"""The sealed-bid format YSBID1 (加密投标文件): what the bidder's browser (static/trading/js/seal.js, WebCrypto)
and `yingshang bid seal` write, and what the opening decrypts with the key only the bidder holds.

Why this shape: 电子招标投标办法 requires that nobody can read a bid before the opening, so the platform
never sees the key until the bidder presents it at the opening; AES-256-GCM in fixed-size chunks streams
(10 MB or 500 MB files in flat memory, in the browser too) and authenticates every chunk, the last one marked
so that a truncated file is refused.

Sealed file:  MAGIC (7 bytes "YSBID1\\n") · header length (4 bytes, big-endian) · header (UTF-8 JSON) · chunks.
Header:       {"v": 1, "alg": "AES-256-GCM", "chunk": <plain bytes per chunk>, "nonce": <8 bytes, base64>,
               "check": <key check, hex>}
Chunk i:      AES-GCM(key, nonce = nonce(8) ‖ i (4, big-endian), aad = header bytes ‖ (0x01 last / 0x00 not))
              — each chunk's ciphertext is its plaintext length + 16 (the tag); an empty file is one last chunk.
Key check:    hex SHA-256("YSBID1-check" ‖ key)[:32] — lets the opening refuse a wrong key at once; learning it
              tells nothing about a random 256-bit key.
Plaintext:    the bid payload: "YSBIDDOC1\\n" · length (4, BE) · price sheet (UTF-8 JSON object, 开标一览表) ·
              name length (2, BE) · file name (UTF-8) · the bid file's bytes.
Key file:     {"format": "YSBID1-key", "key": <32 bytes, base64>, "check": <key check>}
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"YSBID1\n"
PAYLOAD_MAGIC = b"YSBIDDOC1\n"
CHUNK = 1 << 20
TAG = 16
MAX_HEADER = 4096
MAX_SHEET = 64 * 1024


class SealError(ValueError):
    """The file or key is not usable; `code` is the API's machine code, the message is for the user."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class Header:
    raw: bytes
    chunk: int
    nonce: bytes
    check: str


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def key_check(key: bytes) -> str:
    return hashlib.sha256(b"YSBID1-check" + key).hexdigest()[:32]


def encode_key(key: bytes) -> str:
    return json.dumps({"format": "YSBID1-key", "key": base64.b64encode(key).decode(), "check": key_check(key)})


def decode_key(text: str | bytes) -> bytes:
    """A key from a key file's text, or from the bare base64 key."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    text = text.strip()
    try:
        value = json.loads(text)["key"] if text.startswith("{") else text
        key = base64.b64decode(value, validate=True)
    except (ValueError, KeyError, TypeError):
        raise SealError("trading.key_invalid", "密钥格式不正确，请选择投标时保存的密钥文件") from None
    if len(key) != 32:
        raise SealError("trading.key_invalid", "密钥格式不正确，请选择投标时保存的密钥文件")
    return key


def _header_bytes(chunk: int, nonce: bytes, check: str) -> bytes:
    return json.dumps({"v": 1, "alg": "AES-256-GCM", "chunk": chunk, "nonce": base64.b64encode(nonce).decode(),
                       "check": check}, separators=(",", ":")).encode()


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


def _aad(header: bytes, last: bool) -> bytes:
    return header + (b"\x01" if last else b"\x00")


def _read_exact(src: BinaryIO, n: int) -> bytes:
    out = bytearray()
    while len(out) < n:
        block = src.read(n - len(out))
        if not block:
            break
        out += block
    return bytes(out)


def seal(key: bytes, src: BinaryIO, dst: BinaryIO, *, chunk: int = CHUNK) -> tuple[int, str]:
    """Encrypt `src` into `dst`; return (bytes written, SHA-256 hex of the sealed file)."""
    nonce = os.urandom(8)
    header = _header_bytes(chunk, nonce, key_check(key))
    digest, size = hashlib.sha256(), 0

    def write(data: bytes) -> None:
        nonlocal size
        dst.write(data)
        digest.update(data)
        size += len(data)

    write(MAGIC + struct.pack(">I", len(header)) + header)
    aes, index = AESGCM(key), 0
    current = _read_exact(src, chunk)
    while True:
        following = _read_exact(src, chunk) if len(current) == chunk else b""
        last = not following
        write(aes.encrypt(_nonce(nonce, index), current, _aad(header, last)))
        if last:
            return size, digest.hexdigest()
        current, index = following, index + 1


def read_header(src: BinaryIO) -> Header:
    """The header of a sealed file (the upload checks it: a file that is not YSBID1 is refused)."""
    bad = SealError("trading.bid_not_sealed", "投标文件不是本平台加密格式（YSBID1），请使用投标客户端或浏览器加密后上传")
    if _read_exact(src, len(MAGIC)) != MAGIC:
        raise bad
    length_bytes = _read_exact(src, 4)
    if len(length_bytes) != 4:
        raise bad
    (length,) = struct.unpack(">I", length_bytes)
    if not 0 < length <= MAX_HEADER:
        raise bad
    raw = _read_exact(src, length)
    try:
        data = json.loads(raw)
        nonce = base64.b64decode(data["nonce"], validate=True)
        chunk, check = int(data["chunk"]), str(data["check"])
    except (ValueError, KeyError, TypeError):
        raise bad from None
    if data.get("v") != 1 or data.get("alg") != "AES-256-GCM" or len(nonce) != 8 or not 1024 <= chunk <= 1 << 24:
        raise bad
    return Header(raw, chunk, nonce, check)


def decrypt(key: bytes, src: BinaryIO) -> Iterator[bytes]:
    """The plaintext of a sealed file, chunk by chunk (flat memory). Raises SealError for a wrong key, a
    tampered or truncated file."""
    header = read_header(src)
    if key_check(key) != header.check:
        raise SealError("trading.key_wrong", "密钥与该投标文件不匹配，请确认使用的是本次投标保存的密钥文件")
    aes, index, size = AESGCM(key), 0, header.chunk + TAG
    current = _read_exact(src, size)
    while True:
        following = _read_exact(src, size) if len(current) == size else b""
        last = not following
        if len(current) < TAG:
            raise SealError("trading.bid_corrupt", "投标文件不完整或已损坏")
        try:
            yield aes.decrypt(_nonce(header.nonce, index), current, _aad(header.raw, last))
        except InvalidTag:
            raise SealError("trading.bid_corrupt", "投标文件不完整或已被篡改，无法解密") from None
        if last:
            return
        current, index = following, index + 1


def pack(price_sheet: dict, filename: str, src: BinaryIO) -> Iterator[bytes]:
    """The plaintext payload (price sheet + one bid file) as chunks, for `seal` via a reader over it."""
    sheet = json.dumps(price_sheet, ensure_ascii=False).encode()
    name = filename.encode()[:500]
    yield PAYLOAD_MAGIC + struct.pack(">I", len(sheet)) + sheet + struct.pack(">H", len(name)) + name
    while block := src.read(CHUNK):
        yield block


class ChunkReader:
    """A file-like `read(n)` over an iterator of byte chunks (so pack → seal and decrypt → unpack stream)."""

    def __init__(self, chunks):
        self._chunks, self._buffer = iter(chunks), b""

    def read(self, n: int = -1) -> bytes:
        while n < 0 or len(self._buffer) < n:
            try:
                self._buffer += next(self._chunks)
            except StopIteration:
                break
        if n < 0:
            out, self._buffer = self._buffer, b""
        else:
            out, self._buffer = self._buffer[:n], self._buffer[n:]
        return out

    def chunks(self) -> Iterator[bytes]:
        """The rest as the underlying chunks, without re-slicing them (the opening streams a 10 MB bid this way)."""
        if self._buffer:
            rest, self._buffer = self._buffer, b""
            yield rest
        yield from self._chunks


def unpack(plain: BinaryIO) -> tuple[dict, str, BinaryIO]:
    """(price sheet, file name, reader of the file's bytes) from a decrypted payload."""
    bad = SealError("trading.bid_payload_invalid", "投标文件解密后内容格式不正确（缺少开标一览表）")
    if _read_exact(plain, len(PAYLOAD_MAGIC)) != PAYLOAD_MAGIC:
        raise bad
    raw_len = _read_exact(plain, 4)
    (length,) = struct.unpack(">I", raw_len) if len(raw_len) == 4 else (0,)
    if not 0 < length <= MAX_SHEET:
        raise bad
    try:
        sheet = json.loads(_read_exact(plain, length).decode())
        (name_len,) = struct.unpack(">H", _read_exact(plain, 2))
        name = _read_exact(plain, name_len).decode()
    except (ValueError, struct.error):
        raise bad from None
    if not isinstance(sheet, dict):
        raise bad
    return sheet, name, plain


def seal_bid(key: bytes, price_sheet: dict, filename: str, src: BinaryIO, dst: BinaryIO) -> tuple[int, str]:
    """Pack and seal in one pass (what `yingshang bid seal` does)."""
    return seal(key, ChunkReader(pack(price_sheet, filename, src)), dst)


def open_bid(key: bytes, src: BinaryIO) -> tuple[dict, str, BinaryIO]:
    """Decrypt and unpack in one pass: the price sheet and file name at once, the file's bytes as a reader."""
    return unpack(ChunkReader(decrypt(key, src)))
