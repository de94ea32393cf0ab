"""An organizer writes to the people of one session: preview, then send."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from cop_portal.lib.roles import organizer_required
from sessions_app.attendee_messages import MessagePreview, preview, sent_messages
from sessions_app.forms.attendee_messages import AttendeeMessageForm
from sessions_app.models import Session
from sessions_app.services.attendee_messages import DRAFT_REFUSED, attendee_message_send
from sessions_app.views.organizer_helpers import form_status, over_organizer_limit

TEMPLATE = "sessions_app/organize/session_message.html"


def _get_session_for_organizer(slug: str) -> Session:
    return get_object_or_404(Session.objects.select_related("venue", "series"), slug=slug)


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count:,} people"


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def session_message(request: HttpRequest, slug: str) -> HttpResponse:
    session = _get_session_for_organizer(slug)
    form = AttendeeMessageForm(request.POST or None, session=session)
    status = form_status(form)
    shown: MessagePreview | None = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        shown = preview(
            session,
            sender_name=request.user.display_name,
            audience=data["audience"],
            attending=data["attend_as"],
            subject=data["subject"],
            body=data["body"],
        )
        if form.sending and shown.count and over_organizer_limit(request, form):
            status = 429
        elif form.sending:
            try:
                dispatch = attendee_message_send(
                    session=session,
                    sender=request.user,
                    audience=data["audience"],
                    attend_as=data["attend_as"],
                    subject=data["subject"],
                    body=data["body"],
                )
            except ValidationError as error:
                form.add_error("audience", error)
                status = 400
            else:
                messages.success(
                    request, f"Your message is on its way to {_people(dispatch.planned)}."
                )
                return redirect("sessions:session-message", slug=session.slug)
    context = {
        "session": session,
        "form": form,
        "preview": shown,
        "refused": DRAFT_REFUSED if session.is_draft else "",
        "sent": sent_messages(session),
    }
    return render(request, TEMPLATE, context, status=status)
