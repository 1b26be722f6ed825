"""The bank adapter for bond cash (保证金收退): open a sub-account (子账户) per bidder and lot, read the bank's
signed payment and refund notifications, send refund orders. The adapter is named by the setting
TRADING_BANK (env YS_TRADING_BANK); `SimulatedBank` serves the demo and the tests.

Notifications are JSON posted to /api/v1/trading/bank/notifications with the header X-Bank-Signature:
the hex HMAC-SHA256 of the raw body under TRADING_BANK_KEY (env YS_TRADING_BANK_KEY), so only the bank
can announce money.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.module_loading import import_string

from yingshang.kernel.errors import Forbidden, InvalidInput

SIGNATURE_HEADER = "X-Bank-Signature"
PAYMENT, REFUND = "payment", "refund"


@dataclass(frozen=True)
class Notification:
    kind: str  # payment: money arrived on a sub-account; refund: a refund order was paid out
    id: str
    sub_account: str = ""
    amount: Decimal = Decimal("0")
    payer_account: str = ""
    payer_name: str = ""
    payer_bank: str = ""
    at: datetime | None = None
    order_no: str = ""


@dataclass(frozen=True)
class RefundReceipt:
    order_no: str
    paid_at: datetime | None = None  # set when the bank pays at once; otherwise a refund notification follows


def key() -> bytes:
    configured = getattr(settings, "TRADING_BANK_KEY", "") or ""
    if configured:
        return configured.encode()
    # No key configured (development): one derived from the secret key, never a constant.
    return hmac.new(settings.SECRET_KEY.encode(), b"trading-bank-notifications", hashlib.sha256).digest()


def sign(body: bytes) -> str:
    return hmac.new(key(), body, hashlib.sha256).hexdigest()


def verify(body: bytes, signature: str) -> None:
    if not signature or not hmac.compare_digest(sign(body), signature.strip().lower()):
        raise Forbidden("trading.bank_signature_invalid", "银行通知签名无效，已拒绝")


class Bank:
    """The interface every bank adapter implements."""

    code = ""

    def open_sub_account(self, lot_ref: str, bidder_uscc: str, bidder_name: str) -> str:
        raise NotImplementedError

    def refund_order(self, *, sub_account: str, to_account: str, to_name: str, amount: Decimal,
                     reference: str) -> RefundReceipt:
        raise NotImplementedError

    def parse(self, body: bytes, signature: str) -> Notification:
        """Check the signature and read the notification; bad JSON or fields: InvalidInput."""
        verify(body, signature)
        try:
            data = json.loads(body)
            kind = data["type"]
            at = datetime.fromisoformat(data["at"]) if data.get("at") else None
            if kind not in (PAYMENT, REFUND) or not str(data["id"]).strip():
                raise ValueError(kind)
            if at is not None and at.tzinfo is None:
                raise ValueError("naive time")
            return Notification(kind=kind, id=str(data["id"])[:64], sub_account=str(data.get("sub_account", ""))[:40],
                                amount=Decimal(str(data.get("amount", "0"))),
                                payer_account=str(data.get("payer_account", ""))[:40],
                                payer_name=str(data.get("payer_name", ""))[:200],
                                payer_bank=str(data.get("payer_bank", ""))[:200], at=at,
                                order_no=str(data.get("order_no", ""))[:64])
        except (ValueError, KeyError, TypeError, InvalidOperation, AttributeError):
            raise InvalidInput("trading.bank_notification_invalid", "银行通知格式不正确") from None


class SimulatedBank(Bank):
    """A bank in memory: sub-account numbers derived from the lot and bidder, refunds paid at once."""

    code = "SIMBANK"
    PREFIX = "6217"

    def open_sub_account(self, lot_ref: str, bidder_uscc: str, bidder_name: str) -> str:
        digest = hashlib.sha256(f"{lot_ref}|{bidder_uscc}".encode()).hexdigest()
        return self.PREFIX + str(int(digest[:16], 16))[:15].rjust(15, "0")

    def refund_order(self, *, sub_account: str, to_account: str, to_name: str, amount: Decimal,
                     reference: str) -> RefundReceipt:
        from yingshang.kernel import clock

        order = "R" + hashlib.sha256(f"{sub_account}|{reference}".encode()).hexdigest()[:20].upper()
        return RefundReceipt(order, clock.now())

    @staticmethod
    def notification(**fields) -> tuple[bytes, str]:
        """A signed notification body as the bank would post it (for the demo and the tests)."""
        body = json.dumps({k: (v.isoformat() if isinstance(v, datetime) else str(v)) for k, v in fields.items()},
                          ensure_ascii=False).encode()
        return body, sign(body)


def get_bank() -> Bank:
    return import_string(getattr(settings, "TRADING_BANK", "") or "yingshang.trading.bank.SimulatedBank")()
