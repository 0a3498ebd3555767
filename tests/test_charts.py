"""Server-side SVG charts: every line is visible, a single month included."""

from __future__ import annotations

from search_app.charts import lines


def test_a_line_of_one_month_is_drawn_as_a_stroke() -> None:
    chart = lines(["2026-11"], {"all": [4]}, {"all": "All"})
    points = chart.lines[0].points.split()
    assert len(points) == 2 and points[0] != points[1]
    assert points[0].split(",")[1] == points[1].split(",")[1]  # level


def test_lines_have_a_point_per_month() -> None:
    chart = lines(["2026-10", "2026-11", "2026-12"], {"a": [1, 3, 2]}, {})
    assert len(chart.lines[0].points.split()) == 3
