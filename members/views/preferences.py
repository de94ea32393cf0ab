"""A member's email preferences: which optional emails their account address gets."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cop_portal.mail import preferences as email_prefs
from members.forms.preferences import EmailPreferencesForm


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def email_preferences(request: HttpRequest) -> HttpResponse:
    address = request.user.email
    if request.method == "POST":
        form = EmailPreferencesForm(request.POST)
        if form.is_valid():
            email_prefs.set_preferences(address, form.cleaned_data)
            messages.success(request, _("Saved: your email preferences."))
            return redirect("members:preferences")
        status = 400
    else:
        form = EmailPreferencesForm(initial=email_prefs.preferences_for(address))
        status = 200
    context = {"form": form, "address": address}
    return render(request, "members/preferences.html", context, status=status)
