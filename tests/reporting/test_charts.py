"""The SVG charts: accessible, escaped, no script, one bar per row, one point per figure."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from readmit.reporting.charts import (
    Bar,
    ChartText,
    Reference,
    Segment,
    Series,
    bar_chart,
    line_chart,
)

SVG = "{http://www.w3.org/2000/svg}"


def _text(slug: str = "test") -> ChartText:
    return ChartText(slug, "Quota <used>", "Places & limits")


def test_a_bar_chart_draws_one_bar_per_row_with_its_figure_in_a_title():
    bars = [Bar(f"row {n}", (Segment("used", n + 1),), marker=("quota", 50)) for n in range(4)]
    root = ET.fromstring(bar_chart(_text(), bars))
    groups = [g for g in root.iter(f"{SVG}g") if g.get("class") == "bar"]
    assert len(groups) == 4
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert "row 2: used 3" in titles
    assert len([m for m in root.iter(f"{SVG}line") if m.get("class") == "marker"]) == 4


def test_every_label_is_escaped_and_the_chart_carries_no_script():
    hostile = '<script>alert("x")</script>&'
    svg = bar_chart(_text(), [Bar(hostile, (Segment(hostile, 1),))])
    assert "<script" not in svg
    root = ET.fromstring(svg)  # still well-formed XML
    assert any(t.text == hostile for t in root.iter(f"{SVG}text"))


def test_a_chart_is_labelled_by_its_own_title_and_description():
    root = ET.fromstring(bar_chart(_text("quota"), [Bar("a", (Segment("used", 1),))]))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "quota-title quota-desc"
    assert root.find(f"{SVG}title").text == "Quota <used>"  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc").text == "Places & limits"  # type: ignore[union-attr]


def test_an_empty_chart_says_so_in_words():
    root = ET.fromstring(bar_chart(_text(), []))
    assert any("No figures" in (t.text or "") for t in root.iter(f"{SVG}text"))


def test_a_line_chart_draws_one_point_per_figure_and_each_capacity_as_a_line():
    svg = line_chart(
        _text(),
        ["2026-01", "2026-02", "2026-03"],
        [Series("Gjadër", (10, 20, None)), Series("Shëngjin", (1, 2, 3))],
        [Reference("Gjadër", 880), Reference("in total", 3000)],
    )
    root = ET.fromstring(svg)
    points = [c for c in root.iter(f"{SVG}circle") if c.get("class") == "point"]
    assert len(points) == 5
    references = [g for g in root.iter(f"{SVG}g") if g.get("class") == "reference"]
    assert len(references) == 2
    assert "Gjadër, 2026-02: 20" in [t.text for t in root.iter(f"{SVG}title")]
