"""The receipt (回执) of a sealed bid as a PDF, rendered on demand from the bid row (it holds no content)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from yingshang.kernel.services import pdf
from yingshang.trading import rules_bids


def receipt_pdf(bid) -> bytes:
    at = timezone.localtime(bid.submitted_at)
    url = f"{settings.SITE_URL}{reverse('trading:bid-receipt', kwargs={'pk': bid.pk})}"
    return pdf.render_notice(pdf.Notice(
        title="投标文件递交回执", number=bid.receipt_no, verification_code=bid.receipt_no, verification_url=url,
        issuer_name="公共资源交易平台", issued_on=at.date(), salutation=f"{bid.bidder_name}：",
        paragraphs=[f"平台已于 {at:%Y-%m-%d %H:%M:%S}.{at.microsecond // 1000:03d} 收到贵单位递交的加密投标文件"
                    f"（{rules_bids.RECEIPT_SOURCE}）。平台只保存密文，开标时请使用贵单位保存的密钥解密。"],
        fields=[("标段", str(bid.lot)), ("投标人", bid.bidder_name), ("统一社会信用代码", bid.bidder_uscc),
                ("递交次序", f"第 {bid.version} 次"), ("密文 SHA-256", bid.sha256), ("密文大小", f"{bid.size} 字节"),
                ("密钥校验值", bid.key_check), ("状态", bid.status_label)],
    ))
