"""Signal receivers: thin hooks that hand over to the services."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.dispatch import receiver
from django.http import HttpRequest

from sessions_app.services.rsvps import rsvps_claim_for_member


@receiver(email_confirmed)
def claim_guest_rsvps(
    sender: Any, request: HttpRequest | None, email_address: EmailAddress, **kwargs: Any
) -> None:
    """Someone proved they own an email: RSVPs made with it as a guest become theirs."""
    rsvps_claim_for_member(user=email_address.user, email=email_address.email)
