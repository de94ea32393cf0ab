"""A wrong rate in the environment fails `manage.py check` (and migrate) with one line,
instead of the first email that would have used it."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from cop_portal.mail.limits import parse_rate

RATE_SETTINGS = (
    "MAIL_RATE_PER_RECIPIENT",
    "MAIL_RATE_PER_RECIPIENT_NOTICES",
    "MAIL_RATE_PER_SENDER",
    "MAIL_RATE_PER_SENDER_ACCOUNT",
    "RSVP_GUEST_RATE_PER_IP",
    "RSVP_GUEST_RATE_PER_EMAIL",
)


@register()
def check_mail_rates(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    for name in RATE_SETTINGS:
        try:
            parse_rate(getattr(settings, name))
        except ValueError as error:
            errors.append(Error(f"{name}: {error}", id="mail.E001"))
    if settings.RSVP_EMAIL_COALESCE_SECONDS < 0:
        errors.append(Error("RSVP_EMAIL_COALESCE_SECONDS must be 0 or more.", id="mail.E002"))
    return errors
