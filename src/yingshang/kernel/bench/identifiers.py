"""Identifier validation: calls per second on a realistic mix, and against python-stdnum as a baseline.

The mix is USCCs, resident IDs (some 15-digit) and organization codes, half of them invalid (one
character changed, a bad date, a bad division), typed the way people type them (spaces, lower case,
full-width). The baselines run stdnum's validators on the same inputs; they check less (stdnum skips
the authority, category, division and embedded organization code checks), so a ratio below 1 is
the price of the full check, and the figure to watch is our own calls per second.
"""

from __future__ import annotations

import itertools
import random
from datetime import date

from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from yingshang.kernel.bench import Context, Result, benchmark, measure_each
from yingshang.kernel.rules import identifiers as ids

TODAY = date(2026, 11, 30)  # fixed, so that every run validates exactly the same inputs


def _spoil(rng: random.Random, code: str, alphabet: str) -> str:
    i = rng.randrange(len(code))
    return code[:i] + rng.choice(alphabet.replace(code[i], "")) + code[i + 1:]


def _typed(rng: random.Random, code: str) -> str:
    """How the code arrives from a form or a spreadsheet."""
    style = rng.randrange(4)
    if style == 1:
        return code.lower()
    if style == 2:
        return " ".join(code[i:i + 6] for i in range(0, len(code), 6))
    if style == 3:
        return code.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})  # full-width
    return code


def sample(rng: random.Random, n: int) -> dict[str, list[str]]:
    uscc, rid, org = [], [], []
    for k in range(n):
        invalid = k % 2 == 1
        code = ids.generate_uscc(rng)
        uscc.append(_typed(rng, _spoil(rng, code, ids.USCC_ALPHABET) if invalid else code))
        code = ids.generate_resident_id(rng)
        if invalid:
            code = _spoil(rng, code, "0123456789")
        elif k % 10 == 0 and code[6:8] == "19":
            code = code[:6] + code[8:17]  # legacy 15-digit form
        rid.append(_typed(rng, code))
        code = ids.generate_organization_code(rng)
        org.append(_typed(rng, _spoil(rng, code, "0123456789") if invalid else code))
    return {"uscc": uscc, "resident_id": rid, "organization_code": org}


def _cycle(values: list[str]):
    it = itertools.cycle(values)
    return it.__next__


@benchmark("ids.validate", order=20)
def bench_identifiers(ctx: Context) -> list[Result]:
    n = ctx.size(200_000, 5_000)
    codes = sample(random.Random(20260101), ctx.size(2_000, 300))
    mixed = [c for triple in zip(*codes.values(), strict=True) for c in triple]
    results = []

    nxt = _cycle(mixed)
    results.append(measure_each("标识符校验（统一代码/身份证/组织机构代码混合，半数无效）",
                                lambda: ids.validate(nxt(), today=TODAY), n))

    for label, baseline, theirs, values, note in (
        ("统一社会信用代码", "stdnum.cn.uscc.is_valid", stdnum_uscc.is_valid, codes["uscc"],
         "我方另查登记管理部门与机构类别、行政区划码、内嵌组织机构代码；stdnum 只查字符集与校验码"),
        ("公民身份号码", "stdnum.cn.ric.is_valid", stdnum_ric.is_valid, codes["resident_id"],
         "我方另做全角/分隔符规范化、15位旧号升位；stdnum 不接受15位号码"),
    ):
        nxt_ours, nxt_theirs = _cycle(values), _cycle(values)
        base = measure_each(f"python-stdnum 校验{label}", lambda f=theirs, g=nxt_theirs: f(g()), n)
        own = measure_each(f"标识符校验（{label}）", lambda g=nxt_ours: ids.validate(g(), today=TODAY), n)
        own.baseline = f"python-stdnum {baseline}"
        own.ratio = own.per_second / base.per_second if own.per_second and base.per_second else None
        own.note = note
        own.extra = {"baseline_per_second": base.per_second, "baseline_median_ms": base.median_ms}
        results.append(own)
    return results
