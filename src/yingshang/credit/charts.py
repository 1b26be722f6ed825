"""Charts of the credit dashboard and quality pages, drawn as SVG on the server (no script, no CDN), the
approach of `supervision/charts.py`: geometry here, markup in `credit/dashboard_bars.html` and
`credit/dashboard_columns.html`. Each chart has a title and a description for screen readers, and the
same figures are in a table beside it."""

from __future__ import annotations

from dataclasses import dataclass

ROW_HEIGHT, BAR_HEIGHT, LABEL_WIDTH, PLOT_WIDTH, VALUE_WIDTH, TOP = 26, 16, 230, 360, 72, 8
MAX_BARS = 25
LABEL_CHARS = 15
COLUMN_PLOT_HEIGHT, COLUMN_WIDTH, COLUMN_GAP, AXIS = 160, 28, 14, 34


@dataclass(frozen=True)
class Bar:
    label: str
    full_label: str
    text: str
    y: int
    width: float
    tone: str  # good | fair | poor | neutral


@dataclass(frozen=True)
class BarChart:
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
    legend: bool = False

    @property
    def value_x(self) -> int:
        return self.label_width + self.plot_width + 6


@dataclass(frozen=True)
class Column:
    label: str
    text: str
    x: int
    y: float
    height: float


@dataclass(frozen=True)
class ColumnChart:
    key: str
    title: str
    description: str
    columns: list[Column]
    width: int
    height: int
    base_y: int
    column_width: int = COLUMN_WIDTH


def _short(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


def bar_chart(key: str, title: str, pairs: list[tuple[str, float]], *, percent: bool = False,
              good: float | None = None, fair: float | None = None, unit: str = "") -> BarChart:
    """Horizontal bars, largest first, at most MAX_BARS. `percent`: values are 0–1 rates (coloured by
    the good/fair bounds); otherwise counts scaled to the largest."""
    data = sorted(((n, v) for n, v in pairs if v is not None), key=lambda p: (-p[1], p[0]))
    shown, omitted = data[:MAX_BARS], max(len(data) - MAX_BARS, 0)
    top = 1.0 if percent else max((v for _n, v in shown), default=0) or 1
    bars = []
    for i, (name, value) in enumerate(shown):
        text = f"{value * 100:.1f}%" if percent else (f"{value:g}{unit}")
        tone = "neutral"
        if percent and good is not None:
            tone = "good" if value >= good else "fair" if fair is not None and value >= fair else "poor"
        bars.append(Bar(_short(name), name, text, TOP + i * ROW_HEIGHT,
                        round(max(min(value / top, 1.0), 0.0) * PLOT_WIDTH, 1), tone))
    if bars:
        description = (f"共 {len(data)} 项，从高到低排列。最高：{shown[0][0]} {bars[0].text}；"
                       f"最低：{shown[-1][0]} {bars[-1].text}。完整数据见下方表格。")
    else:
        description = "没有可显示的数据。"
    height = TOP * 2 + max(len(bars), 1) * ROW_HEIGHT
    return BarChart(key, title, description, bars, LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH, height, omitted=omitted,
                    legend=percent and good is not None)


def column_chart(key: str, title: str, pairs: list[tuple[str, int]]) -> ColumnChart:
    """Vertical columns in the given order (months), scaled to the largest."""
    top = max((v for _l, v in pairs), default=0) or 1
    columns = []
    for i, (label, value) in enumerate(pairs):
        h = round(value / top * COLUMN_PLOT_HEIGHT, 1)
        x = AXIS + i * (COLUMN_WIDTH + COLUMN_GAP)
        columns.append(Column(label, f"{value}", x, TOP + 16 + COLUMN_PLOT_HEIGHT - h, h))
    base_y = TOP + 16 + COLUMN_PLOT_HEIGHT
    total = sum(v for _l, v in pairs)
    description = (f"共 {len(pairs)} 个月，合计 {total}；最多：" + max(pairs, key=lambda p: p[1])[0]
                   + "。完整数据见下方表格。") if pairs else "没有可显示的数据。"
    width = AXIS * 2 + max(len(pairs), 1) * (COLUMN_WIDTH + COLUMN_GAP)
    return ColumnChart(key, title, description, columns, width, base_y + 24, base_y)
