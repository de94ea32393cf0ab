"""One-click unsubscribe, from a link in any email or from the mail client itself.

The signed token in the URL names the address and the kind of email; it is the only
authentication, so the page works for guests and for members who are signed out.
Mail clients that honour `List-Unsubscribe-Post` (RFC 8058) POST the body
`List-Unsubscribe=One-Click` with no cookies and no CSRF token: that exact body is
accepted without one. Every other POST comes from the page's own form and must carry
a CSRF token, so no other site can switch someone's emails on or off.
"""

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from cop_portal.mail import preferences as email_prefs
from cop_portal.mail.models import Preference

ONE_CLICK_FIELD = "List-Unsubscribe"
ONE_CLICK_VALUE = "One-Click"


class SubscriptionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("unsubscribe", _("Unsubscribe")), ("resubscribe", _("Re-subscribe"))]
    )


class OneClickForm(forms.Form):
    """The RFC 8058 body, `List-Unsubscribe=One-Click`, and nothing else."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Not a Python name, so added here rather than declared on the class.
        self.fields[ONE_CLICK_FIELD] = forms.ChoiceField(
            choices=[(ONE_CLICK_VALUE, ONE_CLICK_VALUE)]
        )

    def clean(self) -> dict[str, Any] | None:
        if list(self.data.lists()) != [(ONE_CLICK_FIELD, [ONE_CLICK_VALUE])]:
            raise forms.ValidationError("Not a one-click unsubscribe request.")
        return super().clean()


def _is_one_click(request: HttpRequest) -> bool:
    return OneClickForm(request.POST).is_valid()


def _page(
    request: HttpRequest, template: str, address: str, kind: Preference, token: str, **extra: object
) -> HttpResponse:
    context = {
        "token": token,
        "kind": kind,
        "what": kind.label,
        "masked_address": email_prefs.mask(address),
        **extra,
    }
    return render(request, template, context)


def _bad_link(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/unsubscribe.html", {"invalid": True}, status=400)


@csrf_protect
def _change(request: HttpRequest, token: str, address: str, kind: Preference) -> HttpResponse:
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        return render(request, "400.html", status=400)
    if form.cleaned_data["action"] == "resubscribe":
        email_prefs.set_preference(address, kind, True)
        return _page(
            request, "pages/unsubscribe.html", address, kind, token, subscribed=True, welcome=True
        )
    email_prefs.set_preference(address, kind, False)
    return _page(request, "pages/unsubscribed.html", address, kind, token)


@csrf_exempt  # checked below, for every POST but the one-click body
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        address, kind = email_prefs.read_unsubscribe_token(token)
    except email_prefs.InvalidToken:
        return _bad_link(request)
    if request.method != "POST":
        # Looking is harmless: link scanners fetch every URL in an email.
        subscribed = email_prefs.wants_email(address, kind)
        return _page(request, "pages/unsubscribe.html", address, kind, token, subscribed=subscribed)
    if _is_one_click(request):
        email_prefs.set_preference(address, kind, False)
        return _page(request, "pages/unsubscribed.html", address, kind, token)
    return _change(request, token, address, kind)
