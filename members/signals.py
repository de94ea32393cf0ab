"""Signal receivers: thin hooks that hand over to the services."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.account.signals import email_changed
from django.dispatch import receiver

from cop_portal.mail.preferences import email_preferences_move


@receiver(email_changed)
def carry_email_preferences(
    sender: Any,
    from_email_address: EmailAddress | None,
    to_email_address: EmailAddress,
    **kwargs: Any,
) -> None:
    """A member's email choices follow them to their new address."""
    if from_email_address is not None:
        email_preferences_move(old=from_email_address.email, new=to_email_address.email)
