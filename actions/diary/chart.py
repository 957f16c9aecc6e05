"""The pain diary as a PNG chart (matplotlib, drawn off-screen with its bundled fonts: nothing is fetched)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime, timedelta

from actions.diary import replies

CHART_DAYS = 30


def render_pain_chart(entries: Sequence[tuple[datetime, int]], now: datetime, days: int = CHART_DAYS) -> bytes:
    """Scores over the last `days` days on a fixed 0-10 axis, so charts can be compared week to week."""
    # Imported here: matplotlib is only needed when a chart is asked for.
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.dates import DateFormatter
    from matplotlib.figure import Figure

    start = now - timedelta(days=days)
    shown = sorted((moment, score) for moment, score in entries if start <= moment <= now)
    figure = Figure(figsize=(6.4, 3.2), dpi=100)
    axes = figure.add_subplot()
    if shown:
        moments, scores = zip(*shown, strict=True)
        axes.plot(moments, scores, marker="o", color="#1f6f8b", linewidth=2)
    else:
        axes.text(0.5, 0.5, replies.CHART_NO_ENTRIES, transform=axes.transAxes, ha="center", va="center", color="#555555")
    axes.set_xlim(start, now + timedelta(days=1))  # room for today's point
    axes.set_ylim(-0.5, 10.5)
    axes.set_yticks(range(0, 11, 2))
    axes.set_ylabel(replies.CHART_AXIS)
    axes.set_title(replies.chart_title(days))
    axes.xaxis.set_major_formatter(DateFormatter("%d %b"))
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
