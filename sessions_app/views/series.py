"""Organizer pages for series: the schedule, its rotation of slots, previewing and
publishing the dates."""

from collections.abc import Container
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_safe

from cop_portal.lib.dates import date_as
from cop_portal.lib.roles import organizer_required
from cop_portal.mail.kinds import MailKind
from sessions_app.forms.notify import NotifyForm
from sessions_app.forms.series import (
    PublishHorizonForm,
    PublishSeriesForm,
    RotationFormSet,
    SeriesForm,
)
from sessions_app.models import AttendanceMode, Series, Session, SessionStatus
from sessions_app.models.session import ONLINE_NEEDS_LINK
from sessions_app.notifications import preview_email
from sessions_app.notify_choice import NOBODY_TOLD, NotifyAudience, Told, people
from sessions_app.rotation import PlannedOccurrence, describe_occurrence, describe_recurrence
from sessions_app.services.series import (
    MAX_PUBLISH_MONTHS,
    PublishPlan,
    PublishPlanChanged,
    PublishResult,
    series_publish,
    series_publish_choices,
    series_publish_plan,
    series_save,
)
from sessions_app.session_changes import edited, snapshot
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
            messages.success(request, _("Series saved. Check the dates below, then publish."))
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
PLAN_CHANGED = gettext_lazy(
    "The dates changed since you looked, so nothing was published. Here is the new list: "
    "check it, then press Publish again."
)


@organizer_required
def series_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """The series' coming dates and what publishing through one of them would do; the
    POST publishes exactly that. When it moves sessions people answered for, the page
    says how many would be told about each, with the same choice of who (and a note) as
    an edit, and the email they would get; "Update preview" publishes nothing."""
    series = get_object_or_404(Series, slug=slug)
    choices = series_publish_choices(series=series)
    published = choices.published
    posted = request.method == "POST"
    form_class = PublishSeriesForm if posted else PublishHorizonForm
    data = request.POST if posted else (request.GET if "until" in request.GET else None)
    form = form_class(
        data, dates=choices.dates, published=published, initial={"until": choices.default_until}
    )
    until = form.cleaned_data["until"] if form.is_valid() else choices.default_until
    plan = (
        series_publish_plan(
            series=series, until=until, slots=choices.slots, sessions=choices.sessions
        )
        if until
        else None
    )
    told = plan.told_in_all if plan else NOBODY_TOLD
    notify_form = NotifyForm(request.POST if posted else None, told=told, quietly=MOVE_QUIETLY)
    status = form_status(form, notify_form)
    if posted and form.is_valid() and notify_form.is_valid():
        audience = NotifyAudience(notify_form.chosen)
        emails = bool(plan and (plan.create or told.number(audience)))
        if notify_form.cleaned_data["step"] != NotifyForm.SAVE:
            pass  # "Update preview": the page again, with the note and choice
        elif not series.is_active:
            form.add_error(None, _("This series is paused. Make it active before publishing."))
            status = 400
        elif plan is None or form.cleaned_data["plan"] != plan.fingerprint:
            form.add_error(None, PLAN_CHANGED)
            status = 409
        elif emails and over_organizer_limit(request, form):
            status = 429
        else:
            try:
                result = series_publish(
                    series=series,
                    until=until,
                    expected=plan.fingerprint,
                    audience=audience,
                    note=notify_form.note_text,
                )
            except PublishPlanChanged as changed:
                form.add_error(None, PLAN_CHANGED)
                plan, status = changed.plan, 409
                notify_form = NotifyForm(request.POST, told=plan.told_in_all, quietly=MOVE_QUIETLY)
            else:
                announced = announced_note(result.created[0]) if result.created else ""
                summary = _publish_summary(result, until, plan.told_in_all.number(audience))
                messages.success(request, summary + announced)
                return redirect("sessions:series-preview", slug=series.slug)
    context = {
        "series": series,
        "schedule": describe_recurrence(series.recurrence),
        "slots": choices.slots,
        "rows": [
            (planned, published.get(planned.date)) for planned in choices.window[:PREVIEW_COUNT]
        ],
        "form": form,
        "plan": plan,
        "plan_lines": _plan_lines(plan) if plan else {},
        "publish_label": _publish_label(plan) if plan else "",
        "nothing_new": _nothing_new(plan, choices.window, published) if plan else "",
        "statuses": SessionStatus,
        **_notify_context(request, plan, notify_form),
    }
    return render(request, "sessions_app/organize/series_preview.html", context, status=status)


MOVE_QUIETLY = gettext_lazy("move them without emailing")


def _notify_context(
    request: HttpRequest, plan: PublishPlan | None, notify_form: NotifyForm
) -> dict[str, Any]:
    """Who hears about the moves: the choice, its buttons, and the email about the first
    moved session someone answered for, as they would read it (nothing when nobody did)."""
    if plan is None or not plan.does_something or not notify_form.told.everyone:
        return {"notify_form": None}
    move = next(move for move in plan.move if plan.told_about(move.session).everyone)
    preview = preview_email(
        MailKind.SESSION_CHANGED,
        edited(move.session, move.changes),
        member=request.user,
        online=move.planned.slot.attendance_mode == AttendanceMode.ONLINE,
        before=snapshot(move.session),
        note=notify_form.note_text,
    )
    return {
        "notify_form": notify_form,
        "preview": preview,
        "preview_of": _describe(move.planned),
        "buttons": _notify_buttons(plan, notify_form.told),
    }


def _notify_buttons(plan: PublishPlan, told: Told) -> list[tuple[str, str]]:
    """The Publish button's label for each choice: "Move 2 sessions and notify 7 people",
    "Publish 3 sessions, move 1 and notify 2 people", "Move 2 sessions without emailing"."""
    buttons = []
    for value, _choice in told.choices(quietly=MOVE_QUIETLY):
        if count := told.number(value):
            buttons.append((value, _publish_label(plan, notify=people(count))))
        else:
            buttons.append((value, _publish_label(plan, quietly=True)))
    return buttons


def _describe(when: PlannedOccurrence | Session) -> str:
    """A planned date or a session in a line: "Wed, Dec 16, 6-7 pm, Evening · brief, at ...".
    A planned date has its slot's details; a session its own."""
    what = when.slot if isinstance(when, PlannedOccurrence) else when
    return describe_occurrence(
        starts_at=when.starts_at,
        ends_at=when.ends_at,
        time_of_day=what.time_of_day,
        conversation_format=what.format,
        attendance_mode=what.attendance_mode,
        venue=what.venue,
    )


def _plan_lines(plan: PublishPlan) -> dict[str, list[tuple[Any, ...]]]:
    """The plan in words: (what it will be, what it was or why it stays, the session),
    and for a move, who would hear about it."""
    why = {SessionStatus.CANCELLED: _("cancelled"), SessionStatus.DRAFT: _("a draft")}
    return {
        "create": [(_describe(planned), "", None) for planned in plan.create],
        "move": [
            (
                _describe(move.planned),
                _describe(move.session),
                move.session,
                plan.told_about(move.session),
            )
            for move in plan.move
        ],
        "leave": [
            (_describe(session), why.get(session.status, _("edited")), session)
            for session in plan.leave
        ],
    }


def _sessions(count: int) -> str:
    return ngettext("%(count)s session", "%(count)s sessions", count) % {"count": intcomma(count)}


def _publish_label(plan: PublishPlan, *, notify: str = "", quietly: bool = False) -> str:
    """ "Publish 2 sessions", "Publish 2 sessions and move 1", "Move 1 session"; with
    `notify` ("7 people") "Publish 2 sessions, move 1 and notify 7 people", or `quietly`
    "Move 1 session without emailing"."""
    words = {"sessions": _sessions(len(plan.create or plan.move)), "moved": len(plan.move)}
    words["people"] = notify
    if plan.create and plan.move:
        if notify:
            return _("Publish %(sessions)s, move %(moved)s and notify %(people)s") % words
        if quietly:
            return _("Publish %(sessions)s and move %(moved)s without emailing") % words
        return _("Publish %(sessions)s and move %(moved)s") % words
    if plan.create:
        if notify:
            return _("Publish %(sessions)s and notify %(people)s") % words
        if quietly:
            return _("Publish %(sessions)s without emailing") % words
        return _("Publish %(sessions)s") % words
    if notify:
        return _("Move %(sessions)s and notify %(people)s") % words
    if quietly:
        return _("Move %(sessions)s without emailing") % words
    return _("Move %(sessions)s") % words


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
    through = _(
        "Nothing new to publish through %(day)s: every date up to then already has its session."
    ) % {"day": date_as(plan.until, "DAY_MONTH")}
    if later:
        after = _("The next date without one is %(day)s: choose it above.") % {
            "day": date_as(later[0], "DAY_DATE")
        }
    else:
        after = ngettext(
            "The schedule has no later dates in the next %(count)s month.",
            "The schedule has no later dates in the next %(count)s months.",
            MAX_PUBLISH_MONTHS,
        ) % {"count": MAX_PUBLISH_MONTHS}
    return f"{through} {after}"


def _publish_summary(result: PublishResult, until: date, emailed: int) -> str:
    created = len(result.created)
    parts = [
        ngettext(
            "%(count)s new session published through %(day)s",
            "%(count)s new sessions published through %(day)s",
            created,
        )
        % {"count": intcomma(created), "day": date_as(until, "DAY_DATE")}
    ]
    if result.updated:
        told = (
            _("%(people)s will get an email about it") % {"people": people(emailed)}
            if emailed
            else _("nobody was emailed")
        )
        moved = len(result.updated)
        parts.append(
            ngettext(
                "%(count)s upcoming session moved to fit the rotation (%(told)s)",
                "%(count)s upcoming sessions moved to fit the rotation (%(told)s)",
                moved,
            )
            % {"count": intcomma(moved), "told": told}
        )
    if result.left_alone:
        parts.append(
            ngettext(
                "%(count)s edited or cancelled session left as is",
                "%(count)s edited or cancelled sessions left as is",
                result.left_alone,
            )
            % {"count": intcomma(result.left_alone)}
        )
    return "; ".join(parts) + "."
