from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db.models import Q
from django.forms import BaseForm
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from cop_portal.lib.addresses import canonical_email, validate_email_letters
from cop_portal.lib.client_ip import client_ip
from cop_portal.lib.language import supported
from cop_portal.mail import limits
from members.account_mail import account_email_queue
from members.models import User


def recipient_language(email: str) -> str:
    """The language of an account email to `email`: the language of the account that
    has this address (as its sign-in address or one of its allauth addresses), else the
    language of the page that asked for it.

    One query, whether or not an account has the address; only the email differs, and
    it reaches the address's owner, never the person asking (a password reset asked
    from an English browser for a Spanish-speaking member's address is in Spanish).
    """
    owner = (
        User.objects.filter(Q(email__iexact=email) | Q(emailaddress__email__iexact=email))
        .order_by("pk")
        .values_list("language", flat=True)
        .first()
    )
    return supported(owner) or translation.get_language() or settings.LANGUAGE_CODE


class AccountAdapter(DefaultAccountAdapter):
    """allauth's adapter, with the portal's name and address in every email."""

    def get_client_ip(self, request: HttpRequest) -> str:
        """The client's address for allauth's rate limits, read by the same function as
        the portal's own limits (cop_portal.lib.client_ip), so both count one client
        alike. Unlike allauth's own reading, an X-Forwarded-For with fewer entries than
        TRUSTED_PROXY_COUNT (a request that skipped an outer proxy) is not a server error."""
        return client_ip(request)

    def clean_email(self, email: str) -> str:
        """Sign-up and new addresses in canonical form (as guest RSVPs are, so that
        claiming them on verification finds them), refusing look-alike mixed scripts."""
        email = canonical_email(super().clean_email(email))
        validate_email_letters(email)
        return email

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Every account email (sign-up confirmation, "account already exists", log-in
        code, password reset, email change) goes through here, counted per sender (the
        member, else the IP: MAIL_RATE_PER_SENDER_ACCOUNT) and per recipient
        (MAIL_RATE_PER_RECIPIENT) with atomic counters. Over a limit the email is
        dropped and logged, never refused on the page: the page must look the same
        whether or not the address has an account. ACCOUNT_RATE_LIMITS still answers
        the plain repeats with allauth's 429; these counters also hold for requests
        sent all at once, which allauth's cache counters may let through.

        It is written in the recipient's language (`recipient_language`).

        Side effects: renders the email and puts it in the outbox (members.account_mail);
        the worker delivers it."""
        what = f"the {template_prefix.rsplit('/', 1)[-1]} email"
        request = self.request or allauth_context.request
        if request is not None and not limits.sender_allowed(
            request, "account", rate=settings.MAIL_RATE_PER_SENDER_ACCOUNT
        ):
            return
        if not limits.recipient_allowed(email, what=what):
            return
        context = {**context, "site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}
        with translation.override(recipient_language(email)):
            account_email_queue(self.render_mail(template_prefix, email, context))

    def save_user(
        self, request: HttpRequest, user: Any, form: BaseForm, commit: bool = True
    ) -> Any:
        """A new account is saved with its display name at once (the sign-up form's
        `signup()` then finds nothing to change): an account that shows nowhere yet is
        not content, and leaves the pages kept for visitors kept
        (cop_portal.lib.content_version). It keeps the language the sign-up page was
        in, for the member's pages and emails."""
        name = form.cleaned_data.get("display_name")
        if name:
            user.display_name = name
        # The language the sign-up page was in: their pages and emails stay in it.
        user.language = supported(getattr(request, "LANGUAGE_CODE", None)) or settings.LANGUAGE_CODE
        return super().save_user(request, user, form, commit=commit)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        """Where a new member lands once signed up: with mandatory verification, that is
        right after confirming their address in the browser they signed up in. Returning
        members never sign up again, so never see the welcome page again. A `next` given
        at sign-up (e.g. from a session's page) wins: they were in the middle of something."""
        return reverse("members:welcome")

    def get_email_verification_redirect_url(self, email_address: Any) -> str:
        """A new member who confirms their address in another browser (their mail app's)
        is asked to sign in there, and then welcomed. "New": the account has never been
        signed in to, which mandatory verification makes true until this first
        confirmation. A member confirming a changed address goes where allauth sends them."""
        request = self.request
        if not request.user.is_authenticated and email_address.user.last_login is None:
            query = urlencode({"next": reverse("members:welcome")})
            return f"{reverse('account_login')}?{query}"
        return super().get_email_verification_redirect_url(email_address)

    def respond_email_verification_sent(
        self, request: HttpRequest, user: Any | None
    ) -> HttpResponseBase:
        """The end of every sign-up. Without a user, no account was made: the address
        has one already (allauth emails its owner instead) and the password was never
        hashed. Hash it anyway, as a new account's is, so that answering takes as long
        either way and the time can't tell whether an address has an account."""
        if user is None:
            make_password(request.POST.get("password1", ""))
        return super().respond_email_verification_sent(request, user)
