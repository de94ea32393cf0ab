from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    """allauth's adapter, with the portal's name and address in every email."""

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        context = {**context, "site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}
        super().send_mail(template_prefix, email, context)
