"""Server-side SVG charts (the Content-Security-Policy forbids inline scripts, and
the same SVG goes into the PDF). Only presentation attributes are used, never
style attributes, so `style-src 'self'` holds."""
from __future__ import annotations

import unicodedata
from decimal import Decimal
from xml.sax.saxutils import escape

PALETTE = ("#1f6f8b", "#e07a1f", "#3a9d5d", "#c0392b", "#7d5ba6", "#8c6d46", "#d17fb5", "#7f7f7f")
WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 64
FONT_SIZE = 11
LEGEND_LINE = 16  # the height of one more row of legend


def _number(value) -> float | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, (int, float, Decimal)):
        return float(value)
    return None


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10.0 * magnitude


def render_svg(*, title: str, categories: list[str], series: list[tuple[str, list]], kind: str = "bar") -> str:
    """A grouped bar chart or a line chart. Suppressed or missing values ("--", None) draw nothing."""
    values = [v for _, data in series for v in map(_number, data) if v is not None]
    top = _nice_max(max(values, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = max(len(categories), 1)
    slot = plot_w / n
    legend = legend_layout([str(name) for name, _ in series])
    height = HEIGHT + LEGEND_LINE * (max(len(legend), 1) - 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
             f'width="{WIDTH}" height="{height}" font-family="DejaVu Sans, sans-serif" font-size="{FONT_SIZE}">',
             f"<title>{escape(title)}</title>"]
    for i in range(5):
        y = TOP + plot_h - plot_h * i / 4
        label = top * i / 4
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#dddddd"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{label:g}</text>')

    def y_of(value: float) -> float:
        return TOP + plot_h - plot_h * value / top

    label_every = max(1, n // 16)
    for i, category in enumerate(categories):
        if i % label_every == 0:
            x = LEFT + slot * (i + 0.5)
            parts.append(f'<text x="{x:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">{escape(str(category))}</text>')
    if kind == "line":
        for index, (name, data) in enumerate(series):
            colour = PALETTE[index % len(PALETTE)]
            points = [(LEFT + slot * (i + 0.5), y_of(v)) for i, v in enumerate(map(_number, data)) if v is not None]
            if points:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
                parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
                parts.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>' for x, y in points)
    else:
        group_w = slot * 0.8
        bar_w = group_w / max(len(series), 1)
        for index, (name, data) in enumerate(series):
            colour = PALETTE[index % len(PALETTE)]
            for i, value in enumerate(map(_number, data)):
                if value is None:
                    continue
                x = LEFT + slot * i + slot * 0.1 + bar_w * index
                y = y_of(value)
                parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(bar_w - 1, 1):.1f}" '
                             f'height="{TOP + plot_h - y:.1f}" fill="{colour}"><title>{escape(str(name))} '
                             f'{escape(str(categories[i]))}: {value:g}</title></rect>')
    parts.append(f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" stroke="#333333"/>')
    index = 0
    for row, entries in enumerate(legend):
        y = HEIGHT - 22 + LEGEND_LINE * row
        for name, x in entries:
            colour = PALETTE[index % len(PALETTE)]
            parts.append(f'<rect x="{x:.0f}" y="{y}" width="10" height="10" fill="{colour}"/>')
            parts.append(f'<text x="{x + 14:.0f}" y="{y + 9}">{escape(name)}</text>')
            index += 1
    parts.append("</svg>")
    return "".join(parts)


def text_width(text: str) -> float:
    """About how wide `text` draws in the chart's font: Hangul and other wide characters take a whole em, which
    is why a legend measured by its number of characters ran its Korean labels into each other."""
    return sum(FONT_SIZE if unicodedata.east_asian_width(ch) in "WF" else 7 for ch in text)


def legend_layout(names: list[str]) -> list[list[tuple[str, float]]]:
    """The legend's rows of (name, x): a swatch, its label and a gap each, wrapped where the chart ends."""
    rows: list[list[tuple[str, float]]] = [[]]
    x = LEFT
    for name in names:
        width = 14 + text_width(name)
        if rows[-1] and x + width > WIDTH - RIGHT:
            rows.append([])
            x = LEFT
        rows[-1].append((name, x))
        x += width + 18
    return rows


def table_chart(table) -> str:
    """The chart of a registry Table, following its figure's ChartSpec."""
    spec = table.figure.chart
    by_key = {c.key: c for c in table.columns}
    x_keys = [spec.x] + (["country"] if "country" in by_key and spec.x != "country" else [])
    categories = [" ".join(str(row.get(k) or "") for k in x_keys).strip() for row in table.rows]
    series = [(str(by_key[key].label), [row.get(key) for row in table.rows]) for key in spec.series if key in by_key]
    return render_svg(title=str(table.figure.title), categories=categories, series=series, kind=spec.kind)
