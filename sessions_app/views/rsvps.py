"""RSVP pages. (Being written.)"""

from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


rsvp_create_view = rsvp_manage = rsvp_change_view = rsvp_cancel_view = _todo
