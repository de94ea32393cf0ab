"""Organizer pages: series and their rotation, one-off sessions, publishing, cancelling."""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from cop_portal.lib.roles import organizer_required
from cop_portal.mail.kinds import MailKind
from cop_portal.mail.selectors import latest_fanout
from sessions_app.forms.series import PublishSeriesForm, RotationFormSet, SeriesForm
from sessions_app.forms.sessions import (
    CancelSessionForm,
    ConfirmForm,
    SessionForm,
    default_session_initial,
)
from sessions_app.models import Series, Session, SessionStatus
from sessions_app.models.session import ONLINE_NEEDS_LINK
from sessions_app.rate_limits import organizer_notify_allowed
from sessions_app.rotation import describe_recurrence, next_occurrences
from sessions_app.services.series import (
    PublishResult,
    publish_horizon,
    series_publish,
    series_save,
)
from sessions_app.services.sessions import (
    session_cancel,
    session_create,
    session_publish,
    session_update,
)
from sessions_app.stats import with_attendance

PREVIEW_COUNT = 12


def _status(*forms: object) -> int:
    """400 when something submitted has errors, so clients and tests can tell."""
    bound = [form for form in forms if getattr(form, "is_bound", False)]
    return 400 if any(not form.is_valid() for form in bound) else 200  # type: ignore[attr-defined]


# Publishing, editing and cancelling email people: past the per-organizer limit, nothing
# is saved and the form says why.
TOO_MANY = (
    "You've made many changes that email people in a short time. Please wait a while "
    "and try again; nothing was changed."
)


def _limited(request: HttpRequest, form: BaseForm) -> bool:
    """Whether this organizer is over the limit; if so, the form carries the message."""
    if organizer_notify_allowed(request):
        return False
    form.add_error(None, TOO_MANY)
    return True


def _named(session: Session) -> str:
    """The session as a message names it: by its topic, or by series and date."""
    if session.has_topic:
        return f"“{session.headline}”"
    return (
        f"The {session.title} session on {session.local_starts_at:%B} {session.local_starts_at.day}"
    )


def _no_topic(session: Session) -> str:
    """A nudge when a session goes out without saying what it's about."""
    if session.has_topic:
        return ""
    return " It has no topic yet: edit it to add one, so people know what it's about."


def _get_session_for_organizer(slug: str) -> Session:
    return get_object_or_404(Session.objects.select_related("venue", "series"), slug=slug)


# Sessions


@organizer_required
@require_safe
def session_admin_list(request: HttpRequest) -> HttpResponse:
    sessions = with_attendance(
        Session.objects.upcoming().for_listing().select_related("series")
    ).order_by("starts_at", "id")
    page = Paginator(sessions, 50).get_page(request.GET.get("page"))
    without_topic = sum(1 for session in page.object_list if not session.has_topic)
    return render(
        request,
        "sessions_app/organize/session_list.html",
        {"page": page, "without_topic": without_topic},
    )


@organizer_required
def session_create_view(request: HttpRequest) -> HttpResponse:
    form = SessionForm(request.POST or None, initial=default_session_initial())
    publish = request.POST.get("action") == "publish"
    if request.method == "POST" and form.is_valid():
        if publish and _limited(request, form):
            return render(
                request, "sessions_app/organize/session_form.html", {"form": form}, status=429
            )
        session = session_create(fields=form.session_fields(), publish=publish)
        verb = "published" if publish else "saved as a draft"
        messages.success(request, f"{_named(session)} was {verb}.{_announced(session)}")
        return redirect(session)
    return render(
        request, "sessions_app/organize/session_form.html", {"form": form}, status=_status(form)
    )


@organizer_required
def session_edit(request: HttpRequest, slug: str) -> HttpResponse:
    session = _get_session_for_organizer(slug)
    form = SessionForm(request.POST or None, session=session)
    status = _status(form)
    if request.method == "POST" and form.is_valid():
        if not _limited(request, form):
            moved = session_update(session=session, fields=form.session_fields())
            note = " Calendars will show the new time or place." if moved else ""
            messages.success(request, f"Changes saved.{note}")
            return redirect(session)
        status = 429
    return render(
        request,
        "sessions_app/organize/session_form.html",
        {"form": form, "session": session},
        status=status,
    )


@organizer_required
@require_POST
def session_publish_view(request: HttpRequest, slug: str) -> HttpResponse:
    session = _get_session_for_organizer(slug)
    if ConfirmForm(request.POST).is_valid() and session.is_draft:
        if not organizer_notify_allowed(request):
            return render(request, "429.html", status=429)
        session_publish(session=session)
        messages.success(
            request, f"{_named(session)} is published.{_announced(session)}{_no_topic(session)}"
        )
    return redirect(session)


@organizer_required
def session_cancel_view(request: HttpRequest, slug: str) -> HttpResponse:
    session = _get_session_for_organizer(slug)
    if session.is_cancelled:
        messages.info(request, "This session is already cancelled.")
        return redirect(session)
    form = CancelSessionForm(request.POST or None)
    status = _status(form)
    if request.method == "POST" and form.is_valid():
        if not _limited(request, form):
            session_cancel(session=session, reason=form.cleaned_data["reason"])
            messages.success(request, f"{_named(session)} is cancelled.")
            return redirect(session)
        status = 429
    return render(
        request,
        "sessions_app/organize/session_cancel.html",
        {"form": form, "session": session},
        status=status,
    )


# Series


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
    status = _status(form)
    if request.method == "POST" and form.is_valid() and _limited(request, form):
        status = 429
    elif request.method == "POST" and form.is_valid():
        until = publish_horizon(form.cleaned_data["months"])
        result = series_publish(series=series, until=until)
        announced = _announced(result.created[0]) if result.created else ""
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


def _announced(session: Session) -> str:
    """ " Announcement queued for 1,234 people." after a publish that announced it."""
    fanout = latest_fanout(MailKind.SESSIONS_ANNOUNCED, f"session:{session.pk}")
    if fanout is None or not fanout.planned:
        return ""
    people = "person" if fanout.planned == 1 else "people"
    return f" Announcement queued for {fanout.planned:,} {people}."


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _publish_summary(result: PublishResult, until: date) -> str:
    parts = [f"{_count(len(result.created), 'new session')} published through {until:%B %-d, %Y}"]
    if result.updated:
        parts.append(f"{_count(len(result.updated), 'upcoming session')} moved to fit the rotation")
    if result.left_alone:
        parts.append(f"{_count(result.left_alone, 'edited or cancelled session')} left as is")
    return "; ".join(parts) + "."
