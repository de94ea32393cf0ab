"""What every page's layout shows from the library: for organizers, how many reports
wait in the Organize menu (templates/includes/nav.html, organize/_subnav.html)."""

from functools import cache
from typing import Any

from django.http import HttpRequest

from cop_portal.lib.roles import is_organizer
from practice_library.models import Report


def open_reports(request: HttpRequest) -> dict[str, Any]:
    """`open_report_count` for organizers: counted once, when a template first shows it
    (the menu and the sub-navigation share the one query). Nothing for anyone else: the
    role is already known to the `site` context processor, so asking costs no query."""
    if not is_organizer(getattr(request, "user", None)):
        return {}
    return {"open_report_count": cache(Report.objects.open().count)}
