"""Attendance pages: the organizers' RSVP list and CSV, check-in at the door, and the
public drop-in self check-in reached from the QR code."""

from django.conf import settings
from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe
from django_ratelimit.core import is_ratelimited

from cop_portal.lib.roles import organizer_required
from sessions_app.charts import qr_code_svg
from sessions_app.forms.attendance import (
    CheckInForm,
    DoorSearchForm,
    SelfCheckInForm,
    SelfCheckInMeForm,
    SelfCheckInStepForm,
    WalkInForm,
    WalkInRemoveForm,
)
from sessions_app.models import AttendAs, CheckInBy, Rsvp, Session, SessionStatus, WalkIn
from sessions_app.selectors import (
    REMEMBERED_TOKENS_KEY,
    PlaceCounts,
    attendee_groups,
    door_list,
    forget_token,
    places_left_from,
    remembered_tokens,
    rsvp_of_token,
    rsvp_of_visitor,
)
from sessions_app.services.attendance import (
    check_in_opens_message,
    door_check_in_is_open,
    member_self_check_in,
    rsvp_check_in,
    rsvp_self_check_in,
    self_check_in_closed_message,
    self_check_in_code,
    self_check_in_create,
    self_check_in_is_open,
    self_check_in_window,
    session_pk_from_code,
    walk_in_add,
    walk_in_remove,
)
from sessions_app.stats import with_attendance


def _get_session_for_organizer(slug: str) -> Session:
    """The session with its attendance counts (see stats.with_attendance), in one query."""
    return get_object_or_404(with_attendance(Session.objects.select_related("venue")), slug=slug)


def _counts(session: Session) -> dict[str, object]:
    counts = PlaceCounts(
        in_person=session.going_in_person_count,
        online=session.going_online_count,
        waitlisted=session.waitlisted_count,
    )
    return {
        "counts": counts,
        "seats_left": places_left_from(session, counts, AttendAs.IN_PERSON),
        "online_left": places_left_from(session, counts, AttendAs.ONLINE),
    }


@organizer_required
@require_safe
def session_attendees(request: HttpRequest, slug: str) -> HttpResponse:
    session = _get_session_for_organizer(slug)
    context = {"session": session, "groups": attendee_groups(session), **_counts(session)}
    return render(request, "sessions_app/attendance/attendees.html", context)


# Check-in at the door


def _self_check_in_url(session: Session) -> str:
    path = reverse(
        "sessions:self-check-in",
        kwargs={"slug": session.slug, "code": self_check_in_code(session)},
    )
    return f"{settings.SITE_URL}{path}"


def _qr_panel(session: Session) -> dict[str, object]:
    """The QR code for the door, for published sessions only: a draft's code would let
    people check in to something nobody may see yet, and a cancelled one has no door."""
    if session.status != SessionStatus.PUBLISHED:
        return {"qr_code": None}
    url = _self_check_in_url(session)
    opens, closes = self_check_in_window(session)
    return {
        "self_check_in_url": url,
        "qr_code": qr_code_svg(
            url, label=_("QR code: self check-in for %(session)s") % {"session": session.headline}
        ),
        "self_check_in_opens": opens,
        "self_check_in_closes": closes,
    }


def _check_in_action(session: Session) -> str:
    """The door rows' form address without the RSVP's id and its closing slash: the rows
    add them, so that a long list resolves the URL once, not once a row."""
    url = reverse("sessions:rsvp-check-in", kwargs={"slug": session.slug, "rsvp_id": 0})
    return url.removesuffix("0/")


def _render_check_in(
    request: HttpRequest,
    session: Session,
    walk_in_form: WalkInForm,
    *,
    status: int = 200,
    refusal: str = "",
) -> HttpResponse:
    search = DoorSearchForm(request.GET)
    context = {
        "session": session,
        "door": door_list(session=session, query=search.query()),
        "search_form": search,
        "walk_in_form": walk_in_form,
        "check_in_open": door_check_in_is_open(session),
        "check_in_opens": check_in_opens_message(session),
        "refusal": refusal,
        "check_in_action": _check_in_action(session),
        **_qr_panel(session),
    }
    return render(request, "sessions_app/attendance/check_in.html", context, status=status)


def _too_early(request: HttpRequest, session: Session) -> HttpResponse:
    """A check-in posted before check-in opens (an old tab, a made-up request): 400."""
    refusal = _("Too early: nothing was saved.") + " " + check_in_opens_message(session)
    return _render_check_in(request, session, WalkInForm(), status=400, refusal=refusal)


@organizer_required
def session_check_in(request: HttpRequest, slug: str) -> HttpResponse:
    """The door list (GET ?q= searches it). A POST here adds walk-ins; the row buttons post
    to rsvp_check_in_view."""
    session = _get_session_for_organizer(slug)
    form = WalkInForm(request.POST or None)
    if request.method == "POST":
        if not door_check_in_is_open(session):
            return _too_early(request, session)
        if not form.is_valid():
            return _render_check_in(request, session, form, status=400)
        walk_in = walk_in_add(session=session, **form.cleaned_data)
        added = ngettext(
            "Added %(count)s walk-in person.", "Added %(count)s walk-in people.", walk_in.count
        )
        messages.success(request, added % {"count": intcomma(walk_in.count)})
        return redirect("sessions:session-check-in", slug=session.slug)
    return _render_check_in(request, session, form)


@organizer_required
@require_POST
def rsvp_check_in_view(request: HttpRequest, slug: str, rsvp_id: int) -> HttpResponse:
    """A row's button on the door list: checked in at the door, or undone (any time)."""
    rsvp = get_object_or_404(
        Rsvp.objects.select_related("session").active(), pk=rsvp_id, session__slug=slug
    )
    form = CheckInForm(request.POST)
    if form.is_valid():
        if form.checked_in and not door_check_in_is_open(rsvp.session):
            return _too_early(request, _get_session_for_organizer(slug))
        rsvp = rsvp_check_in(rsvp=rsvp, checked_in=form.checked_in, by=CheckInBy.DOOR)
        done = (
            _("%(name)s is checked in.")
            if form.checked_in
            else _("%(name)s is no longer checked in.")
        )
        messages.success(request, done % {"name": rsvp.display_name})
    url = reverse("sessions:session-check-in", kwargs={"slug": slug})
    return redirect(f"{url}#rsvp-{rsvp.pk}")


@organizer_required
@require_POST
def walk_in_delete_view(request: HttpRequest, slug: str, walk_in_id: int) -> HttpResponse:
    walk_in = get_object_or_404(WalkIn, pk=walk_in_id, session__slug=slug)
    if WalkInRemoveForm(request.POST).is_valid():
        walk_in_remove(walk_in=walk_in)
        removed = (
            _("Removed %(name)s (%(count)s).")
            if walk_in.name
            else _("Removed the walk-in (%(count)s).")
        )
        messages.success(request, removed % {"name": walk_in.name, "count": walk_in.count})
    return redirect("sessions:session-check-in", slug=slug)


# Self check-in: public, reached by scanning the QR code at the door


def _get_session_from_code(slug: str, code: str) -> Session:
    """404 unless the signed code was made for exactly this session."""
    pk = session_pk_from_code(code)
    if pk is None:
        raise Http404(_("This check-in link is not valid."))
    return get_object_or_404(Session.objects.public().select_related("venue"), pk=pk, slug=slug)


def _visitor(request: HttpRequest, session: Session) -> Rsvp | None:
    """Whose RSVP the page is for: the one the manage page's button names (by its token),
    else the signed-in member's or a remembered guest link's (see rsvp_of_visitor)."""
    sent = SelfCheckInMeForm(request.POST if request.method == "POST" else None)
    if sent.is_valid() and sent.cleaned_data["token"]:
        return rsvp_of_token(session=session, token=sent.cleaned_data["token"])
    tokens = remembered_tokens(request.session.get(REMEMBERED_TOKENS_KEY))
    return rsvp_of_visitor(session=session, user=request.user, tokens=tokens)


def _forget(request: HttpRequest, rsvp: Rsvp | None = None) -> None:
    """Forget one remembered private link (checked in now), or all of them ("Not you?")."""
    saved = request.session.get(REMEMBERED_TOKENS_KEY)
    if saved is None:
        return
    if rsvp is None:
        del request.session[REMEMBERED_TOKENS_KEY]
    elif rsvp.token in remembered_tokens(saved):
        request.session[REMEMBERED_TOKENS_KEY] = forget_token(saved, rsvp.token)


def self_check_in(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The QR code's page. It recognizes a signed-in member, or a guest whose private link
    was opened in this browser on the day, and offers them one button for their own RSVP,
    and "Not you?" for the next person on a shared phone; anyone else gives a name (and
    perhaps their RSVP's address). GET changes nothing."""
    session = _get_session_from_code(slug, code)
    member = request.user if request.user.is_authenticated else None
    posted = request.POST if request.method == "POST" else None
    visitor = _visitor(request, session)
    recognized = member is not None or visitor is not None
    step = SelfCheckInStepForm(posted).chosen(recognized=recognized)
    me = recognized and step == SelfCheckInStepForm.ME
    form = SelfCheckInMeForm(posted) if me else SelfCheckInForm(posted)
    context = {
        "session": session,
        "form": form,
        "member": member if me else None,
        "mine": visitor if me else None,
        "is_open": self_check_in_is_open(session),
        "closed_message": self_check_in_closed_message(session),
    }
    template = "sessions_app/attendance/self_check_in.html"
    if posted is None:
        return render(request, template, context)
    if step == SelfCheckInStepForm.NOT_ME:
        _forget(request)
        return render(request, template, {**context, "form": SelfCheckInForm()})
    rate = settings.SELF_CHECK_IN_RATE
    if is_ratelimited(request, group="self-checkin", key="ip", rate=rate, increment=True):
        return render(request, "sessions_app/attendance/self_check_in_limited.html", status=429)
    if not (context["is_open"] and form.is_valid()):
        return render(request, template, context, status=400)
    try:
        if me and visitor is not None:
            rsvp_self_check_in(rsvp=visitor)
            _forget(request, visitor)
        elif me:
            member_self_check_in(session=session, user=member)
        else:
            self_check_in_create(session=session, **form.cleaned_data)
    except ValidationError:
        context["is_open"] = False  # the window closed between the two checks
        context["closed_message"] = self_check_in_closed_message(session)
        return render(request, template, context, status=400)
    return redirect("sessions:self-check-in-thanks", slug=slug, code=code)


@require_safe
def self_check_in_thanks(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The same page whoever checked in and whatever their name matched: it never says
    whose RSVP a typed address or name found."""
    session = _get_session_from_code(slug, code)
    return render(
        request, "sessions_app/attendance/self_check_in_thanks.html", {"session": session}
    )
