"""The member's own account: download their data, delete the account."""

import json

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from members.export import member_data
from members.forms.account import AccountDeleteForm
from members.services.account import account_delete

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
            request, "Your account is deleted. Thank you for being part of the CoP; goodbye!"
        )
        return redirect("home")
    return render(request, "members/account/delete.html", {"form": form})
