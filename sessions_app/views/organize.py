"""Organizer pages for single sessions: creating, editing, publishing, cancelling.

Series and their rotation are in views/series.py."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from cop_portal.lib.dates import date_as
from cop_portal.lib.roles import organizer_required
from cop_portal.mail.compose import Preview
from cop_portal.mail.kinds import MailKind
from sessions_app.forms.notify import NotifyForm
from sessions_app.forms.sessions import (
    CancelSessionForm,
    ConfirmForm,
    SessionForm,
    default_session_initial,
)
from sessions_app.models import Session, SessionStatus
from sessions_app.notifications import preview_email
from sessions_app.notify_choice import (
    EditPlan,
    NotifyAudience,
    Told,
    people,
    plan_edit,
    who_is_told,
)
from sessions_app.rate_limits import organizer_notify_allowed
from sessions_app.selectors import organizer_sessions_page
from sessions_app.services.sessions import (
    session_cancel,
    session_create,
    session_publish,
    session_update,
)
from sessions_app.session_changes import edited, snapshot, title_for
from sessions_app.views.organizer_helpers import (
    announced_note,
    form_status,
    get_session_for_organizer,
    over_organizer_limit,
)


def _named(session: Session) -> str:
    """The session as a message names it: by its topic, or by series and date."""
    if session.has_topic:
        return f"“{session.headline}”"
    return _("The %(series)s session on %(day)s") % {
        "series": session.title,
        "day": date_as(session.local_starts_at, "DAY_MONTH"),
    }


def _no_topic(session: Session) -> str:
    """A nudge when a session goes out without saying what it's about."""
    if session.has_topic:
        return ""
    return " " + _("It has no topic yet: edit it to add one, so people know what it's about.")


# Sessions


@organizer_required
@require_safe
def session_admin_list(request: HttpRequest) -> HttpResponse:
    page = organizer_sessions_page(request.GET.get("page"), per_page=50)
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
        done = (
            _("%(session)s was published.") if publish else _("%(session)s was saved as a draft.")
        )
        messages.success(request, done % {"session": _named(session)} + announced_note(session))
        return redirect(session)
    return render(
        request, "sessions_app/organize/session_form.html", {"form": form}, status=form_status(form)
    )


@organizer_required
def session_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit a session. A change that would email people (time, place, mode, topic, a new
    link, at a published session with RSVPs) is not saved at once: the same URL answers
    with a review step (what changes, who would be told, the email) where the organizer
    chooses who gets it; the form's values travel in hidden fields and are checked again."""
    session = get_session_for_organizer(slug)
    form = SessionForm(request.POST or None, session=session)
    if request.method != "POST" or not form.is_valid():
        return _edit_form(request, session, form, status=form_status(form))
    plan = plan_edit(session, form.session_fields())
    if plan.told is None or not plan.asks:
        return _save_edit(request, session, form, plan, NotifyAudience.EVERYONE, "")
    if "step" not in request.POST:  # the form's own Save button: review first
        return _review(request, session, form, plan, _notify_form(None, plan.told, EDIT_QUIETLY))
    notify_form = _notify_form(request.POST, plan.told, EDIT_QUIETLY)
    if not notify_form.is_valid():
        return _review(request, session, form, plan, notify_form, status=400)
    step = notify_form.cleaned_data["step"]
    if step == NotifyForm.BACK:
        return _edit_form(request, session, form, status=200)
    if step == NotifyForm.PREVIEW:
        return _review(request, session, form, plan, notify_form)
    audience, note = notify_form.chosen, notify_form.note_text
    if plan.told.number(audience) and over_organizer_limit(request, notify_form):
        return _review(request, session, form, plan, notify_form, status=429)
    return _save_edit(request, session, form, plan, audience, note)


EDIT_QUIETLY = gettext_lazy("save without emailing")
CANCEL_QUIETLY = gettext_lazy("cancel without emailing")
SAVE_AND_NOTIFY = gettext_lazy("Save and notify %(people)s")
CANCEL_AND_NOTIFY = gettext_lazy("Cancel and notify %(people)s")


def _notify_form(data: QueryDict | None, told: Told, quietly: str) -> NotifyForm:
    return NotifyForm(data, told=told, quietly=quietly)


def _edit_form(
    request: HttpRequest, session: Session, form: SessionForm, *, status: int
) -> HttpResponse:
    return render(
        request,
        "sessions_app/organize/session_form.html",
        {"form": form, "session": session},
        status=status,
    )


def _review(
    request: HttpRequest,
    session: Session,
    form: SessionForm,
    plan: EditPlan,
    notify_form: NotifyForm,
    *,
    status: int = 200,
) -> HttpResponse:
    """The review step: what changes, who would be told, and the email they would get."""
    assert plan.told is not None
    preview = preview_email(
        MailKind.SESSION_CHANGED,
        plan.after,
        member=request.user,
        online=plan.news.link_only or not plan.after.in_room,
        before=snapshot(session),
        note=notify_form.note_text,
    )
    return render(
        request,
        "sessions_app/organize/session_review.html",
        {
            "form": form,
            "session": session,
            "plan": plan,
            "change_title": title_for(plan.changes),
            "notify_form": notify_form,
            "buttons": plan.told.button_labels(notify=str(SAVE_AND_NOTIFY), quietly=EDIT_QUIETLY),
            "preview": preview,
        },
        status=status,
    )


def _save_edit(
    request: HttpRequest,
    session: Session,
    form: SessionForm,
    plan: EditPlan,
    audience: str,
    note: str,
) -> HttpResponse:
    moved = session_update(
        session=session, fields=form.session_fields(), audience=NotifyAudience(audience), note=note
    )
    told = plan.told.number(audience) if plan.told else 0
    parts = [_("Changes saved.")]
    if told:
        parts.append(_("%(people)s will get an email about it.") % {"people": people(told)})
    else:
        parts.append(_("Nobody was emailed."))
    if moved:
        parts.append(_("Calendars will show the new time or place."))
    messages.success(request, " ".join(parts))
    return redirect(session)


@organizer_required
@require_POST
def session_publish_view(request: HttpRequest, slug: str) -> HttpResponse:
    session = get_session_for_organizer(slug)
    if ConfirmForm(request.POST).is_valid() and session.is_draft:
        if not organizer_notify_allowed(request):
            return render(request, "429.html", status=429)
        session_publish(session=session)
        messages.success(
            request,
            _("%(session)s is published.") % {"session": _named(session)}
            + announced_note(session)
            + _no_topic(session),
        )
    return redirect(session)


@organizer_required
def session_cancel_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Cancel a session, saying first who will be told, with a choice of who gets the
    email, a note, and a preview of the email (which saves nothing)."""
    session = get_session_for_organizer(slug)
    if session.is_cancelled:
        messages.info(request, _("This session is already cancelled."))
        return redirect(session)
    told = who_is_told(session)
    data = request.POST if request.method == "POST" else None
    form = CancelSessionForm(data)
    notify_form = _notify_form(data, told, CANCEL_QUIETLY)
    status = form_status(form, notify_form)
    preview = None
    if request.method == "POST" and form.is_valid() and notify_form.is_valid():
        audience, note = notify_form.chosen, notify_form.note_text
        if notify_form.cleaned_data["step"] != NotifyForm.SAVE:
            preview = _cancel_preview(request, session, form.cleaned_data["reason"], note)
        elif told.number(audience) and over_organizer_limit(request, form):
            status = 429
        else:
            session_cancel(
                session=session,
                reason=form.cleaned_data["reason"],
                audience=NotifyAudience(audience),
                note=note,
            )
            number = told.number(audience)
            emailed = (
                _("%(people)s will get an email.") % {"people": people(number)}
                if number
                else _("Nobody was emailed.")
            )
            messages.success(
                request,
                _("%(session)s is cancelled.") % {"session": _named(session)} + " " + emailed,
            )
            return redirect(session)
    return render(
        request,
        "sessions_app/organize/session_cancel.html",
        {
            "form": form,
            "notify_form": notify_form,
            "session": session,
            "told": told,
            "buttons": told.button_labels(notify=str(CANCEL_AND_NOTIFY), quietly=CANCEL_QUIETLY),
            "preview": preview,
            "cancelling": True,
        },
        status=status,
    )


def _cancel_preview(request: HttpRequest, session: Session, reason: str, note: str) -> Preview:
    """The cancellation email as someone going would get it, the session not yet touched."""
    cancelled = edited(session, {"status": SessionStatus.CANCELLED, "cancellation_reason": reason})
    return preview_email(
        MailKind.SESSION_CANCELLED,
        cancelled,
        member=request.user,
        online=not session.in_room,
        note=note,
    )
