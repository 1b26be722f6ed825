"""Horizontal bar charts drawn as SVG on the server (no script, no CDN): geometry here, markup in
`supervision/_bar_chart.html`. Each chart has a title and a description for screen readers, and the
same figures are in the table beside it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

ROW_HEIGHT, BAR_HEIGHT, LABEL_WIDTH, PLOT_WIDTH, VALUE_WIDTH, TOP = 26, 16, 230, 360, 64, 8
MAX_BARS = 25
LABEL_CHARS = 15


@dataclass(frozen=True)
class Bar:
    label: str
    full_label: str
    text: str
    y: int
    width: float
    tone: str  # good | fair | poor, for colour and its legend


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str
    bars: list[Bar]
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    plot_width: int = PLOT_WIDTH
    bar_height: int = BAR_HEIGHT
    omitted: int = 0

    @property
    def value_x(self) -> int:
        return self.label_width + self.plot_width + 6


def _tone(value: float, good: float, fair: float) -> str:
    return "good" if value >= good else "fair" if value >= fair else "poor"


def rate_chart(key: str, title: str, rows, get: Callable[[object], float | None], *, good: float = 0.95,
               fair: float = 0.85) -> Chart:
    """Bars of a 0–1 rate per row, best first, at most MAX_BARS (the rest counted in `omitted`)."""
    data = sorted(((row.name or row.code, get(row)) for row in rows if get(row) is not None),
                  key=lambda pair: (-pair[1], pair[0]))
    shown, omitted = data[:MAX_BARS], max(len(data) - MAX_BARS, 0)
    bars = []
    for index, (name, value) in enumerate(shown):
        label = name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"
        bars.append(Bar(label, name, f"{value * 100:.1f}%", TOP + index * ROW_HEIGHT,
                        round(max(min(value, 1.0), 0.0) * PLOT_WIDTH, 1), _tone(value, good, fair)))
    if bars:
        best, worst = shown[0], shown[-1]
        description = (f"共 {len(data)} 项，从高到低排列。最高：{best[0]} {best[1] * 100:.1f}%；"
                       f"最低：{worst[0]} {worst[1] * 100:.1f}%。完整数据见下方表格。")
    else:
        description = "所选时段没有可计算的数据。"
    height = TOP * 2 + max(len(bars), 1) * ROW_HEIGHT
    return Chart(key, title, description, bars, LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH, height, omitted=omitted)
