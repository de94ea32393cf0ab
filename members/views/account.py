"""The member's own account: the settings page, download their data, delete the
account; a new member's welcome; resending the sign-up confirmation email."""

import json

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from members.export import member_data
from members.forms.account import AccountDeleteForm, VerificationResendForm, WelcomeForm
from members.forms.language import LanguageForm
from members.selectors import is_listed
from members.services.account import account_delete, verification_email_resend
from members.services.profile import profile_listing_set
from sessions_app.selectors import next_session

EXPORT_FILENAME = "cop-portal-my-data.json"


@login_required
@require_safe
@never_cache
def export(request: HttpRequest) -> HttpResponse:
    body = json.dumps(member_data(request.user), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{EXPORT_FILENAME}"'
    return response


@login_required
@reauthentication_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    """Leaving for good. allauth asks for the password (or an emailed code) again unless
    the person re-authenticated in the last few minutes: an unattended browser must not
    be enough to delete someone."""
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_delete(user=request.user, keep_posts=form.keep_posts)
        except ValidationError as refusal:
            # The last organizer: nothing was deleted; say why next to the form.
            form.add_error(None, refusal)
            return render(request, "members/account/delete.html", {"form": form}, status=400)
        logout(request)
        messages.success(
            request, _("Your account is deleted. Thank you for being part of the CoP; goodbye!")
        )
        return redirect("home")
    return render(request, "members/account/delete.html", {"form": form})


@login_required
@require_safe
def account_settings(request: HttpRequest) -> HttpResponse:
    """One page for everything about the account that isn't the profile."""
    # The language choice posts to set_language (members.views.language), which keeps it
    # on the account and comes back here, already in the chosen language.
    language_form = LanguageForm(initial={"language": request.user.language})
    language_form.fields["language"].widget.attrs["aria-describedby"] = "id_language_helptext"
    context = {"email": request.user.email, "language_form": language_form}
    return render(request, "members/account/settings.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def welcome(request: HttpRequest) -> HttpResponse:
    """Where a new member lands after confirming their address (members.adapter):
    an offer to be listed in the directory and to fill in their profile."""
    listed = is_listed(request.user)
    # An unticked box sends nothing: an empty POST is still an answer ("not listed").
    data = request.POST if request.method == "POST" else None
    form = WelcomeForm(data, initial={"listed": listed})
    if request.method == "POST" and form.is_valid():
        profile_listing_set(user=request.user, listed=form.cleaned_data["listed"])
        if form.cleaned_data["listed"]:
            messages.success(request, _("You're in the member directory."))
        return redirect("members:profile-edit" if form.wants_profile else "members:dashboard")
    context = {"form": form, "next_session": next_session(timezone.now())}
    return render(request, "members/welcome.html", context)


@require_POST
def verification_resend(request: HttpRequest) -> HttpResponse:
    """ "Resend the email" on "Check your email" (after signing up, or signing in with an
    address not confirmed yet)."""
    if request.user.is_authenticated:
        return redirect("account_email")
    sent = None
    if VerificationResendForm(request.POST).is_valid():
        sent = verification_email_resend(request=request)
    if sent is None:
        messages.info(request, _("Your sign-up has timed out. Please sign up again."))
        return redirect("account_signup")
    if not sent:
        # allauth's own message says where it went when it does send.
        messages.info(
            request,
            _(
                "We sent you one a moment ago. Give it a few minutes, and look in your spam "
                "folder too."
            ),
        )
    return redirect("account_email_verification_sent")
