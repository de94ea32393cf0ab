"""The organizers' statistics page and its printable funder summary, for a range of dates."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.http import require_safe

from cop_portal.lib.roles import organizer_required
from sessions_app.charts import Series, bar_chart
from sessions_app.forms.stats import (
    StatisticsRangeForm,
    range_initial,
    range_presets,
    range_query,
)
from sessions_app.models import ConversationFormat, TimeOfDay
from sessions_app.models.session import local_zone
from sessions_app.stats import (
    FORMAT_WORDS,
    AttendanceReport,
    DateRange,
    Period,
    attendance_report,
    default_range,
)


@dataclass(frozen=True)
class Chart:
    """One chart and the same numbers as a table."""

    id: str
    title: str
    description: str
    svg: SafeString
    series: list[Series]
    rows: list[tuple[Period, list[tuple[str, int]], int]]  # (period, [(label, value)], total)
    total_label: str


def _chart(
    chart_id: str,
    title: str,
    description: str,
    periods: list[Period],
    series: list[Series],
    *,
    stacked: bool,
    total_label: str = "Total",
) -> Chart:
    svg = bar_chart(
        chart_id=f"chart-{chart_id}",
        title=title,
        description=description,
        categories=[p.label for p in periods],
        series=series,
        stacked=stacked,
    )
    rows = [
        (p, [(s.label, s.values[i]) for s in series], sum(s.values[i] for s in series))
        for i, p in enumerate(periods)
    ]
    return Chart(chart_id, title, description, svg, series, rows, total_label)


def charts(report: AttendanceReport) -> list[Chart]:
    """Attendance by month (or quarter), by slot, and new and returning people.

    By slot is one chart when time of day and format always go together, else one for
    each; a chart with a single series would only repeat the attendance chart's totals,
    so it is left out (the page names the one slot instead).
    """
    periods = report.periods
    each = "each month" if report.by_month else "each quarter"
    colours = [f"series-{n}" for n in range(1, 5)]

    def series(label: str, number: int, values: list[int]) -> Series:
        return Series(label, colours[number], values)

    found = [
        _chart(
            "attendance",
            "People who came",
            f"People who came {each}: RSVPs in the room, online, and walk-ins, stacked.",
            periods,
            [
                series("In person", 0, [p.in_person_rsvps for p in periods]),
                series("Online", 1, [p.online for p in periods]),
                series("Walk-ins", 2, [p.walk_ins for p in periods]),
            ],
            stacked=True,
        )
    ]
    if report.slots_coincide:
        if len(report.slots) > 1:
            found.append(
                _chart(
                    "slot",
                    "By slot",
                    f"People who came {each}, to each slot.",
                    periods,
                    [
                        series(
                            slot.label,
                            n,
                            [
                                p.slot_total(time_of_day=slot.time_of_day, format=slot.format)
                                for p in periods
                            ],
                        )
                        for n, slot in enumerate(report.slots)
                    ],
                    stacked=False,
                )
            )
    else:
        if len(report.times_of_day) > 1:
            found.append(
                _chart(
                    "time-of-day",
                    "Evening or daytime",
                    f"People who came {each}, to evening and to daytime sessions.",
                    periods,
                    [
                        series(
                            TimeOfDay(value).label,
                            n,
                            [p.slot_total(time_of_day=value) for p in periods],
                        )
                        for n, value in enumerate(report.times_of_day)
                    ],
                    stacked=False,
                )
            )
        if len(report.formats) > 1:
            found.append(
                _chart(
                    "format",
                    "Brief or in depth",
                    f"People who came {each}, to brief and to in-depth conversations.",
                    periods,
                    [
                        series(
                            FORMAT_WORDS[ConversationFormat(value)].capitalize(),
                            n,
                            [p.slot_total(format=value) for p in periods],
                        )
                        for n, value in enumerate(report.formats)
                    ],
                    stacked=False,
                )
            )
    found.append(
        _chart(
            "people",
            "New and returning people",
            f"Different people with an RSVP who came {each}, stacked: people at their first "
            "session ever, and people who had come before. Walk-ins give no name, so they "
            "are left out here.",
            periods,
            [
                series("New", 0, [p.new_people for p in periods]),
                series("Returning", 1, [p.returning_people for p in periods]),
            ],
            stacked=True,
            total_label="Different people",
        )
    )
    return found


def _pick_range(request: HttpRequest) -> tuple[StatisticsRangeForm, DateRange | None]:
    """The range form, and the range it asks for (the default one when it asks for none);
    None when it was refused or no session has taken place yet."""
    today = timezone.localdate(timezone=local_zone())
    form = StatisticsRangeForm(request.GET, today=today)
    if not form.is_valid():
        return form, None
    chosen = form.chosen_range()
    if chosen is not None:
        return form, chosen
    default = default_range()
    if default is not None:
        # Show the range the page picked in the fields.
        form = StatisticsRangeForm(initial=range_initial(default), today=today)
    return form, default


def _range_context(form: StatisticsRangeForm, date_range: DateRange | None) -> dict[str, Any]:
    today = timezone.localdate(timezone=local_zone())
    query = f"?{range_query(date_range)}" if date_range else ""
    return {
        "form": form,
        "presets": [(preset, preset.range == date_range) for preset in range_presets(today)],
        "statistics_url": reverse("sessions:statistics") + query,
        "summary_url": reverse("sessions:statistics-summary") + query,
    }


@organizer_required
@require_safe
def statistics(request: HttpRequest) -> HttpResponse:
    form, date_range = _pick_range(request)
    context = _range_context(form, date_range)
    if form.errors:
        return render(request, "sessions_app/attendance/statistics.html", context, status=400)
    report = attendance_report(date_range) if date_range else None
    context["report"] = report
    context["charts"] = charts(report) if report and report.sessions else []
    return render(request, "sessions_app/attendance/statistics.html", context)


@organizer_required
@require_safe
def funder_summary(request: HttpRequest) -> HttpResponse:
    form, date_range = _pick_range(request)
    context = _range_context(form, date_range)
    if form.errors:
        return render(request, "sessions_app/attendance/funder_summary.html", context, status=400)
    context["report"] = attendance_report(date_range) if date_range else None
    return render(request, "sessions_app/attendance/funder_summary.html", context)
