"""The pages about personal calendar feeds: the address, how to subscribe, a new address.

Members reach theirs from the dashboard; guests from an RSVP's manage page, whose
token proves they hold that guest address's emails.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from cop_portal.lib.urls import absolute_url
from sessions_app.calendar_apps import calendar_app_name, subscribe_links
from sessions_app.forms.feeds import FeedOptionsForm, NewAddressForm
from sessions_app.models import FeedToken
from sessions_app.services.feed_tokens import (
    feed_token_for_guest,
    feed_token_for_member,
    feed_token_regenerate,
    feed_token_set_include_all,
)
from sessions_app.views.rsvps import rsvp_for_token

RENEWED = _(
    "Your calendar feed has a new address. The old one has stopped working: "
    "subscribe again with the new address below, and remove the old calendar."
)


def _feed_context(token: FeedToken, **extra: Any) -> dict[str, Any]:
    return {
        "token": token,
        "feed": subscribe_links(absolute_url(token.get_absolute_url())),
        "fetched_by": calendar_app_name(token.last_fetched_by),
        "renew_form": NewAddressForm(),
        **extra,
    }


def _no_referrer(response: HttpResponse) -> HttpResponse:
    """The page's own address may hold a token; links out must not carry it."""
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
@login_required
def my_calendar(request: HttpRequest) -> HttpResponse:
    token = feed_token_for_member(user=request.user)
    context = _feed_context(
        token,
        options_form=FeedOptionsForm(instance=token),
        renew_url=reverse("sessions:my-calendar-renew"),
    )
    return render(request, "sessions_app/my_calendar.html", context)


@require_POST
@login_required
def my_calendar_options(request: HttpRequest) -> HttpResponse:
    token = feed_token_for_member(user=request.user)
    form = FeedOptionsForm(request.POST, instance=token)
    if form.is_valid():
        feed_token_set_include_all(token=token, include_all=form.cleaned_data["include_all"])
        if token.include_all:
            messages.success(request, gettext("Your feed now shows every session."))
        else:
            messages.success(
                request, gettext("Your feed now shows only the sessions you answered for.")
            )
    return redirect("sessions:my-calendar")


@require_POST
@login_required
def my_calendar_renew(request: HttpRequest) -> HttpResponse:
    if NewAddressForm(request.POST).is_valid():
        feed_token_regenerate(token=feed_token_for_member(user=request.user))
        messages.success(request, RENEWED)
    return redirect("sessions:my-calendar")


@require_safe
def guest_calendar(request: HttpRequest, token: str) -> HttpResponse:
    rsvp = rsvp_for_token(token)
    if not rsvp.is_guest:
        return redirect("sessions:my-calendar")
    feed_token = feed_token_for_guest(email=rsvp.email)
    context = _feed_context(
        feed_token,
        rsvp=rsvp,
        renew_url=reverse("sessions:guest-calendar-renew", kwargs={"token": rsvp.token}),
    )
    return _no_referrer(render(request, "sessions_app/my_calendar.html", context))


@require_POST
def guest_calendar_renew(request: HttpRequest, token: str) -> HttpResponse:
    rsvp = rsvp_for_token(token)
    if not rsvp.is_guest:
        return redirect("sessions:my-calendar")
    if NewAddressForm(request.POST).is_valid():
        feed_token_regenerate(token=feed_token_for_guest(email=rsvp.email))
        messages.success(request, RENEWED)
    return redirect("sessions:guest-calendar", token=rsvp.token)
