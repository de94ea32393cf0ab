"""Which language a request is answered in.

In order: `?lang=es` in the address (the alternates each page links with hreflang,
and the public calendar feed); a signed-in member's own choice (their account's
`language`); the choice a visitor made with the language buttons (Django's language
cookie, set by `set_language`); then the browser's Accept-Language; then English.
"""

from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.encoding import iri_to_uri
from django.utils.http import url_has_allowed_host_and_scheme

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
        if getattr(response, "language_from_address", False):
            # Calendar feeds: their language comes from the address alone (?lang=, or
            # the feed owner's), never from the client's headers, so nothing to vary on.
            return response
        response = super().process_response(request, response)
        # The language cookie chooses the page too, not only Accept-Language.
        patch_vary_headers(response, ["Cookie"])
        return response


def _query_without_language(request: HttpRequest) -> list[tuple[str, str]]:
    # From the raw query string, not request.GET: a kept page keeps only addresses whose
    # every parameter the view read (cop_portal.lib.page_cache), and the layout reading
    # them all would make any made-up parameter keepable.
    query = request.META.get("QUERY_STRING", "")
    return [
        (name, value)
        for name, value in parse_qsl(query, keep_blank_values=True)
        if name != QUERY_PARAMETER
    ]


def address_in(request: HttpRequest, code: str | None) -> str:
    """The absolute address of this page in language `code` (`?lang=es`), other
    parameters kept; with no code, the address that follows the reader's own choice."""
    pairs = _query_without_language(request)
    if code:
        pairs.append((QUERY_PARAMETER, code))
    query = f"?{urlencode(pairs)}" if pairs else ""
    return f"{settings.SITE_URL}{request.path}{query}"


def return_path(request: HttpRequest) -> str:
    """Where the language buttons send the person back to: this page, without a `?lang=`
    that would outrank the language they just chose."""
    pairs = _query_without_language(request)
    return f"{request.path}?{urlencode(pairs)}" if pairs else request.path


def safe_return(request: HttpRequest, candidate: str) -> str:
    """`candidate` when it is an address on this site, else the page the person came
    from, else the home page. Checked as sent (percent-encoded), as Django checks
    it again in the redirect: a short address of long characters can grow past
    Django's limit for addresses once encoded."""
    for address in (candidate, request.META.get("HTTP_REFERER", "")):
        if address and url_has_allowed_host_and_scheme(
            iri_to_uri(address),
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        ):
            return address
    return "/"
