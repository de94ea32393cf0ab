from typing import Any

from django.conf import settings
from django.http import HttpRequest

from cop_portal.lib.roles import is_organizer


def site(request: HttpRequest) -> dict[str, Any]:
    """Values every page's layout needs: the site's name and the viewer's role."""
    user = getattr(request, "user", None)
    return {
        "site_name": settings.SITE_NAME,
        "viewer_is_organizer": is_organizer(user) if user is not None else False,
    }
