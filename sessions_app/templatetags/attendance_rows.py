"""{% door_rows rsvps %} and {% attendee_rows attendees waitlist %}: the rows of the
organizers' door list and attendees page, written in Python.

These lists grow with a session (542 people at the busiest one at scale 10), and a row
written by the template engine cost ~100-150 µs (a dozen variables, filters, a CSRF
token and two date formats each); written here it costs a few µs. The words every row
repeats are translated once a list, the CSRF token read once, and dates written from
parts kept per day and per minute (formatting a date-time costs ~40 µs, and no two
RSVPs were made at the same moment). The markup is the one the templates had; tests
pin it (tests/sessions_app/test_door_list.py, test_attendance.py, test_door_rows.py).

Each row is then kept, by everything it shows, and looked up when the list is read
again (see "Kept rows"): a list's cost no longer grows with its rows' writing, only with
reading them.
"""

import re
from collections.abc import Callable, Hashable, Iterable
from datetime import date, datetime, time
from functools import lru_cache
from html import escape as _html_escape
from typing import TypeVar

from django import template
from django.template.context import Context
from django.utils import dateformat, timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cop_portal.lib.dates import date_as, format_of
from sessions_app.models import AttendAs, CheckInBy
from sessions_app.selectors import Attendee, RsvpRow

register = template.Library()

_NEEDS_ESCAPING = re.compile(r"[&<>\"']").search


def escape(text: str) -> str:
    """html.escape, which the rows call ~5 times each: text with nothing to escape (most
    names, addresses and dates) is returned as it is, without its five replacements."""
    return _html_escape(text) if _NEEDS_ESCAPING(text) else text


# Dates ----------------------------------------------------------------------------------

# Django's format characters that depend on the time of day alone, and on the date alone;
# any other (the zone's T, e, O, Z, I, the timestamp's U, c, r, seconds) sends a format
# to date_as's own way.
_TIME_CHARS = frozenset("aAfgGhHiP")
_DATE_CHARS = frozenset("bdDEFjlLmMnNStwWyYzo")


@lru_cache(maxsize=64)
def _runs(fmt: str) -> tuple[tuple[bool, str], ...] | None:
    """The format cut into runs of date characters and of time characters, each a format
    of its own (literals and escapes go with the run before them), or None when a
    character needs the whole moment."""
    runs: list[tuple[bool, str]] = []
    chars = iter(fmt)
    for char in chars:
        if char == "\\":
            piece, is_time = char + next(chars, ""), None
        elif char in _TIME_CHARS:
            piece, is_time = char, True
        elif char in _DATE_CHARS:
            piece, is_time = char, False
        elif char.isalpha():
            return None
        else:
            piece, is_time = char, None
        if runs and (is_time is None or runs[-1][0] == is_time):
            runs[-1] = (runs[-1][0], runs[-1][1] + piece)
        else:
            runs.append((bool(is_time), piece))
    return tuple(runs)


@lru_cache(maxsize=4096)
def _date_part(day: date, fmt: str, language: str) -> str:
    with translation.override(language):
        return dateformat.format(day, fmt)


@lru_cache(maxsize=4096)
def _time_part(hour: int, minute: int, fmt: str, language: str) -> str:
    with translation.override(language):
        return dateformat.time_format(time(hour, minute), fmt)


def _writer(name: str, language: str) -> Callable[[datetime], str]:
    """Writes a local date-time as cop_portal.lib.dates.date_as(moment, name) does."""
    runs = _runs(format_of(name, language))
    if runs is None:
        return lambda local: date_as(local, name, language=language)

    def write(local: datetime) -> str:
        return "".join(
            _time_part(local.hour, local.minute, fmt, language)
            if is_time
            else _date_part(local.date(), fmt, language)
            for is_time, fmt in runs
        )

    return write


class Moments:
    """Date-times written in the current zone and language, as the iso filter and
    date_as write them."""

    def __init__(self) -> None:
        self.zone = timezone.get_current_timezone()
        self.language = translation.get_language() or "en"

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def iso(self, local: datetime) -> str:
        return local.isoformat(timespec="seconds")

    def writer(self, name: str) -> Callable[[datetime], str]:
        return _writer(name, self.language)


def _csrf_input(context: Context) -> str:
    """What {% csrf_token %} writes, once for a whole list."""
    token = context.get("csrf_token")
    if not token or str(token) == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(token))}">'


# Kept rows ------------------------------------------------------------------------------

# Rows written before, by everything they show (the RSVP's values, the list's settings,
# the language, the zone): organizers read these lists again and again while people
# answer and arrive, and a row changes only when its RSVP does, so each is written once,
# then looked up (~0.5 µs instead of ~1-4). Bounded; emptied when full, which the biggest
# lists fit many times over.
_KEPT_ROWS_LIMIT = 8192
_kept_door_rows: dict[Hashable, tuple[str, ...]] = {}
_kept_attendee_rows: dict[Hashable, str] = {}


Item = TypeVar("Item")
Row = TypeVar("Row")


def _through_kept(
    kept: dict[Hashable, Row],
    items: Iterable[Item],
    key: Callable[[Item], Hashable],
    write: Callable[[list[Item]], list[Row]],
) -> list[Row]:
    """Each item's row from `kept`, the missing ones written together by `write`."""
    items = list(items)
    keys = [key(item) for item in items]
    rows = [kept.get(item_key) for item_key in keys]
    missing = [index for index, row in enumerate(rows) if row is None]
    if missing:
        written = write([items[index] for index in missing])
        if len(kept) + len(missing) > _KEPT_ROWS_LIMIT:
            kept.clear()
        for index, row in zip(missing, written, strict=True):
            rows[index] = kept[keys[index]] = row
    return rows  # type: ignore[return-value] -- every None was filled above


# The door list --------------------------------------------------------------------------


@register.simple_tag(takes_context=True)
def door_rows(context: Context, rsvps: Iterable[RsvpRow]) -> SafeString:
    """The <li> rows of one door-list section. Reads `check_in_open` (the buttons show
    once check-in opens; an Undo always) and `check_in_action` (the rows' form address
    up to the RSVP's id) from the context."""
    check_in_open = bool(context.get("check_in_open"))
    action = escape(str(context.get("check_in_action", "")))
    # The CSRF token differs from request to request: rows are kept without it, in two
    # parts when it goes between them.
    csrf = _csrf_input(context)
    language = translation.get_language() or "en"
    zone = timezone.get_current_timezone_name()
    rows = _through_kept(
        _kept_door_rows,
        rsvps,
        lambda rsvp: (rsvp, check_in_open, action, language, zone),
        lambda missing: _door_rows(missing, check_in_open, action),
    )
    return mark_safe("".join([csrf.join(row) for row in rows]))  # noqa: S308 -- escaped


def _door_rows(rsvps: list[RsvpRow], check_in_open: bool, action: str) -> list[tuple[str, ...]]:
    """The rows of `rsvps` in the active language, each cut where the CSRF token goes."""
    moments = Moments()
    clock = moments.writer("CLOCK")
    member_word, guest_word = escape(_("Member")), escape(_("Guest"))
    checked_in_at = _("Checked in at %(time)s")
    # Translated outside the f-strings: makemessages reads no call inside one ("at the
    # door" had never reached the catalogue).
    qr_title, self_word = escape(_("Checked in with the QR code")), escape(_("Self"))
    at_the_door = escape(_("at the door"))
    by_self = f' <span class="badge badge--self" title="{qr_title}">{self_word}</span>'
    by_door = f' <span class="muted">{at_the_door}</span>'
    undo_word, undo_of = escape(_("Undo")), _("check-in of %(name)s")
    check_in_word = escape(_("Check in"))
    out = []
    for rsvp in rsvps:
        name = escape(rsvp.display_name)
        organization = rsvp.organization
        search_text = escape(
            f"{rsvp.display_name.lower()} {organization.lower()} {rsvp.address.lower()}"
        )
        kind = member_word if rsvp.user_id else guest_word
        if organization:
            kind = f"{kind} · {escape(organization)}"
        row = [
            f'<li class="door-row{" door-row--in" if rsvp.checked_in_at else ""}"'
            f' id="rsvp-{rsvp.pk}" data-door-search-text="{search_text}">'
            f'<div class="door-row__who"><strong>{name}</strong>'
            f' <span class="muted">{kind}</span>'
        ]
        if rsvp.checked_in_at:
            when = escape(clock(moments.local(rsvp.checked_in_at)))
            by = {CheckInBy.SELF: by_self, CheckInBy.DOOR: by_door}.get(rsvp.checked_in_by, "")
            row.append(f' <span class="checked">{checked_in_at % {"time": when}}{by}</span>')
        row.append("</div>")
        if not rsvp.checked_in_at and not check_in_open:
            out.append(("".join(row) + "</li>\n",))
            continue
        row.append(f'<form method="post" action="{action}{rsvp.pk}/" class="door-row__action">')
        if rsvp.checked_in_at:
            button = (
                '<button type="submit" name="action" value="undo"'
                f' class="button button--ghost button--small">{undo_word}'
                f'<span class="visually-hidden"> {undo_of % {"name": name}}</span></button>'
            )
        else:
            button = (
                '<button type="submit" name="action" value="check-in"'
                f' class="button button--small">{check_in_word}'
                f'<span class="visually-hidden"> {name}</span></button>'
            )
        # The CSRF token goes between the two parts.
        out.append(("".join(row), f"{button}</form></li>\n"))
    return out


# The attendees page ---------------------------------------------------------------------


@register.simple_tag
def attendee_rows(attendees: Iterable[Attendee], waitlist: object = False) -> SafeString:
    """The <tr> rows of one group of the attendees page's table; with `waitlist`, each
    person's place in their line first."""
    waitlist = bool(waitlist)
    language = translation.get_language() or "en"
    zone = timezone.get_current_timezone_name()
    rows = _through_kept(
        _kept_attendee_rows,
        attendees,
        lambda attendee: (attendee, waitlist, language, zone),
        lambda missing: _attendee_rows(missing, waitlist),
    )
    return mark_safe("".join(rows))  # noqa: S308 -- every value is escaped in _attendee_rows


def _attendee_rows(attendees: list[Attendee], waitlist: bool) -> list[str]:
    """The rows of `attendees`, one string each, written in the active language."""
    moments = Moments()
    answered, clock = moments.writer("SHORT_DAY_TIME"), moments.writer("CLOCK")
    place_word, name_word = escape(_("Place in line")), escape(_("Name"))
    member_or_guest_word = escape(_("Member or guest"))
    organization_word, email_word = escape(_("Organization")), escape(_("Email"))
    answered_word, checked_in_word = escape(_("Answered")), escape(_("Checked in"))
    member_word, guest_word, no_word = escape(_("Member")), escape(_("Guest")), escape(_("No"))
    modes = {value: escape(str(label).lower()) for value, label in AttendAs.choices}
    checked_in_by = {value: escape(str(label)) for value, label in CheckInBy.choices}
    zone = moments.zone
    # The cells every row of a kind shares, written once a list.
    member_cell = f'<td data-label="{member_or_guest_word}">{member_word}</td>'
    guest_cell = f'<td data-label="{member_or_guest_word}">{guest_word}</td>'
    organization_cell = f'<td data-label="{organization_word}">'
    out = []
    for attendee in attendees:
        rsvp = attendee.rsvp
        email = escape(rsvp.address)
        queued = rsvp.queued_at.astimezone(zone)
        if rsvp.checked_in_at:
            by = checked_in_by.get(rsvp.checked_in_by) or escape(rsvp.checked_in_by)
            checked = (
                f'<span class="checked">{by}, '
                f"{escape(clock(rsvp.checked_in_at.astimezone(zone)))}</span>"
            )
        else:
            checked = no_word
        place = (
            f'<td data-label="{place_word}">{attendee.waitlist_position}'
            f' <span class="muted">({modes.get(rsvp.attend_as) or escape(rsvp.attend_as)})'
            "</span></td>"
            if waitlist
            else ""
        )
        out.append(
            f"<tr>{place}"
            f'<th scope="row" data-label="{name_word}">{escape(rsvp.display_name)}</th>'
            f"{member_cell if rsvp.user_id else guest_cell}"
            f"{organization_cell}{escape(rsvp.organization) or '—'}</td>"
            f'<td data-label="{email_word}"><a href="mailto:{email}">{email}</a></td>'
            f'<td data-label="{answered_word}"><time datetime="'
            f'{queued.isoformat(timespec="seconds")}">'
            f"{escape(answered(queued))}</time></td>"
            f'<td data-label="{checked_in_word}">{checked}</td></tr>\n'
        )
    return out
