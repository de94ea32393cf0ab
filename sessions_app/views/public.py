"""Pages everyone can see: lists, calendar, session pages. (Being written.)"""

from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


session_list = session_past = calendar = calendar_month = session_detail = accessibility = _todo
