"""Organizer pages. (Being written.)"""

from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


session_edit = session_publish_view = session_cancel_view = session_admin_list = _todo
session_create_view = series_list = series_create = series_edit = series_preview = _todo
