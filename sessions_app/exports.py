"""The attendee list of one session as one table, for a spreadsheet: built once
(`attendee_rows`), then written as CSV (`write_attendees_csv`) or as an Excel workbook
(`attendees_workbook`).

One row per active RSVP (going in person, going online, then the waitlist in queue order)
and one per walk-in entry, so that a spreadsheet can sort, filter and total the whole
evening in one table. Times are Cleveland wall-clock times to the second.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cop_portal.lib.csv_cells import csv_cell
from cop_portal.lib.xlsx_cells import set_text
from sessions_app.models import AttendAs, CheckInBy, Session, WalkIn
from sessions_app.models.session import local_zone
from sessions_app.selectors import RsvpRow, attendee_groups

# The files speak the organizer's language (the page's). The rows hold these as plain
# text, made in that language (str()), and the About sheet compares with them.
# How each person came, in the column of that name.
CAME_IN_PERSON = gettext_lazy("RSVP, in person")
CAME_ONLINE = gettext_lazy("RSVP, online")
CAME_WALK_IN = gettext_lazy("Walk-in")
CAME_SELF_CHECK_IN = gettext_lazy("Self check-in (QR code)")

STATUS_GOING = gettext_lazy("Going")
STATUS_WAITLIST = gettext_lazy("Waitlist")
STATUS_NONE = "—"  # walk-ins never answered

HEADER = (
    gettext_lazy("Name"),
    gettext_lazy("Email"),
    gettext_lazy("Organization"),
    gettext_lazy("Member or guest"),
    gettext_lazy("How they came"),
    gettext_lazy("Status"),
    gettext_lazy("Waitlist position"),
    gettext_lazy("People"),
    gettext_lazy("Checked in"),
    gettext_lazy("Answered at (Cleveland time)"),
    gettext_lazy("Checked in at (Cleveland time)"),
)


def header() -> tuple[str, ...]:
    """The column names in the active language."""
    return tuple(str(name) for name in HEADER)


# Spreadsheet column widths, in characters: wide enough for most values, never so
# wide that a long organization name pushes the times off the screen.
MIN_WIDTH, MAX_WIDTH = 8, 40
DATE_TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
DATE_TIME_WIDTH = 20


@dataclass(frozen=True)
class AttendeeRow:
    """One line of the export. Times are aware, in Cleveland time, whole seconds."""

    name: str
    email: str
    organization: str
    member_or_guest: str
    how_they_came: str
    status: str
    waitlist_position: int | None
    people: int
    checked_in: str
    answered_at: datetime | None
    checked_in_at: datetime | None

    def values(self) -> tuple[str | int | datetime | None, ...]:
        """The cells in HEADER order."""
        return (
            self.name,
            self.email,
            self.organization,
            self.member_or_guest,
            self.how_they_came,
            self.status,
            self.waitlist_position,
            self.people,
            self.checked_in,
            self.answered_at,
            self.checked_in_at,
        )


def _local(moment: datetime | None) -> datetime | None:
    # Spreadsheets show no fractions of a second, and a "…:11.482913" in a CSV cell
    # stops Excel and Sheets from reading it as a time at all.
    if moment is None:
        return None
    return timezone.localtime(moment, local_zone()).replace(microsecond=0)


@dataclass(frozen=True)
class _Words:
    """The words every row repeats, translated once per file (a gettext per cell cost
    more than the rest of a row)."""

    guest: str
    member: str
    online: str
    in_person: str
    waitlist: str
    going: str
    checked_in_by: dict[str, str]

    @classmethod
    def now(cls) -> "_Words":
        return cls(
            guest=_("Guest"),
            member=_("Member"),
            online=str(CAME_ONLINE),
            in_person=str(CAME_IN_PERSON),
            waitlist=str(STATUS_WAITLIST),
            going=str(STATUS_GOING),
            checked_in_by={value: str(label) for value, label in CheckInBy.choices},
        )


def _rsvp_row(rsvp: RsvpRow, waitlist_position: int | None, words: _Words) -> AttendeeRow:
    online = rsvp.attend_as == AttendAs.ONLINE
    return AttendeeRow(
        name=rsvp.display_name,
        email=rsvp.address,
        organization=rsvp.organization,
        member_or_guest=words.guest if rsvp.is_guest else words.member,
        how_they_came=words.online if online else words.in_person,
        status=words.waitlist if rsvp.is_waitlisted else words.going,
        waitlist_position=waitlist_position,
        people=1,
        checked_in=words.checked_in_by.get(rsvp.checked_in_by, rsvp.checked_in_by),
        answered_at=_local(rsvp.queued_at),
        checked_in_at=_local(rsvp.checked_in_at),
    )


def _walk_in_row(walk_in: WalkIn) -> AttendeeRow:
    by = CheckInBy.SELF if walk_in.self_check_in else CheckInBy.DOOR
    return AttendeeRow(
        name=walk_in.name,
        email="",
        organization="",
        member_or_guest="",
        how_they_came=str(CAME_SELF_CHECK_IN if walk_in.self_check_in else CAME_WALK_IN),
        status=STATUS_NONE,
        waitlist_position=None,
        people=walk_in.count,
        checked_in=str(by.label),
        answered_at=None,
        checked_in_at=_local(walk_in.created),
    )


def attendee_rows(session: Session) -> list[AttendeeRow]:
    """Everyone for this session, in two queries (RSVPs with their members, walk-ins).

    Going in person, then going online, then the waitlist in queue order with each
    person's place in their own line (in person and online wait apart), then walk-ins
    in the order they arrived. Cancelled RSVPs are left out.
    """
    groups = attendee_groups(session)
    words = _Words.now()
    rsvps = [_rsvp_row(attendee.rsvp, attendee.waitlist_position, words) for attendee in groups]
    walk_ins = [_walk_in_row(walk_in) for walk_in in session.walk_ins.order_by("created", "id")]
    return rsvps + walk_ins


# CSV


def _csv_text(value: str | int | datetime | None) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return csv_cell(value)


def write_attendees_csv(rows: Iterable[AttendeeRow], out: IO[str]) -> None:
    """The header and the rows, RFC 4180 style (CRLF line ends, quotes where needed).

    The caller writes the UTF-8 byte order mark first: Excel reads a CSV without one in
    the computer's legacy code page, so "José" would open as "JosÃ©".
    """
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header())
    for row in rows:
        writer.writerow(_csv_text(value) for value in row.values())


# Excel workbook


def _write_cell(sheet: Worksheet, row: int, column: int, value: object) -> None:
    if value is None or value == "":
        return  # a blank cell, which filters list as "(Blanks)"
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, datetime):
        # Excel has no time zones: the wall-clock time, which the header names.
        cell.value = value.replace(tzinfo=None)
        cell.number_format = DATE_TIME_FORMAT
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, int):
        cell.value = value
    else:
        set_text(cell, str(value))


def _fit_columns(sheet: Worksheet, rows: list[tuple[object, ...]]) -> None:
    for column, values in enumerate(zip(*rows, strict=True), start=1):
        if any(isinstance(value, datetime) for value in values):
            width = DATE_TIME_WIDTH
        else:
            longest = max(len(str(value)) for value in values if value is not None)
            width = min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(column)].width = width


def _table_sheet(sheet: Worksheet, rows: list[AttendeeRow]) -> None:
    names = header()
    table = [names, *(row.values() for row in rows)]
    for r, values in enumerate(table, start=1):
        for c, value in enumerate(values, start=1):
            _write_cell(sheet, r, c, value)
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADER))}{len(table)}"
    _fit_columns(sheet, [tuple(h.split(" (")[0] for h in names), *table[1:]])


def _about_sheet(sheet: Worksheet, session: Session, rows: list[AttendeeRow]) -> None:
    rsvps = [row for row in rows if row.status != STATUS_NONE]
    going = [row for row in rsvps if row.status == str(STATUS_GOING)]
    came = [row for row in rows if row.checked_in_at]
    facts: list[tuple[str, object]] = [
        (_("Session"), session.headline),
        (_("Series or title"), session.title),
        (_("Date"), session.local_starts_at.date()),
        (_("Starts at (Cleveland time)"), _local(session.starts_at)),
        (_("List made at (Cleveland time)"), _local(timezone.now())),
        (
            _("Going in person"),
            sum(1 for row in going if row.how_they_came == str(CAME_IN_PERSON)),
        ),
        (_("Going online"), sum(1 for row in going if row.how_they_came == str(CAME_ONLINE))),
        (_("On the waitlist"), len(rsvps) - len(going)),
        (_("Checked in with an RSVP"), sum(1 for row in rsvps if row.checked_in_at)),
        (
            _("Walk-ins (people)"),
            sum(row.people for row in came if row.status == STATUS_NONE),
        ),
        (_("Here in total (people)"), sum(row.people for row in came)),
    ]
    for r, (label, value) in enumerate(facts, start=1):
        _write_cell(sheet, r, 1, label)
        sheet.cell(row=r, column=1).font = Font(bold=True)
        _write_cell(sheet, r, 2, value)
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 40
    sheet.cell(row=1, column=2).alignment = Alignment(horizontal="left")


def attendees_workbook(session: Session, rows: list[AttendeeRow]) -> bytes:
    """An .xlsx file: the table on a sheet named after the session's date, and a short
    "About" sheet with the session and the counts.

    Dates and times are real date-time cells and counts are numbers, so sorting and
    sums work; text is always stored as text, never as a formula.
    """
    workbook = Workbook()
    table = workbook.active
    table.title = f"{session.local_starts_at:%Y-%m-%d}"
    _table_sheet(table, rows)
    _about_sheet(workbook.create_sheet(_("About")), session, rows)
    workbook.properties.title = _("Attendees: %(session)s") % {"session": session.headline}
    workbook.properties.creator = "CoP Portal"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
