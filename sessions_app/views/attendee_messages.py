"""An organizer writes to the people of one session: preview, then send."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cop_portal.lib.roles import organizer_required
from sessions_app.attendee_messages import MessagePreview, preview, sent_messages
from sessions_app.forms.attendee_messages import AttendeeMessageForm
from sessions_app.models import Session
from sessions_app.notify_choice import people
from sessions_app.services.attendee_messages import DRAFT_REFUSED, attendee_message_send
from sessions_app.views.organizer_helpers import (
    form_status,
    get_session_for_organizer,
    over_organizer_limit,
)

TEMPLATE = "sessions_app/organize/session_message.html"

# Send pressed on a preview of other words or other people than the form holds now.
CHANGED = gettext_lazy(
    "The message or the people it goes to changed since the preview, so nothing was "
    "sent. Here is the new preview: check it, then press Send again."
)


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def session_message(request: HttpRequest, slug: str) -> HttpResponse:
    session = get_session_for_organizer(slug)
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
        if form.sending and data["digest"] != shown.digest:
            form.add_error(None, CHANGED)
            status = 409
        elif form.sending:
            sent = _send(request, session, form, shown)
            if isinstance(sent, HttpResponse):
                return sent
            status = sent
    context = {
        "session": session,
        "form": form,
        "preview": shown,
        "refused": DRAFT_REFUSED if session.is_draft else "",
        "sent": sent_messages(session),
    }
    return render(request, TEMPLATE, context, status=status)


def _send(
    request: HttpRequest, session: Session, form: AttendeeMessageForm, shown: MessagePreview
) -> HttpResponse | int:
    """Send the previewed message: a redirect once it is on its way (or when it already
    was: a double click), else the status of the form that says why not."""
    if shown.count and over_organizer_limit(request, form):
        return 429
    data = form.cleaned_data
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
        if error.code != "already_sent":
            form.add_error("audience", error)
            return 400
        messages.info(request, error.message)
    else:
        messages.success(
            request,
            _("Your message is on its way to %(people)s.") % {"people": people(dispatch.planned)},
        )
    return redirect("sessions:session-message", slug=session.slug)
