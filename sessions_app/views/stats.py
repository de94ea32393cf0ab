"""The organizers' statistics page: which slots people come to, month by month."""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.views.decorators.http import require_safe

from cop_portal.lib.roles import organizer_required
from sessions_app.charts import Series, bar_chart
from sessions_app.stats import MonthAttendance, monthly_attendance


@dataclass(frozen=True)
class Chart:
    """One chart and the same numbers as a table."""

    id: str
    title: str
    description: str
    svg: SafeString
    series: list[Series]
    rows: list[tuple[MonthAttendance, list[tuple[str, int]]]]  # (month, [(label, value)])
    stacked: bool


# (id, title, what it shows, stacked, [(label, css class, MonthAttendance attribute)])
CHARTS = [
    (
        "time-of-day",
        "Evening or daytime",
        "People who came each month, to evening sessions and to daytime sessions.",
        False,
        [("Evening", "series-1", "evening"), ("Daytime", "series-2", "daytime")],
    ),
    (
        "format",
        "Brief or in-depth",
        "People who came each month, to brief and to in-depth conversations.",
        False,
        [("Brief", "series-1", "brief"), ("In-depth", "series-2", "in_depth")],
    ),
    (
        "mode",
        "In person or online",
        "People who came each month, in the room (walk-ins included) and online.",
        False,
        [("In person", "series-1", "in_person"), ("Online", "series-2", "online")],
    ),
    (
        "people",
        "New and returning people",
        "People who came each month, stacked: first-timers, people who had come before, "
        "and walk-ins (who gave no RSVP, so we can't tell).",
        True,
        [
            ("New", "series-1", "new_people"),
            ("Returning", "series-2", "returning_people"),
            ("Walk-ins", "series-3", "walk_ins"),
        ],
    ),
]


def _charts(months: list[MonthAttendance]) -> list[Chart]:
    categories = [(f"{m.month:%b}", f"{m.month:%Y}") for m in months]
    charts = []
    for chart_id, title, description, stacked, kinds in CHARTS:
        series = [
            Series(label, css_class, [getattr(m, attribute) for m in months])
            for label, css_class, attribute in kinds
        ]
        svg = bar_chart(
            chart_id=f"chart-{chart_id}",
            title=title,
            description=description,
            categories=categories,
            series=series,
            stacked=stacked,
        )
        rows = [(m, [(s.label, s.values[i]) for s in series]) for i, m in enumerate(months)]
        charts.append(Chart(chart_id, title, description, svg, series, rows, stacked))
    return charts


@organizer_required
@require_safe
def statistics(request: HttpRequest) -> HttpResponse:
    months = monthly_attendance()
    context = {
        "months": months,
        "charts": _charts(months) if months else [],
        "estimated": [s for m in months for s in m.estimated_sessions],
    }
    return render(request, "sessions_app/attendance/statistics.html", context)
