"""Organizer pages for single sessions: creating, editing, publishing, cancelling.

Series and their rotation are in views/series.py."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from cop_portal.lib.roles import organizer_required
from sessions_app.forms.sessions import (
    CancelSessionForm,
    ConfirmForm,
    SessionForm,
    default_session_initial,
)
from sessions_app.models import Session
from sessions_app.rate_limits import organizer_notify_allowed
from sessions_app.services.sessions import (
    session_cancel,
    session_create,
    session_publish,
    session_update,
)
from sessions_app.stats import with_attendance
from sessions_app.views.organizer_helpers import announced_note, form_status, over_organizer_limit


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
        if publish and over_organizer_limit(request, form):
            return render(
                request, "sessions_app/organize/session_form.html", {"form": form}, status=429
            )
        session = session_create(fields=form.session_fields(), publish=publish)
        verb = "published" if publish else "saved as a draft"
        messages.success(request, f"{_named(session)} was {verb}.{announced_note(session)}")
        return redirect(session)
    return render(
        request, "sessions_app/organize/session_form.html", {"form": form}, status=form_status(form)
    )


@organizer_required
def session_edit(request: HttpRequest, slug: str) -> HttpResponse:
    session = _get_session_for_organizer(slug)
    form = SessionForm(request.POST or None, session=session)
    status = form_status(form)
    if request.method == "POST" and form.is_valid():
        if not over_organizer_limit(request, form):
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
            request, f"{_named(session)} is published.{announced_note(session)}{_no_topic(session)}"
        )
    return redirect(session)


@organizer_required
def session_cancel_view(request: HttpRequest, slug: str) -> HttpResponse:
    session = _get_session_for_organizer(slug)
    if session.is_cancelled:
        messages.info(request, "This session is already cancelled.")
        return redirect(session)
    form = CancelSessionForm(request.POST or None)
    status = form_status(form)
    if request.method == "POST" and form.is_valid():
        if not over_organizer_limit(request, form):
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
