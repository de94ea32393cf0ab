"""Site pages that belong to no single app.

Error pages are Django's own handlers rendering templates/400.html and friends.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from cop_portal.lib.page_cache import shared_with_visitors
from sessions_app.selectors import home_sessions

# The next session front and centre, then a few more.
HOME_SESSIONS = 5


@require_safe
@shared_with_visitors
def home(request: HttpRequest) -> HttpResponse:
    sessions = home_sessions(timezone.now(), count=HOME_SESSIONS)
    context = {"next_session": sessions.next, "following": sessions.following}
    return render(request, "pages/home.html", context)


@require_safe
@shared_with_visitors
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/about.html")
