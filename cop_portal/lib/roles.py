"""Who may do what. The one place that decides whether someone organizes."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse

ORGANIZERS_GROUP = "Organizers"


def is_organizer(user: Any) -> bool:
    """True for members of the Organizers group and for superusers.

    The answer is remembered on the user object so that a page asking several
    times (menu, buttons, permission check) costs one query at most.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_organizer", None)
    if cached is None:
        cached = user.groups.filter(name=ORGANIZERS_GROUP).exists()
        user._is_organizer = cached
    return cached


def organizers() -> QuerySet[Any]:
    """Everyone `is_organizer` says yes to, as one query (for emailing them all):
    active accounts that are superusers or in the Organizers group."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=ORGANIZERS_GROUP))
        .distinct()
    )


def organizer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Visitors are sent to log in; signed-in people who don't organize get 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_organizer(request.user):
            raise PermissionDenied("Only organizers can open this page.")
        return view(request, *args, **kwargs)

    return wrapper
