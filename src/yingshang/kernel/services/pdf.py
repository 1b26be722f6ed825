"""Rendering of issued documents as A4 PDF, and QR codes for pages and PDFs.

Chinese text uses reportlab's built-in CID font STSong-Light (Adobe-GB1): the reader supplies the
glyphs, so no font file is shipped or embedded and rendering works offline. Line breaking follows
CJK rules (`wordWrap="CJK"`). Everything given is plain text: it is escaped before it reaches
reportlab's paragraph markup, so no input can change the layout or inject markup.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from xml.sax.saxutils import escape

import segno
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
CREATOR = "营商平台"
QR_SIZE = 28 * mm
_MARGIN_X, _MARGIN_TOP, _MARGIN_BOTTOM = 26 * mm, 28 * mm, 30 * mm


@dataclass(frozen=True)
class Section:
    """A headed part of the body, e.g. ("一、申请事项", ["……", "……"])."""

    heading: str
    paragraphs: Sequence[str] = ()


@dataclass(frozen=True)
class Notice:
    """What a notice shows. All strings are plain text."""

    title: str
    number: str
    verification_code: str  # as printed (grouped for reading)
    verification_url: str
    issuer_name: str = ""
    issued_on: date | None = None
    salutation: str = ""  # "张三：", printed flush left above the body
    paragraphs: Sequence[str] = ()
    sections: Sequence[Section] = ()
    fields: Sequence[tuple[str, str]] = ()


@cache
def _register_font() -> None:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))


@cache
def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=12, leading=21, wordWrap="CJK", textColor=colors.black)
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=21, leading=30, alignment=TA_CENTER, spaceAfter=4 * mm),
        "number": ParagraphStyle("number", parent=base, fontSize=11.5, alignment=TA_CENTER, spaceAfter=8 * mm),
        # Chinese official style: each paragraph starts two characters in.
        "body": ParagraphStyle("body", parent=base, firstLineIndent=24, spaceAfter=2 * mm, alignment=TA_LEFT),
        "salutation": ParagraphStyle("salutation", parent=base, spaceAfter=1 * mm),
        "heading": ParagraphStyle("heading", parent=base, fontSize=13, leading=22, spaceBefore=3 * mm, spaceAfter=1.5 * mm),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10.5, leading=16),
        "key": ParagraphStyle("key", parent=base, fontSize=10.5, leading=16, textColor=colors.HexColor("#333333")),
        "sign": ParagraphStyle("sign", parent=base, alignment=TA_RIGHT, leading=22),
        "caption": ParagraphStyle("caption", parent=base, fontSize=8, leading=11, alignment=TA_CENTER),
    }


def _p(text: str, style: str) -> Paragraph:
    # Escape reportlab's mini-markup; keep explicit line breaks inside one paragraph.
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), _styles()[style])


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def qr_png(url: str, *, scale: int = 10, border: int = 2) -> bytes:
    """A QR code (error correction M) as PNG bytes; scale 10 prints sharply at about 3 cm."""
    buf = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buf, kind="png", scale=scale, border=border)
    return buf.getvalue()


def qr_svg(url: str, *, scale: int = 4, border: int = 2) -> str:
    """A QR code as an inline <svg> element for pages (no XML declaration, no external assets)."""
    return segno.make(url, error="m", micro=False).svg_inline(scale=scale, border=border, dark="#000", light="#fff")


def _fields_table(fields: Sequence[tuple[str, str]], width: float) -> Table:
    rows = [[_p(k, "key"), _p(v, "cell")] for k, v in fields]
    table = Table(rows, colWidths=[38 * mm, width - 38 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#555555")),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#F2F2F2")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return table


def _signature_block(notice: Notice, width: float) -> KeepTogether:
    qr = Image(io.BytesIO(qr_png(notice.verification_url)), width=QR_SIZE, height=QR_SIZE)
    qr_cell = [qr, _p("扫码核验真伪", "caption")]
    lines = [_p(notice.issuer_name, "sign")] if notice.issuer_name else []
    if notice.issued_on:
        lines.append(_p(chinese_date(notice.issued_on), "sign"))
    table = Table([[qr_cell, lines]], colWidths=[QR_SIZE + 6 * mm, width - QR_SIZE - 6 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (0, 0), "BOTTOM"),
        ("VALIGN", (1, 0), (1, 0), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return KeepTogether([Spacer(1, 10 * mm), table])


def _footer(notice: Notice):
    def draw(canvas, doc) -> None:
        canvas.saveState()
        width, _height = A4
        y = _MARGIN_BOTTOM - 12 * mm
        canvas.setStrokeColor(colors.HexColor("#888888"))
        canvas.setLineWidth(0.5)
        canvas.line(_MARGIN_X, y + 9 * mm, width - _MARGIN_X, y + 9 * mm)
        canvas.setFont(FONT, 8.5)
        canvas.drawString(_MARGIN_X, y + 4.5 * mm, f"核验码：{notice.verification_code}")
        canvas.drawRightString(width - _MARGIN_X, y + 4.5 * mm, f"第 {doc.page} 页")
        canvas.setFont(FONT, 7.5)
        canvas.drawString(_MARGIN_X, y, f"核验网址：{notice.verification_url}")
        canvas.restoreState()

    return draw


def render_notice(notice: Notice) -> bytes:
    """Lay out the notice on A4 pages and return the PDF bytes."""
    _register_font()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=_MARGIN_X, rightMargin=_MARGIN_X, topMargin=_MARGIN_TOP,
        bottomMargin=_MARGIN_BOTTOM, title=notice.title, author=notice.issuer_name or CREATOR,
        subject=notice.number, creator=CREATOR, producer=CREATOR,
    )
    story: list = [_p(notice.title, "title")]
    story.append(_p(notice.number, "number") if notice.number else Spacer(1, 6 * mm))
    if notice.salutation:
        story.append(_p(notice.salutation, "salutation"))
    story.extend(_p(text, "body") for text in notice.paragraphs)
    for section in notice.sections:
        story.append(_p(section.heading, "heading"))
        story.extend(_p(text, "body") for text in section.paragraphs)
    if notice.fields:
        story += [Spacer(1, 3 * mm), _fields_table(notice.fields, doc.width)]
    story.append(_signature_block(notice, doc.width))
    footer = _footer(notice)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()
