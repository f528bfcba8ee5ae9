"""Charts drawn on the server as SVG text: pure Python, no Django, no JavaScript, no CDN.

A chart is a string of SVG that a page embeds inline, so it works offline, prints, and is
read by a screen reader: ``role="img"`` with ``aria-labelledby`` pointing at its own
``<title>`` and ``<desc>``, every bar and point carries a ``<title>`` with its exact figure,
and every label is text (never a picture of text). Every label and figure is escaped: a
site or an agreement is named by people, and a name may hold ``<`` or ``&``.

Colours are presentation attributes (``fill=``, ``stroke=``), not inline ``style``, so the
Content-Security-Policy (``style-src 'self'``) has nothing to block. The page shows the same
figures as a table next to the chart (docs/adr/0024-dashboards-and-charts.md).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

# Colour-blind-safe (Okabe-Ito), distinguishable in grey as well.
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000")
REFERENCE_COLOUR = "#b00020"

WIDTH = 760
LABEL_WIDTH = 230
BAR_HEIGHT = 22
BAR_GAP = 8
TOP = 34
LEGEND_HEIGHT = 26


@dataclass(frozen=True)
class Segment:
    series: str
    value: float


@dataclass(frozen=True)
class Bar:
    """One bar: its label and its stacked segments; ``marker`` draws a limit across it
    (e.g. the quota: 50 a year)."""

    label: str
    segments: tuple[Segment, ...]
    marker: tuple[str, float] | None = None

    @property
    def total(self) -> float:
        return sum(s.value for s in self.segments)


@dataclass(frozen=True)
class Series:
    """One line: its name and a value per point of the x axis (``None``: no figure)."""

    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Reference:
    """A horizontal line across a line chart (a capacity)."""

    label: str
    value: float


@dataclass(frozen=True)
class ChartText:
    """What the chart is, for its ``<title>`` and ``<desc>``; ``slug`` makes the ids unique."""

    slug: str
    title: str
    description: str
    unit: str = ""
    empty: str = "No figures for these filters."
    series_order: tuple[str, ...] = field(default_factory=tuple)


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _ident(slug: str) -> str:
    return re.sub(r"[^a-z0-9-]", "-", slug.lower()) or "chart"


def figure(value: float) -> str:
    """A figure as the table shows it: whole numbers without a decimal point."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _head(text: ChartText, height: int) -> list[str]:
    ident = _ident(text.slug)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{ident}-title {ident}-desc" id="{ident}-chart">',
        f'<title id="{ident}-title">{esc(text.title)}</title>',
        f'<desc id="{ident}-desc">{esc(text.description)}</desc>',
    ]


def _legend(names: Sequence[str], y: int) -> list[str]:
    parts = ['<g class="legend">']
    x = LABEL_WIDTH
    for index, name in enumerate(names):
        colour = PALETTE[index % len(PALETTE)]
        parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="{y + 11}" font-size="12">{esc(name)}</text>')
        x += 24 + 8 * len(name)
    parts.append("</g>")
    return parts


def _series_names(bars: Sequence[Bar], order: Sequence[str]) -> list[str]:
    names = list(order)
    for bar in bars:
        for segment in bar.segments:
            if segment.series not in names:
                names.append(segment.series)
    return names


def bar_chart(text: ChartText, bars: Sequence[Bar]) -> str:
    """Horizontal bars, one per row of the page's table, segments stacked left to right."""
    names = _series_names(bars, text.series_order)
    colours = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}
    rows = max(len(bars), 1)
    height = TOP + rows * (BAR_HEIGHT + BAR_GAP) + LEGEND_HEIGHT + 10
    parts = _head(text, height)
    if not bars:
        parts.append(f'<text x="10" y="{TOP + 14}" font-size="14">{esc(text.empty)}</text>')
        parts.append("</svg>")
        return "\n".join(parts)
    scale_max = max(
        [bar.total for bar in bars] + [bar.marker[1] for bar in bars if bar.marker] + [1.0]
    )
    plot = WIDTH - LABEL_WIDTH - 70
    unit = f" {text.unit}" if text.unit else ""
    parts.append(
        f'<text x="{LABEL_WIDTH}" y="18" font-size="12">0 – {esc(figure(scale_max))}{esc(unit)}'
        "</text>"
    )
    for index, bar in enumerate(bars):
        y = TOP + index * (BAR_HEIGHT + BAR_GAP)
        parts.append(f'<g class="bar" data-row="{index}">')
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" font-size="12" text-anchor="end">'
            f"{esc(bar.label)}</text>"
        )
        x = float(LABEL_WIDTH)
        for segment in bar.segments:
            width = plot * segment.value / scale_max
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{colours[segment.series]}"><title>{esc(bar.label)}: '
                f"{esc(segment.series)} {esc(figure(segment.value))}{esc(unit)}</title></rect>"
            )
            x += width
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + 15}" font-size="12">{esc(figure(bar.total))}</text>'
        )
        if bar.marker is not None:
            name, value = bar.marker
            mx = LABEL_WIDTH + plot * value / scale_max
            parts.append(
                f'<line class="marker" x1="{mx:.1f}" x2="{mx:.1f}" y1="{y - 3}" '
                f'y2="{y + BAR_HEIGHT + 3}" stroke="{REFERENCE_COLOUR}" stroke-width="2" '
                f'stroke-dasharray="4 2"><title>{esc(name)} {esc(figure(value))}{esc(unit)}'
                "</title></line>"
            )
        parts.append("</g>")
    legend = names + ([bars[0].marker[0]] if any(b.marker for b in bars) and bars[0].marker else [])
    parts += _legend(legend, TOP + rows * (BAR_HEIGHT + BAR_GAP) + 4)
    parts.append("</svg>")
    return "\n".join(parts)


def line_chart(
    text: ChartText,
    x_labels: Sequence[str],
    series: Sequence[Series],
    references: Sequence[Reference] = (),
) -> str:
    """Lines over the x axis (one point per figure), with dashed reference lines."""
    height = 320
    plot_top, plot_bottom = TOP, height - 70
    left, right = 60, WIDTH - 150
    parts = _head(text, height)
    points = [v for s in series for v in s.values if v is not None]
    if not x_labels or not points:
        parts.append(f'<text x="10" y="{TOP + 14}" font-size="14">{esc(text.empty)}</text>')
        parts.append("</svg>")
        return "\n".join(parts)
    top_value = max(points + [r.value for r in references] + [1.0]) * 1.05
    step = (right - left) / max(len(x_labels) - 1, 1)

    def ypos(value: float) -> float:
        return plot_bottom - (plot_bottom - plot_top) * value / top_value

    parts.append(
        f'<line x1="{left}" x2="{left}" y1="{plot_top}" y2="{plot_bottom}" stroke="#555"/>'
        f'<line x1="{left}" x2="{right}" y1="{plot_bottom}" y2="{plot_bottom}" stroke="#555"/>'
        f'<text x="{left - 6}" y="{plot_bottom + 4}" font-size="11" text-anchor="end">0</text>'
        f'<text x="{left - 6}" y="{ypos(top_value / 1.05) + 4:.1f}" font-size="11" '
        f'text-anchor="end">{esc(figure(top_value / 1.05))}</text>'
    )
    for index, label in enumerate(x_labels):
        x = left + index * step
        parts.append(
            f'<text x="{x:.1f}" y="{plot_bottom + 16}" font-size="11" text-anchor="middle">'
            f"{esc(label)}</text>"
        )
    for reference in references:
        y = ypos(reference.value)
        parts.append(
            f'<g class="reference"><line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{REFERENCE_COLOUR}" stroke-dasharray="6 3"/>'
            f'<text x="{right + 4}" y="{y + 4:.1f}" font-size="11">{esc(reference.label)} '
            f"{esc(figure(reference.value))}</text></g>"
        )
    for index, line in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        coords = [
            (left + i * step, ypos(v), v, x_labels[i])
            for i, v in enumerate(line.values)
            if v is not None
        ]
        parts.append(f'<g class="series" data-series="{esc(line.name)}">')
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in coords)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for x, y, value, label in coords:
            parts.append(
                f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">'
                f"<title>{esc(line.name)}, {esc(label)}: {esc(figure(value))}</title></circle>"
            )
        parts.append("</g>")
    parts += _legend([s.name for s in series], height - 30)
    parts.append("</svg>")
    return "\n".join(parts)
