from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from members.forms.language import LanguageForm
from members.services.language import user_language_set


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language (the cookie, the redirect back to `next`); a signed-in
    member's choice is also kept on their account, for their emails and other devices."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(form.errors["language"].as_text())
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=form.cleaned_data["language"])
    return django_set_language(request)
