"""Expert database and the expert draw (专家库、专家抽取, issue 12 §6): pure rules, each with its source.

Sources: 《招标投标法》 Art. 37 (committee, experts from the expert database), 《招标投标法实施条例》 Art. 46
(experts drawn at random; interested persons recuse; a replacement is drawn the same way), 《评标委员会和评标方法暂行
规定》 (七部委令第12号) Art. 12 (who may not be an expert of a lot), 《评标专家和评标专家库管理暂行办法》
(国家发展计划委员会令第29号) Art. 15 (sanctions), 《评标专家专业分类标准（试行）》 (发改法规〔2010〕1538号) for the
classification. No I/O: the services pass the data in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from yingshang.kernel.rules import draw

TBL, REG = "《招标投标法》", "《招标投标法实施条例》"
ORDER12 = "《评标委员会和评标方法暂行规定》（七部委令第12号）"
ORDER29 = "《评标专家和评标专家库管理暂行办法》（国家发展计划委员会令第29号）"

# --- Expert status ----------------------------------------------------------------------------------------
ACTIVE, PAUSED, REMOVED = "active", "paused", "removed"
EXPERT_STATUSES = {ACTIVE: "在库", PAUSED: "暂停", REMOVED: "出库"}
PENDING, VERIFIED, FLAGGED = "pending", "verified", "flagged"
VERIFICATION_STATES = {PENDING: "待核验", VERIFIED: "核验通过", FLAGGED: "核验不符"}

# --- Sanctions (seed 002: 暂停 6 个月、12 个月评审资格; 取消资格) -----------------------------------------------
SUSPEND_6, SUSPEND_12, REMOVE = "suspend_6", "suspend_12", "remove"
SANCTION_KINDS = {SUSPEND_6: "暂停评审资格6个月", SUSPEND_12: "暂停评审资格12个月", REMOVE: "取消评审资格（出库）"}
SANCTION_MONTHS = {SUSPEND_6: 6, SUSPEND_12: 12}
SANCTION_SOURCE = f"{REG}第七十一条；{ORDER29}第十五条"


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it has no such day (8-31 + 6 → 2-28/29)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError("unreachable")


def sanction_end(kind: str, starts_on: date) -> date | None:
    """The last day a suspension bars the expert (民法典 Art. 201–203: a period of months ends on the
    corresponding day, exclusive); None for removal, which has no end."""
    months = SANCTION_MONTHS.get(kind)
    return None if months is None else add_months(starts_on, months) - timedelta(days=1)


def drawable(status: str, verification: str, suspended_until: date | None, today: date) -> bool:
    """Whether an expert may be drawn today: in the database, verified, no suspension in force."""
    return status == ACTIVE and verification == VERIFIED and (suspended_until is None or suspended_until < today)


# --- Avoidance (回避) ---------------------------------------------------------------------------------------
RECENT_YEARS = 3  # 近三年内曾在投标人、招标人或代理机构任职 — the usual local rule; verify locally
AVOIDANCE_SOURCE = f"{REG}第四十六条；{ORDER12}第十二条"
EMPLOYMENT, DECLARED, CONFLICT = "employment", "declared", "conflict"
RELATION_KINDS = {EMPLOYMENT: "曾任职单位", DECLARED: "申报的利害关系单位", CONFLICT: "申报的回避单位"}


def recent_cutoff(today: date) -> date:
    """A relation that ended on or after this day is recent and still calls for avoidance."""
    try:
        return today.replace(year=today.year - RECENT_YEARS)
    except ValueError:  # 2-29
        return today.replace(year=today.year - RECENT_YEARS, day=28)


# --- Invitations --------------------------------------------------------------------------------------------
REPLY_MINUTES = 30  # minutes an invited expert has to reply before the next substitute is called (data)
MAIN, SUBSTITUTE = "main", "substitute"
SLOT_ROLES = {MAIN: "正选", SUBSTITUTE: "候补"}
WAITING, INVITED, CONFIRMED, DECLINED, TIMED_OUT = "waiting", "invited", "confirmed", "declined", "timed_out"
INVITATION_STATES = {WAITING: "候补待用", INVITED: "已通知待回复", CONFIRMED: "已确认参加", DECLINED: "已拒绝",
                     TIMED_OUT: "超时未回复"}
DRAW_PREPARED, DRAW_DRAWN, DRAW_COMPLETED = "prepared", "drawn", "completed"
DRAW_STATES = {DRAW_PREPARED: "已提交种子承诺", DRAW_DRAWN: "已抽取", DRAW_COMPLETED: "评标委员会已组成"}
MAX_PER_SPECIALTY, MAX_TOTAL = 20, 30


def reply_due(invited_at: datetime, minutes: int = REPLY_MINUTES) -> datetime:
    return invited_at + timedelta(minutes=minutes)


def sealed(lot_status: str, sealed_states: Sequence[str]) -> bool:
    """The drawn names stay sealed until the lot's evaluation starts (实施条例第四十六条第三款: 评标委员会成员的名单
    在中标结果确定前应当保密 — before evaluation only the draw officer and each expert know)."""
    return lot_status in sealed_states


# --- The draw ---------------------------------------------------------------------------------------------
def pool_text(ids: Sequence[int]) -> str:
    """The pool as published and stored: the ids in draw order, decimal, joined by commas."""
    return ",".join(map(str, ids))


def pool_ids(pool_or_text) -> list[int]:
    """The ids of a stored pool (its text) or a given list."""
    if isinstance(pool_or_text, str):
        return [int(i) for i in pool_or_text.split(",")] if pool_or_text else []
    return list(pool_or_text)


def pool_digest(ids) -> str:
    """SHA-256 of the pool text (published with the draw, so anyone can check the pool they recompute)."""
    text = ids if isinstance(ids, str) else pool_text(ids)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Pick:
    specialty: str
    expert_id: int
    rank: int  # 1-based order within the specialty (main first, then substitutes)
    role: str


def context(lot_id: int, round_seq: int, specialty: str) -> str:
    return f"trading/lot:{lot_id}/round:{round_seq}/{specialty}"


def run_draw(seed: str, lot_id: int, round_seq: int, pools: Sequence[dict]) -> list[Pick]:
    """Draw every requirement of a round, in the order given: `pools` are dicts with `specialty`, `ids` (the
    published pool, ascending id, as a list or its `pool_text`), `count` (main) and `substitutes`. An expert
    drawn for an earlier specialty is skipped in later ones: we draw enough extra (as many as the earlier
    picks in this pool) and drop them, so the result is still a pure function of the seed and the pools."""
    taken: set[int] = set()
    picks: list[Pick] = []
    for pool in pools:
        ids = pool_ids(pool["ids"])
        need = pool["count"] + pool["substitutes"]
        overlap = len(taken.intersection(ids))
        drawn = [i for i in draw.sample(seed, ids, need + overlap, context(lot_id, round_seq, pool["specialty"]))
                 if i not in taken][:need]
        for rank, expert_id in enumerate(drawn, 1):
            picks.append(Pick(pool["specialty"], expert_id, rank, MAIN if rank <= pool["count"] else SUBSTITUTE))
        taken.update(drawn)
    return picks


@dataclass(frozen=True)
class Verification:
    ok: bool
    problems: list[str]


def verify_round(seed: str, commitment: str, lot_id: int, round_seq: int, pools: Sequence[dict],
                 picks: Sequence[Pick]) -> Verification:
    """Recompute a revealed round: the seed matches its commitment, each pool its size and digest, and the draw
    gives the stored picks."""
    problems = []
    if not draw.verify(seed, commitment):
        problems.append("种子与事先公布的承诺值不符")
    for pool in pools:
        if len(pool_ids(pool["ids"])) != pool["size"] or pool_digest(pool["ids"]) != pool["digest"]:
            problems.append(f"专业 {pool['specialty']} 的候选池与公布的人数或摘要不符")
    if not problems and list(run_draw(seed, lot_id, round_seq, pools)) != list(picks):
        problems.append("按种子重新计算的抽取结果与记录不符")
    return Verification(not problems, problems)
