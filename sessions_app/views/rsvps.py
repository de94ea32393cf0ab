"""RSVPs: answering from the session page, and the private manage page.

The manage page's address carries a 256-bit token: whoever has the link (the guest,
from their confirmation email) can change or cancel that one RSVP, no log-in needed.
The link is only ever sent to the guest's address: answering the form again with the
same address gives the same "check your email" answer as a first RSVP.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import ordinal
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from cop_portal.lib.roles import is_organizer
from sessions_app.forms.rsvps import ConfirmForm, GuestRsvpForm, MemberRsvpForm, RsvpForm
from sessions_app.models import Rsvp, Session, SessionStatus
from sessions_app.rate_limits import rsvp_change_allowed, rsvp_create_allowed
from sessions_app.selectors import (
    REMEMBERED_TOKENS_KEY,
    forget_token,
    remember_token,
    rsvp_counts,
    waitlist_position,
)
from sessions_app.services.attendance import CheckInOffer, check_in_offer
from sessions_app.services.rsvps import Guest, rsvp_cancel, rsvp_change, rsvp_create
from sessions_app.views.session_page import add_to_calendar


def _session_for_rsvp(request: HttpRequest, slug: str) -> Session:
    session = get_object_or_404(Session.objects.for_listing(), slug=slug)
    if session.is_draft and not is_organizer(request.user):
        raise Http404("No such session.")
    return session


TOO_MANY = gettext_lazy("Too many RSVP changes from here in a short time. Please try again later.")


def _session_page(
    request: HttpRequest, session: Session, form: RsvpForm, status: int
) -> HttpResponse:
    from sessions_app.views.public import session_page_context

    context = session_page_context(request, session, form=form)
    return render(request, "sessions_app/session_detail.html", context, status=status)


@require_POST
def rsvp_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    session = _session_for_rsvp(request, slug)
    counts = rsvp_counts(session)
    member = request.user.is_authenticated
    form_class = MemberRsvpForm if member else GuestRsvpForm
    form = form_class(request.POST, session=session, counts=counts)
    if not session.is_open_for_rsvp:
        # A closed session's page has no RSVP form to show an error in: say it at the top.
        messages.error(request, _closed_message(session))
        return _session_page(request, session, form, status=400)
    if not form.is_valid():
        return _session_page(request, session, form, status=400)
    # Counted once the form is valid: a refused form sends no email.
    if not rsvp_create_allowed(request, guest_email=form.cleaned_data.get("email", "")):
        form.add_error(None, _("Too many RSVPs from here in a short time. Please try again later."))
        return _session_page(request, session, form, status=429)
    attend_as, waitlist_ok = form.choice()
    data = form.cleaned_data
    try:
        rsvp, _created = rsvp_create(
            session=session,
            attend_as=attend_as,
            waitlist_ok=waitlist_ok,
            user=request.user if member else None,
            guest=None if member else Guest(data["name"], data["email"], data["organization"]),
            listed=data.get("listed", False),
            language=request.LANGUAGE_CODE,
        )
    except ValidationError as error:
        form.add_error(None, error.messages)
        return _session_page(request, session, form, status=409)
    if member:
        messages.success(request, _status_message(rsvp))
        return redirect(session)
    # The same answer whether the address is new here or already has an RSVP: typing
    # an address proves nothing, so its RSVP is only ever reached through the email.
    messages.info(
        request,
        _("We sent the details and your private link to %(email)s.") % {"email": data["email"]},
    )
    return redirect("sessions:rsvp-sent", slug=session.slug)


@require_safe
@never_cache
def rsvp_sent(request: HttpRequest, slug: str) -> HttpResponse:
    """After a guest RSVP: check your email (the private link is only sent there)."""
    session = _session_for_rsvp(request, slug)
    context = {"session": session, "add_to_calendar": add_to_calendar(session)}
    return render(request, "sessions_app/rsvp_sent.html", context)


def _closed_message(session: Session) -> str:
    if session.is_cancelled:
        return _("This session is cancelled, so it no longer takes RSVPs.")
    if session.is_draft:
        return _("This session isn't published yet.")
    return _("This session is over. See the upcoming sessions for the next one.")


def _status_message(rsvp: Rsvp) -> str:
    if rsvp.is_going:
        if rsvp.attend_as == "in-person":
            return _("You're coming in person. See you there!")
        return _("You're coming online. See you there!")
    position = ordinal(waitlist_position(rsvp))
    return _("You're %(position)s on the waitlist. We'll email you if a place opens up.") % {
        "position": position
    }


def rsvp_for_token(token: str) -> Rsvp:
    if len(token) > 64:
        raise Http404("No such RSVP.")
    return get_object_or_404(Rsvp.objects.select_related("session__venue", "user"), token=token)


def _back(request: HttpRequest, rsvp: Rsvp) -> HttpResponse:
    """Back where the form was (if it says so), else the session page for members
    and the manage page for guests."""
    target = request.POST.get("next", "")
    # A path on this site only: redirect() would try to reverse any other text as a
    # view name, and fail.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(rsvp.session if not rsvp.is_guest else rsvp)


def _manage_page(
    request: HttpRequest,
    rsvp: Rsvp,
    *,
    status: int = 200,
    check_in: CheckInOffer | None = None,
) -> HttpResponse:
    session = rsvp.session
    counts = rsvp_counts(session)
    form = (
        RsvpForm(session=session, counts=counts, current=rsvp.attend_as)
        if rsvp.is_active and session.is_open_for_rsvp
        else None
    )
    context = {
        "rsvp": rsvp,
        "session": session,
        "form": form,
        "position": waitlist_position(rsvp),
        # An in-person guest at a hybrid session who changes to online gets it here then.
        "show_joining": rsvp.may_join_online,
        # Nothing to put in a calendar once the RSVP or the session is cancelled, or over.
        "add_to_calendar": add_to_calendar(session) if rsvp.is_active else None,
        "check_in": check_in,
    }
    return render(request, "sessions_app/rsvp_manage.html", context, status=status)


@require_safe
def rsvp_manage(request: HttpRequest, token: str) -> HttpResponse:
    """The private link's page. On the day (while self check-in is open) it has a "Check
    in" button, and this browser remembers the link until that RSVP is checked in, so the
    QR code at the door recognizes the guest. Only then: a link opened days before on a
    shared computer or tablet must not greet the next person at the door as this guest."""
    rsvp = rsvp_for_token(token)
    offer = check_in_offer(rsvp)
    saved = request.session.get(REMEMBERED_TOKENS_KEY)
    if offer is not None and offer.checked_in_at is None:
        remembered = remember_token(saved, rsvp.token)
    else:
        remembered = forget_token(saved, rsvp.token)
    if remembered != (saved or []):
        request.session[REMEMBERED_TOKENS_KEY] = remembered
    return _manage_page(request, rsvp, check_in=offer)


def _too_many(request: HttpRequest, rsvp: Rsvp) -> HttpResponse:
    """Each change emails the person: past the per-sender limit, nothing is saved."""
    messages.error(request, TOO_MANY)
    return _manage_page(request, rsvp, status=429)


@require_POST
def rsvp_change_view(request: HttpRequest, token: str) -> HttpResponse:
    rsvp = rsvp_for_token(token)
    if not rsvp_change_allowed(request):
        return _too_many(request, rsvp)
    session = rsvp.session
    form = RsvpForm(
        request.POST, session=session, counts=rsvp_counts(session), current=rsvp.attend_as
    )
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("how", [_("Choose how you will join.")])))
        return _back(request, rsvp)
    attend_as, waitlist_ok = form.choice()
    try:
        rsvp = rsvp_change(
            rsvp=rsvp,
            attend_as=attend_as,
            waitlist_ok=waitlist_ok,
            language=request.LANGUAGE_CODE,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(request, rsvp)
    messages.success(request, _status_message(rsvp))
    return _back(request, rsvp)


@require_POST
def rsvp_cancel_view(request: HttpRequest, token: str) -> HttpResponse:
    rsvp = rsvp_for_token(token)
    if not rsvp_change_allowed(request):
        return _too_many(request, rsvp)
    if ConfirmForm(request.POST).is_valid():
        rsvp_cancel(rsvp=rsvp)
        messages.success(
            request, _("Your RSVP is cancelled. Thanks for letting us know; come another time!")
        )
    return _back(request, rsvp)


@login_required
@require_safe
def my_rsvps(request: HttpRequest) -> HttpResponse:
    """The member's upcoming answers (with joining details and waitlist places) and history."""
    mine = Rsvp.objects.filter(user=request.user).select_related("session__venue")
    upcoming = list(
        mine.active()
        .filter(session__ends_at__gt=timezone.now())
        .exclude(session__status=SessionStatus.DRAFT)
        .order_by("session__starts_at")
        .with_waitlist_positions()
    )
    past = (
        mine.going()
        .filter(session__ends_at__lte=timezone.now())
        .exclude(session__status=SessionStatus.DRAFT)
        .order_by("-session__starts_at")[:20]
    )
    rows = [(rsvp, rsvp.waitlist_position) for rsvp in upcoming]
    return render(request, "sessions_app/my_rsvps.html", {"rows": rows, "past": past})
