"""Announcements, tender documents, downloads, clarifications and objections (issue 12 §2): pure rules.

The period rules themselves (sale, documents → deadline, clarification, objection) are in `rules.py`;
this module holds what publication adds: the announcement kinds, the moment documents count as
issued, the download window, the lot's next timed check while announced, and the public-text screen.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from yingshang.kernel.rules.identifiers import resident_id_check_character
from yingshang.trading.rules import REG, TBL, Breach

# --- Announcement kinds ---------------------------------------------------------------------------
TENDER, PREQUALIFICATION, CLARIFICATION, OBJECTION_ANSWER, TERMINATION = (
    "tender", "prequalification", "clarification", "objection_answer", "termination")
CANDIDATES, RESULT = "candidates", "result"  # published by the award work (REG Art. 54; TBL Art. 45)
KINDS = {TENDER: "招标公告", PREQUALIFICATION: "资格预审公告", CLARIFICATION: "澄清/修改公告",
         OBJECTION_ANSWER: "异议答复", TERMINATION: "终止公告", CANDIDATES: "中标候选人公示", RESULT: "中标结果公告"}
KIND_SOURCES = {
    TENDER: f"{TBL}第十六条；{REG}第十五条",
    PREQUALIFICATION: f"{REG}第十五条",
    CLARIFICATION: f"{TBL}第二十三条；{REG}第二十一条",
    OBJECTION_ANSWER: f"{REG}第二十二条",
    TERMINATION: f"{REG}第三十一条",
    CANDIDATES: f"{REG}第五十四条",
    RESULT: f"{TBL}第四十五条",
}


def opening_kind(prequalification: bool) -> str:
    """A lot under 资格预审 opens with the prequalification notice, otherwise with the tender notice (REG Art. 15)."""
    return PREQUALIFICATION if prequalification else TENDER


# --- Issue and the download window ----------------------------------------------------------------
def issue_day(planned_sale_start: date, today: date) -> date:
    """The day the documents are first issued: the planned sale start, or today when publication comes
    later — the 20-day period of TBL Art. 24 runs from the documents' actual issue, not from the plan."""
    return max(planned_sale_start, today)


def check_download(today: date, sale_start: date, sale_end: date, *, downloaded_before: bool) -> Breach | None:
    """Documents are issued during the sale period (REG Art. 16), free of charge (seed 004). An
    organisation that obtained them in time may fetch its copy again until the deadline."""
    if today < sale_start:
        return Breach("trading.sale_not_started", f"招标文件自 {sale_start:%Y-%m-%d} 起提供下载", f"{REG}第十六条", "sale_start")
    if today > sale_end and not downloaded_before:
        return Breach("trading.sale_ended", f"招标文件的获取时间已于 {sale_end:%Y-%m-%d} 截止", f"{REG}第十六条", "sale_end")
    return None


def check_before_deadline(now: datetime, deadline: datetime, what: str) -> Breach | None:
    """Clarifications and amendments are issued before the deadline (TBL Art. 23); after it they cannot
    reach bids already sealed."""
    if now < deadline:
        return None
    return Breach("trading.after_deadline", f"投标截止时间已过，不能再{what}", f"{TBL}第二十三条", "bid_deadline")


# --- The announced lot's timed check --------------------------------------------------------------
def is_overdue(answer_due: date, today: date) -> bool:
    """An objection still unanswered after its due day (REG Art. 22: within 3 days of receipt)."""
    return today > answer_due


# --- Public text ----------------------------------------------------------------------------------
_ID18 = re.compile(r"(?<![0-9A-Za-z])(\d{17})([\dXx])(?![0-9A-Za-z])")


def personal_ids_in(text: str) -> list[str]:
    """18-digit resident ID numbers (GB 11643, check character verified) in a public text. Announcements are
    public (《政府信息公开条例》第十五条: personal privacy is not disclosed), so they must hold none."""
    return [m.group(0) for m in _ID18.finditer(text or "")
            if resident_id_check_character(m.group(1)) == m.group(2).upper()]
