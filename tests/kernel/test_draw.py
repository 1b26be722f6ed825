"""The verifiable draw: committed before, recomputable after, uniform enough, without replacement."""

from collections import Counter
from decimal import Decimal

import pytest

from yingshang.kernel.rules import draw


def test_the_commitment_published_before_the_draw_verifies_the_revealed_seed():
    seed = draw.new_seed()
    published = draw.commitment(seed)
    assert len(seed) == 64 and len(published) == 64
    assert draw.verify(seed, published) and not draw.verify(draw.new_seed(), published)


def test_anyone_can_recompute_the_draw_from_the_seed_and_the_pool():
    pool = list(range(1, 50_001))
    first = draw.sample("ab" * 32, pool, 9, context="lot:12/experts")
    assert first == draw.sample("ab" * 32, pool, 9, context="lot:12/experts")
    assert len(set(first)) == 9
    assert draw.sample("ab" * 32, pool, 9, context="lot:13/experts") != first  # the context separates draws


def test_substitutes_are_the_next_ones_drawn():
    pool = list(range(100))
    assert draw.sample("cd" * 32, pool, 12)[:9] == draw.sample("cd" * 32, pool, 9)


def test_every_item_is_drawn_about_equally_often():
    counts = Counter(draw.choice(f"{i:064x}", ["甲", "乙", "丙"]) for i in range(3000))
    assert all(900 < n < 1100 for n in counts.values())


def test_a_value_in_a_range_stays_on_the_steps():
    values = {draw.value_in_range(f"{i:064x}", Decimal("3.00"), Decimal("6.00"), Decimal("0.50")) for i in range(200)}
    assert values == {Decimal("3.00") + Decimal("0.50") * k for k in range(7)}


def test_bad_ranges_are_refused():
    with pytest.raises(ValueError):
        draw.value_in_range("00" * 32, Decimal("6"), Decimal("3"), Decimal("1"))
    with pytest.raises(ValueError):
        draw.choice("00" * 32, [])
