"""Sealed-bid services: submission with its receipt and audit entry, every refusal (format, size, deadline to
the millisecond, state, suspension, credit, permissions), replacement and withdrawal with the bond hook."""

import hashlib
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings

from tests.trading.factories_bids import BidderFactory, bid_data_dir, open_lot, sealed  # noqa: F401
from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from yingshang.kernel.models import AuditEntry
from yingshang.trading import hooks, rules, sealing
from yingshang.trading.models import Bid
from yingshang.trading.services import bid_files, bids, credit_gate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bid_data_dir")]


def submit(user, lot, data: bytes, **kwargs):
    upload = bid_files.spool(io.BytesIO(data))
    with bid_files.cleanup(upload):
        return bids.do_submit(user, lot.pk, upload, **kwargs)


def at(moment, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: moment)


def test_a_sealed_bid_is_stored_as_ciphertext_with_hash_receipt_and_audit(town):
    bidder, lot, bid_file = BidderFactory(), open_lot(), sealed()
    bid = submit(bidder, lot, bid_file.data)
    assert bid.status == rules.BID_SUBMITTED and bid.bidder_uscc == bidder.uscc
    assert bid.bidder_name == bidder.organization_name and bid.price is None
    assert bid.sha256 == bid_file.sha256 == hashlib.sha256(bid_file.data).hexdigest()
    assert bid.size == len(bid_file.data) and bid.submitted_at == clock.now()
    assert bid.receipt_no.startswith("TB2026") and bid.version == 1
    assert bid.key_check == sealing.key_check(bid_file.key)
    stored = Path(settings.DATA_DIR) / bid.sealed_path
    assert stored.read_bytes() == bid_file.data  # exactly what the bidder sealed: the opening decrypts it
    sheet, _name, body = sealing.open_bid(bid_file.key, stored.open("rb"))
    assert sheet["price"] == "4567891.23" and body.read() == bid_file.plain
    entry = AuditEntry.objects.get(action="trading.bid.submit", object_id=str(bid.pk))
    assert bid.sha256 in entry.summary and "4567891" not in entry.summary
    receipt = bids.receipt(bid)
    assert receipt["receipt_no"] == bid.receipt_no and receipt["sha256"] == bid.sha256
    assert "第二十八条" in receipt["source"]
    assert not list((Path(settings.DATA_DIR) / "bids" / "incoming").iterdir())  # nothing left spooled


def test_a_file_that_is_not_sealed_is_refused_with_its_code(town):
    with pytest.raises(InvalidInput) as exc:
        submit(BidderFactory(), open_lot(), b"%PDF-1.7 plain text bid with price 4500000")
    assert exc.value.code == "trading.bid_not_sealed" and "第二十六条" in exc.value.details["source"]
    assert not Bid.objects.exists()


def test_a_bid_over_the_size_limit_is_refused(town, settings):
    settings.TRADING_BID_MAX_BYTES = 1000
    upload = bid_files.spool(io.BytesIO(sealed().data + b"\0" * 2000))
    assert upload.path is None  # the spool stopped writing at the limit
    with pytest.raises(InvalidInput) as exc:
        bids.do_submit(BidderFactory(), open_lot().pk, upload)
    assert exc.value.code == "trading.bid_too_large"


def test_a_missing_file_is_refused(town):
    with pytest.raises(InvalidInput) as exc:
        bids.do_submit(BidderFactory(), open_lot().pk, None)
    assert exc.value.code == "trading.bid_file_required"


def test_one_millisecond_before_the_deadline_is_accepted(town, monkeypatch):
    lot = open_lot()
    at(lot.bid_deadline - timedelta(milliseconds=1), monkeypatch)
    bid = submit(BidderFactory(), lot, sealed().data)
    assert bid.submitted_at == lot.bid_deadline - timedelta(milliseconds=1)


@pytest.mark.parametrize("after", [timedelta(milliseconds=1), timedelta(0)])
def test_at_or_one_millisecond_after_the_deadline_is_refused(town, monkeypatch, after):
    lot = open_lot()
    at(lot.bid_deadline + after, monkeypatch)
    with pytest.raises(Conflict) as exc:
        submit(BidderFactory(), lot, sealed().data)
    assert exc.value.code == "trading.bid_deadline_passed" and "第二十七条" in exc.value.details["source"]
    assert not Bid.objects.exists() and not list((Path(settings.DATA_DIR) / "bids" / str(lot.pk)).glob("*"))


def test_the_time_is_taken_after_the_upload_completed_not_before(town, monkeypatch):
    """The server time is read once, under the lock: an upload started before the deadline and
    completed after it is late."""
    lot = open_lot()
    upload = bid_files.spool(io.BytesIO(sealed().data))  # "started" while the clock is early
    at(lot.bid_deadline + timedelta(milliseconds=1), monkeypatch)
    with pytest.raises(Conflict), bid_files.cleanup(upload):
        bids.do_submit(BidderFactory(), lot.pk, upload)


@pytest.mark.parametrize("state", ["accepted", "opening", "failed"])
def test_a_lot_not_announced_refuses_bids(town, state):
    lot = open_lot()
    lot.status = state
    lot.save()
    with pytest.raises(Conflict) as exc:
        submit(BidderFactory(), lot, sealed().data)
    assert exc.value.code == "trading.bids_not_open"


def test_a_suspended_lot_refuses_bids(town):
    lot = open_lot(suspended=True, suspension_reason="招标文件异议处理中")
    with pytest.raises(Conflict) as exc:
        submit(BidderFactory(), lot, sealed().data)
    assert exc.value.code == "trading.lot_suspended" and "异议" in exc.value.message


def test_the_credit_gate_is_asked_and_a_barred_bidder_is_refused(town, monkeypatch):
    lot, bidder, asked = open_lot(regulator=town.zj), BidderFactory(), []

    def gate(uscc, *, stage, reference, department):
        asked.append((uscc, stage, reference, department))
        raise Forbidden("trading.credit_barred", "投标人被列入失信联合惩戒对象名单")

    monkeypatch.setattr(credit_gate, "check", gate)
    with pytest.raises(Forbidden) as exc:
        submit(bidder, lot, sealed().data)
    assert exc.value.code == "trading.credit_barred"
    assert asked == [(bidder.uscc, "bid", f"lot:{lot.pk}/bid", town.zj)]


def test_only_bidders_with_an_organisation_may_submit(town):
    lot = open_lot()
    with pytest.raises(Forbidden) as exc:
        submit(town.staff, lot, sealed().data)
    assert exc.value.code == "trading.forbidden"
    with pytest.raises(Forbidden) as exc:
        submit(BidderFactory(uscc=""), lot, sealed().data)
    assert exc.value.code == "trading.bidder_uscc_missing"


def test_an_unknown_lot_is_not_found(town):
    with pytest.raises(NotFound):
        submit(BidderFactory(), type("L", (), {"pk": 999_999})(), sealed().data)


def test_a_second_submission_must_name_the_bid_it_replaces(town):
    bidder, lot = BidderFactory(), open_lot()
    first = submit(bidder, lot, sealed().data)
    with pytest.raises(Conflict) as exc:
        submit(bidder, lot, sealed().data)
    assert exc.value.code == "trading.bid_exists" and exc.value.details["bid_id"] == first.pk


def test_a_replacement_supersedes_the_previous_bid_which_is_kept_and_audited(town):
    bidder, lot = BidderFactory(), open_lot()
    first = submit(bidder, lot, sealed().data)
    second = submit(bidder, lot, sealed({"price": "4000000"}).data, replaces=first.pk)
    first.refresh_from_db()
    assert first.status == rules.BID_REPLACED and second.replaces == first and second.version == 2
    assert Path(settings.DATA_DIR, first.sealed_path).exists()  # kept
    assert list(Bid.objects.filter(lot=lot).exclude(status__in=bids.GONE)) == [second]
    assert AuditEntry.objects.filter(action="trading.bid.replace", object_id=str(first.pk)).exists()
    with pytest.raises(Conflict) as exc:  # replacing the superseded one again: no lost update
        submit(bidder, lot, sealed().data, replaces=first.pk)
    assert exc.value.code == "trading.bid_replaced" and exc.value.details["current"] == second.pk


def test_withdrawal_marks_the_bid_fires_the_bond_hook_and_allows_a_new_bid(town):
    bidder, lot, fired = BidderFactory(), open_lot(), []
    bid = submit(bidder, lot, sealed().data)
    handler = hooks.BID_WITHDRAWN.register(lambda **kw: fired.append(kw))
    try:
        withdrawn = bids.do_withdraw(bidder, bid.pk, bid.row_version)
    finally:
        hooks.BID_WITHDRAWN.unregister(handler)
    assert withdrawn.status == rules.BID_WITHDRAWN and withdrawn.withdrawn_at == clock.now()
    assert fired == [{"lot": lot, "uscc": bidder.uscc}] or (fired[0]["lot"].pk, fired[0]["uscc"]) == (lot.pk, bidder.uscc)
    assert AuditEntry.objects.filter(action="trading.bid.withdraw", object_id=str(bid.pk)).exists()
    again = submit(bidder, lot, sealed().data)
    assert again.version == 2 and again.replaces is None


def test_withdrawal_refusals(town, monkeypatch):
    bidder, lot = BidderFactory(), open_lot()
    bid = submit(bidder, lot, sealed().data)
    with pytest.raises(NotFound):
        bids.do_withdraw(BidderFactory(), bid.pk, None)  # another bidder's bid
    with pytest.raises(Conflict) as exc:
        bids.do_withdraw(bidder, bid.pk, bid.row_version + 5)
    assert exc.value.code == "trading.bid_conflict"
    at(lot.bid_deadline, monkeypatch)
    with pytest.raises(Conflict) as exc:
        bids.do_withdraw(bidder, bid.pk, bid.row_version)
    assert exc.value.code == "trading.bid_deadline_passed" and "第二十九条" in exc.value.details["source"]
    monkeypatch.undo()
    at(lot.bid_deadline - timedelta(days=1), monkeypatch)
    bids.do_withdraw(bidder, bid.pk, None)
    with pytest.raises(Conflict) as exc:
        bids.do_withdraw(bidder, bid.pk, None)
    assert exc.value.code == "trading.bid_not_live"


def test_one_live_bid_per_bidder_and_lot_is_a_database_constraint(town):
    from django.db import IntegrityError, transaction

    bidder, lot = BidderFactory(), open_lot()
    bid = submit(bidder, lot, sealed().data)
    with pytest.raises(IntegrityError), transaction.atomic():
        Bid.objects.create(lot=lot, bidder=bidder, bidder_uscc=bid.bidder_uscc, bidder_name="x",
                           submitted_at=clock.now(), created_at=clock.now())


def test_the_sweep_removes_old_files_no_bid_points_at_and_keeps_the_rest(town):
    import os
    import time

    bid = submit(BidderFactory(), open_lot(), sealed().data)
    root = Path(settings.DATA_DIR) / "bids"
    orphan, spooled = root / str(bid.lot_id) / "deadbeef", root / "incoming" / ".x.part"
    for path in (orphan, spooled):
        path.write_bytes(b"x")
    fresh = root / str(bid.lot_id) / "fresh"
    fresh.write_bytes(b"x")
    old = time.time() - 7 * 3600
    for path in (orphan, spooled, Path(settings.DATA_DIR) / bid.sealed_path):
        os.utime(path, (old, old))
    assert bid_files.sweep_orphans() == {"checked": 3, "removed": 2}
    assert not orphan.exists() and not spooled.exists() and fresh.exists()
    assert (Path(settings.DATA_DIR) / bid.sealed_path).exists()
