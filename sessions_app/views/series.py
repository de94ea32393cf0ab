"""Organizer pages for series: the schedule, its rotation of slots, previewing and
publishing the dates."""

from collections.abc import Container
from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from cop_portal.lib.roles import organizer_required
from sessions_app.forms.series import (
    PublishHorizonForm,
    PublishSeriesForm,
    RotationFormSet,
    SeriesForm,
)
from sessions_app.models import Series, Session, SessionStatus
from sessions_app.models.session import ONLINE_NEEDS_LINK
from sessions_app.rotation import (
    PlannedOccurrence,
    describe_occurrence,
    describe_recurrence,
    upcoming_occurrences,
)
from sessions_app.services.series import (
    MAX_PUBLISH_MONTHS,
    PublishPlan,
    PublishPlanChanged,
    PublishResult,
    default_publish_months,
    publish_horizon,
    series_publish,
    series_publish_plan,
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


# When the dates changed between "Show dates" and "Publish" (someone edited the series,
# published from another tab, or the day turned).
PLAN_CHANGED = (
    "The dates changed since you looked, so nothing was published. Here is the new list: "
    "check it, then press Publish again."
)


@organizer_required
def series_preview(request: HttpRequest, slug: str) -> HttpResponse:
    series = get_object_or_404(Series, slug=slug)
    today = timezone.localdate()
    slots = list(series.slots.select_related("venue"))
    sessions = list(series.sessions.filter(occurrence_date__gte=today).select_related("venue"))
    published = {session.occurrence_date: session for session in sessions}
    window = upcoming_occurrences(
        series, slots, after=today, until=publish_horizon(MAX_PUBLISH_MONTHS, today=today)
    )
    dates = [planned.date for planned in window if not planned.excluded]
    default_until = _default_until(window, published, today=today, dates=dates)
    form_class = PublishSeriesForm if request.method == "POST" else PublishHorizonForm
    data = (
        request.POST
        if request.method == "POST"
        else (request.GET if "until" in request.GET else None)
    )
    form = form_class(data, dates=dates, published=published, initial={"until": default_until})
    until = form.cleaned_data["until"] if form.is_valid() else default_until
    plan = (
        series_publish_plan(series=series, until=until, slots=slots, sessions=sessions)
        if until
        else None
    )
    status = form_status(form)
    if request.method == "POST" and form.is_valid():
        if not series.is_active:
            form.add_error(None, "This series is paused. Make it active before publishing.")
            status = 400
        elif plan is None or form.cleaned_data["plan"] != plan.fingerprint:
            form.add_error(None, PLAN_CHANGED)
            status = 409
        elif over_organizer_limit(request, form):
            status = 429
        else:
            try:
                result = series_publish(series=series, until=until, expected=plan.fingerprint)
            except PublishPlanChanged as changed:
                form.add_error(None, PLAN_CHANGED)
                plan, status = changed.plan, 409
            else:
                announced = announced_note(result.created[0]) if result.created else ""
                messages.success(request, _publish_summary(result, until) + announced)
                return redirect("sessions:series-preview", slug=series.slug)
    context = {
        "series": series,
        "schedule": describe_recurrence(series.recurrence),
        "slots": slots,
        "rows": [(planned, published.get(planned.date)) for planned in window[:PREVIEW_COUNT]],
        "form": form,
        "plan": plan,
        "plan_lines": _plan_lines(plan) if plan else {},
        "publish_label": _publish_label(plan) if plan else "",
        "nothing_new": _nothing_new(plan, window, published) if plan else "",
        "statuses": SessionStatus,
    }
    return render(request, "sessions_app/organize/series_preview.html", context, status=status)


def _default_until(
    window: list[PlannedOccurrence],
    published: Container[date],
    *,
    today: date,
    dates: list[date],
) -> date | None:
    """The last coming date within the default number of months (see
    default_publish_months), or the first coming date when none is that close."""
    horizon = publish_horizon(default_publish_months(window, published, today=today), today=today)
    within = [day for day in dates if day <= horizon]
    if within:
        return within[-1]
    return dates[0] if dates else None


def _describe(planned: PlannedOccurrence) -> str:
    slot = planned.slot
    return describe_occurrence(
        starts_at=planned.starts_at,
        ends_at=planned.ends_at,
        time_of_day=slot.time_of_day,
        conversation_format=slot.format,
        attendance_mode=slot.attendance_mode,
        venue=slot.venue,
    )


def _describe_session(session: Session) -> str:
    return describe_occurrence(
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        time_of_day=session.time_of_day,
        conversation_format=session.format,
        attendance_mode=session.attendance_mode,
        venue=session.venue,
    )


def _plan_lines(plan: PublishPlan) -> dict[str, list[tuple[str, str, Session | None]]]:
    """The plan in words: (what it will be, what it was or why it stays, the session)."""
    why = {SessionStatus.CANCELLED: "cancelled", SessionStatus.DRAFT: "a draft"}
    return {
        "create": [(_describe(planned), "", None) for planned in plan.create],
        "move": [
            (_describe(move.planned), _describe_session(move.session), move.session)
            for move in plan.move
        ],
        "leave": [
            (_describe_session(session), why.get(session.status, "edited"), session)
            for session in plan.leave
        ],
    }


def _publish_label(plan: PublishPlan) -> str:
    """ "Publish 2 sessions", "Publish 2 sessions and move 1", "Move 1 session"."""
    if plan.create and plan.move:
        return f"Publish {_count(len(plan.create), 'session')} and move {len(plan.move)}"
    if plan.create:
        return f"Publish {_count(len(plan.create), 'session')}"
    return f"Move {_count(len(plan.move), 'session')}"


def _nothing_new(
    plan: PublishPlan, window: list[PlannedOccurrence], published: Container[date]
) -> str:
    """Why there is no Publish button, when there is nothing to publish or move."""
    if plan.does_something:
        return ""
    later = [
        planned.date
        for planned in window
        if planned.date > plan.until and not planned.excluded and planned.date not in published
    ]
    through = (
        f"Nothing new to publish through {plan.until:%B %-d}: "
        "every date up to then already has its session."
    )
    if later:
        return f"{through} The next date without one is {later[0]:%B %-d, %Y}: choose it above."
    return f"{through} The schedule has no later dates in the next {MAX_PUBLISH_MONTHS} months."


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _publish_summary(result: PublishResult, until: date) -> str:
    parts = [f"{_count(len(result.created), 'new session')} published through {until:%B %-d, %Y}"]
    if result.updated:
        parts.append(f"{_count(len(result.updated), 'upcoming session')} moved to fit the rotation")
    if result.left_alone:
        parts.append(f"{_count(result.left_alone, 'edited or cancelled session')} left as is")
    return "; ".join(parts) + "."
