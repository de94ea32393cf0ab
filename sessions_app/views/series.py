"""Organizer pages for series: the schedule, its rotation of slots, previewing and
publishing the dates."""

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from cop_portal.lib.roles import organizer_required
from sessions_app.forms.series import PublishSeriesForm, RotationFormSet, SeriesForm
from sessions_app.models import Series, SessionStatus
from sessions_app.models.session import ONLINE_NEEDS_LINK
from sessions_app.rotation import describe_recurrence, next_occurrences
from sessions_app.services.series import (
    PublishResult,
    publish_horizon,
    series_publish,
    series_save,
)
from sessions_app.views.organizer_helpers import announced_note, form_status, over_organizer_limit

PREVIEW_COUNT = 12


@organizer_required
@require_safe
def series_list(request: HttpRequest) -> HttpResponse:
    series = Series.objects.prefetch_related("slots__venue")
    rows = [(item, describe_recurrence(item.recurrence)) for item in series]
    return render(request, "sessions_app/organize/series_list.html", {"rows": rows})


def _series_form_page(request: HttpRequest, series: Series | None) -> HttpResponse:
    instance = series or Series()
    form = SeriesForm(request.POST or None, instance=instance)
    formset = RotationFormSet(request.POST or None, instance=instance, prefix="slots")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        if formset.uses_online() and not form.cleaned_data["meeting_url"]:
            form.add_error("meeting_url", ONLINE_NEEDS_LINK)
        else:
            saved = series_save(
                series=form.instance,
                slots=[slot_form.instance for slot_form in formset.ordered_forms],
                removed=[slot_form.instance for slot_form in formset.deleted_forms],
            )
            messages.success(request, "Series saved. Check the dates below, then publish.")
            return redirect("sessions:series-preview", slug=saved.slug)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "sessions_app/organize/series_form.html",
        {"form": form, "formset": formset, "series": series},
        status=status,
    )


@organizer_required
def series_create(request: HttpRequest) -> HttpResponse:
    return _series_form_page(request, None)


@organizer_required
def series_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _series_form_page(request, get_object_or_404(Series, slug=slug))


@organizer_required
def series_preview(request: HttpRequest, slug: str) -> HttpResponse:
    series = get_object_or_404(Series, slug=slug)
    form = PublishSeriesForm(request.POST or None)
    if request.method == "POST" and not series.is_active:
        form.add_error(None, "This series is paused. Make it active before publishing.")
    status = form_status(form)
    if request.method == "POST" and form.is_valid() and over_organizer_limit(request, form):
        status = 429
    elif request.method == "POST" and form.is_valid():
        until = publish_horizon(form.cleaned_data["months"])
        result = series_publish(series=series, until=until)
        announced = announced_note(result.created[0]) if result.created else ""
        messages.success(request, _publish_summary(result, until) + announced)
        return redirect("sessions:series-preview", slug=series.slug)
    slots = list(series.slots.select_related("venue"))
    upcoming = next_occurrences(series, slots, after=timezone.localdate(), count=PREVIEW_COUNT)
    published = {
        session.occurrence_date: session
        for session in series.sessions.filter(
            occurrence_date__in=[planned.date for planned in upcoming]
        )
    }
    rows = [(planned, published.get(planned.date)) for planned in upcoming]
    context = {
        "series": series,
        "schedule": describe_recurrence(series.recurrence),
        "slots": slots,
        "rows": rows,
        "form": form,
        "statuses": SessionStatus,
    }
    return render(request, "sessions_app/organize/series_preview.html", context, status=status)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _publish_summary(result: PublishResult, until: date) -> str:
    parts = [f"{_count(len(result.created), 'new session')} published through {until:%B %-d, %Y}"]
    if result.updated:
        parts.append(f"{_count(len(result.updated), 'upcoming session')} moved to fit the rotation")
    if result.left_alone:
        parts.append(f"{_count(result.left_alone, 'edited or cancelled session')} left as is")
    return "; ".join(parts) + "."
