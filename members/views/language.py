from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from cop_portal.lib.language import safe_return
from members.forms.language import LanguageForm
from members.services.language import user_language_set


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language (the cookie, and the redirect back to `next` when it is an
    address on this site, else to the page the person came from or the home page); a
    signed-in member's choice is also kept on their account, for their emails and other
    devices. Only a tampered form sends another language: the 400 page says what was
    wrong and offers the choice again."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        context = {"form": form, "form_action": reverse("set_language")}
        return render(request, "400.html", context, status=400)
    # Django's set_language reads `next` itself: give it one it will redirect to.
    request.POST = request.POST.copy()
    request.POST["next"] = safe_return(request, form.cleaned_data["next"])
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=form.cleaned_data["language"])
    return django_set_language(request)
