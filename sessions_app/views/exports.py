"""The attendee list to download: CSV and Excel (.xlsx), for organizers only.

Both carry email addresses, so no cache on the way may keep them (never_cache; the
private-pages middleware would add the same headers, said here so the view stands alone).
"""

import codecs

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cop_portal.lib.roles import organizer_required
from sessions_app.exports import attendee_rows, attendees_workbook, write_attendees_csv
from sessions_app.models import Session

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@organizer_required
@require_safe
@never_cache
def session_attendees_csv(request: HttpRequest, slug: str) -> HttpResponse:
    session = get_object_or_404(Session, slug=slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    # The byte order mark tells Excel the file is UTF-8 (see write_attendees_csv).
    response.write(codecs.BOM_UTF8)
    write_attendees_csv(attendee_rows(session), response)
    return _attachment(response, f"{session.slug}-attendees.csv")


@organizer_required
@require_safe
@never_cache
def session_attendees_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    session = get_object_or_404(Session, slug=slug)
    workbook = attendees_workbook(session, attendee_rows(session))
    response = HttpResponse(workbook, content_type=XLSX_TYPE)
    return _attachment(response, f"{session.slug}-attendees.xlsx")
