"""Before the opening nobody can read a bid (电子招标投标办法第二十八条): every text and binary column of every
table, every file under DATA_DIR, and every page or API the centre staff or an administrator can open hold
neither the price nor any plaintext of the bid — nor the key, which never reaches the server."""

import base64
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from tests.factories import UserFactory
from tests.trading.factories_bids import SECRET_TEXT, BidderFactory, bid_data_dir, open_lot, sealed  # noqa: F401
from yingshang.trading.models import Bid

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bid_data_dir")]

PRICES = ("4817263.59", "3926154.07", "5102938.44")


def _needles(price: str, bid_file) -> list[bytes]:
    whole, cents = price.split(".")
    return [price.encode(), whole.encode(), f"{int(whole):,}".encode(), SECRET_TEXT.encode(),
            SECRET_TEXT.encode("utf-16-le"), "欧阳工".encode(), bid_file.key, base64.b64encode(bid_file.key),
            bid_file.plain[:64]]


def _every_value_in_the_database():
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview):
                        value = value.tobytes()
                    if isinstance(value, str):
                        value = value.encode()
                    if isinstance(value, bytes):
                        yield table, value


def _every_file():
    for path in Path(settings.DATA_DIR).rglob("*"):
        if path.is_file():
            yield path, path.read_bytes()


def test_no_table_no_file_and_no_staff_or_admin_view_holds_a_price_or_plaintext(client, town):
    lot = open_lot()
    files = []
    for price in PRICES:
        bid_file = sealed({"price": price, "duration": 300, "quality": "合格", "manager": "欧阳工"})
        files.append((price, bid_file))
        client.force_login(BidderFactory())
        response = client.post(f"/api/v1/trading/lots/{lot.pk}/bids",
                               {"sealed": SimpleUploadedFile("bid.ysbid", bid_file.data)})
        assert response.status_code == 201
    assert Bid.objects.filter(price__isnull=True).count() == 3

    needles = [n for price, bid_file in files for n in _needles(price, bid_file)]
    rows = list(_every_value_in_the_database())
    assert len({table for table, _ in rows}) > 10 and any(t == "trading_bid" for t, _ in rows)  # really read them
    for table, value in rows:
        for needle in needles:
            assert needle not in value, f"{needle!r} found in table {table}"
    stored = list(_every_file())
    assert len([p for p, _ in stored if "bids" in p.parts]) == 3
    for path, data in stored:
        for needle in needles:
            assert needle not in data, f"{needle!r} found in {path}"

    staff, admin = town.staff, UserFactory(admin=True)
    bid = Bid.objects.first()
    views = [(staff, f"/api/v1/trading/lots/{lot.pk}/bids"), (staff, f"/trading/bids/lot/{lot.pk}/received/"),
             (staff, f"/trading/lots/{lot.pk}/"), (admin, "/admin/trading/bid/"),
             (admin, f"/admin/trading/bid/{bid.pk}/change/"), (admin, f"/api/v1/trading/lots/{lot.pk}/bids")]
    for user, url in views:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        for needle in needles:
            assert needle not in response.content, f"{needle!r} shown at {url}"
    client.force_login(staff)
    assert client.get(f"/api/v1/trading/bids/{bid.pk}/receipt").status_code in (403, 404)  # the bidder's own only
