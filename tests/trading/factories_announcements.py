"""Shapes for the announcement tests: a bidder account, a PDF upload, a lot on sale today and announced."""

from __future__ import annotations

from datetime import date, datetime

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tests.factories import LotFactory, TenderProjectFactory, UserFactory, _uscc
from yingshang.kernel import access
from yingshang.trading.services import announcements

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DEADLINE = timezone.make_aware(datetime(2026, 5, 12, 9, 30))  # 22 days after 04-20


class BidderFactory(UserFactory):
    """A bidder account acting for its company (USCC and name)."""

    role_codes = (access.BIDDER,)
    uscc = factory.Sequence(lambda n: _uscc(n + 70_000))
    organization_name = factory.Sequence(lambda n: f"测试投标人{n}建设有限公司")


def pdf(name: str = "招标文件.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def on_sale_lot(tenderer, *, regulator=None, **fields):
    """An accepted lot of `tenderer`'s project whose sale starts today (2026-04-20) and ends 04-27."""
    project = TenderProjectFactory(tenderer_uscc=tenderer.uscc, **({"regulator": regulator} if regulator else {}))
    return LotFactory(accepted=True, project=project, sale_start=date(2026, 4, 20), sale_end=date(2026, 4, 27),
                      bid_deadline=DEADLINE, **fields)


def announced_lot(tenderer, **fields):
    lot = on_sale_lot(tenderer, **fields)
    with transaction.atomic():
        announcements.do_announce(tenderer, lot.pk, lot.row_version, title=f"{lot.project.name}招标公告",
                                  body="招标范围：施工总承包。", files=[pdf()])
    lot.refresh_from_db()
    return lot
