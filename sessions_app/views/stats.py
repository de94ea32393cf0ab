"""The organizers' statistics page and its printable funder summary, for a range of dates."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from cop_portal.lib.roles import organizer_required
from sessions_app.charts import statistics_charts
from sessions_app.forms.stats import StatisticsRangeForm, range_presets
from sessions_app.models.session import local_today
from sessions_app.stats import attendance_report, default_range


def _range_and_report(request: HttpRequest) -> tuple[dict[str, Any], int]:
    """What both pages start from: the range form, its presets, links to both pages for
    the range and the report (None when the range was refused or no session has taken
    place yet), with the status to answer (400 for a refused range).

    No dates asked for means the default range, shown in the fields."""
    today = local_today()
    form = StatisticsRangeForm(request.GET, today=today)
    date_range = form.chosen_range() if form.is_valid() else None
    if form.is_valid() and date_range is None:
        date_range = default_range()
        if date_range is not None:
            form = StatisticsRangeForm.showing(date_range, today=today)
    query = f"?{urlencode(date_range.params())}" if date_range else ""
    context = {
        "form": form,
        "presets": [(preset, preset.range == date_range) for preset in range_presets(today)],
        "statistics_url": reverse("sessions:statistics") + query,
        "summary_url": reverse("sessions:statistics-summary") + query,
        "report": attendance_report(date_range) if date_range else None,
    }
    return context, 400 if form.errors else 200


@organizer_required
@require_safe
def statistics(request: HttpRequest) -> HttpResponse:
    context, status = _range_and_report(request)
    report = context["report"]
    context["charts"] = statistics_charts(report) if report and report.session_count else []
    return render(request, "sessions_app/attendance/statistics.html", context, status=status)


@organizer_required
@require_safe
def funder_summary(request: HttpRequest) -> HttpResponse:
    context, status = _range_and_report(request)
    return render(request, "sessions_app/attendance/funder_summary.html", context, status=status)
