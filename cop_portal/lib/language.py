"""Which language a request is answered in.

In order: `?lang=es` in the address (the alternates each page links with hreflang,
and the public calendar feed); a signed-in member's own choice (their account's
`language`); the choice a visitor made with the language buttons (Django's language
cookie, set by `set_language`); then the browser's Accept-Language; then English.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

QUERY_PARAMETER = "lang"


def supported(code: str | None) -> str | None:
    """The portal's language for `code` ("es-MX" -> "es"), or None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def member_language(request: HttpRequest) -> str | None:
    # Only a request that carries a session can be a member's: a visitor's page never
    # loads a session for this.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return supported(getattr(user, "language", None))


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware (Vary: Accept-Language, Content-Language), with the
    address's `?lang=` and the member's own choice before the cookie and the browser."""

    def process_request(self, request: HttpRequest) -> None:
        language = (
            supported(request.GET.get(QUERY_PARAMETER))
            or member_language(request)
            or translation.get_language_from_request(request)
        )
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response = super().process_response(request, response)
        # The language cookie chooses the page too, not only Accept-Language.
        patch_vary_headers(response, ["Cookie"])
        return response
