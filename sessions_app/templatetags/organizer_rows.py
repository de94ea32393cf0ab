"""{% organizer_session_rows sessions %}: the rows of the organizers' list of upcoming
sessions, written in Python.

Each of the 50 rows has five links, three dates, badges and counts: written by the
template engine (with an include and several translated phrases) a row cost ~0.4 ms,
so a page built afresh after any change to the content cost ~20 ms of rows; written here
a row costs a few tens of µs, every request, so no row is kept and none can be stale.
The markup is the one the template had (tests/sessions_app/test_organize_sessions.py).
"""

from collections.abc import Iterable
from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cop_portal.lib.urls import reverse_slug
from cop_portal.templatetags.text import translated_filter
from sessions_app.models import Session, SessionStatus
from sessions_app.templatetags.attendance_rows import Moments
from sessions_app.templatetags.session_badges import session_badges

register = template.Library()

_LINKS = (
    "sessions:session-attendees",
    "sessions:session-check-in",
    "sessions:session-edit",
    "sessions:session-cancel",
)


def _headline_html(session: Session) -> str:
    """What sessions_app/_headline.html writes for a session (not as plain text)."""
    if session.topic:
        return translated_filter(session, "topic")
    if session.series_id:
        return escape(str(session.headline))
    return translated_filter(session, "title")


@register.simple_tag
def organizer_session_rows(sessions: Iterable[Session]) -> SafeString:
    """The <tr> rows of the organizers' sessions list, for sessions read with their
    counts (selectors.organizer_sessions_page)."""
    # Each word a literal, so that makemessages finds it (a _(text) of a variable keeps
    # no msgid in the catalogue).
    words = {
        key: escape(text)
        for key, text in (
            ("when", _("When")),
            ("session", _("Session")),
            ("format", _("Format")),
            ("status", _("Status")),
            ("people", _("People")),
            ("actions", _("Actions")),
            ("no_topic", _("No topic yet")),
            ("no_spanish", _("No Spanish title")),
            ("series", _("Series:")),
            ("edited", _("(edited)")),
            ("organizers_only", _("Only organizers see it")),
            ("in_person", _("in person")),
            ("online", _("online")),
            ("rsvps", _("RSVPs")),
            ("check_in", _("Check-in")),
            ("add_topic", _("Add a topic")),
            ("edit", _("Edit")),
            ("cancel", _("Cancel")),
        )
    }
    waiting, came = _("%(count)s waiting"), _("%(count)s came")
    for_headline_day, for_day = _("for %(headline)s, %(day)s"), _("for %(day)s")
    statuses = {value: escape(str(label)) for value, label in SessionStatus.choices}
    moments = Moments()
    weekday_date, clock = moments.writer("SHORT_WEEKDAY_DATE"), moments.writer("CLOCK")
    clock_zone, short_day = moments.writer("CLOCK_ZONE"), moments.writer("SHORT_DAY")
    out = []
    for session in sessions:
        starts, ends = moments.local(session.starts_at), moments.local(session.ends_at)
        has_topic = session.has_topic
        rsvps, check_in, edit, cancel = (reverse_slug(name, session.slug) for name in _LINKS)
        # The links' hidden labels ("Edit: Tenant organizing, Dec 16").
        day, headline = short_day(starts), session.headline
        labelled = escape(for_headline_day % {"headline": headline, "day": day})
        headline_day = escape(f"{headline}, {day}")
        tba = "" if has_topic else ' class="headline--tba"'
        title = [f'<a href="{session.get_absolute_url()}"{tba}>{_headline_html(session)}</a>']
        if not has_topic:
            title.append(f' <span class="badge badge--todo">{words["no_topic"]}</span>')
        # Spanish pages would show the English name or topic, marked "(en inglés)".
        if not session.title_es or (session.topic_en and not session.topic_es):
            title.append(f' <span class="badge badge--todo">{words["no_spanish"]}</span>')
        if session.context:
            series = f"{words['series']} " if session.series_id else ""
            title.append(
                f'<span class="cell-note">{series}{translated_filter(session, "title")}</span>'
            )
        status = [
            f'<span class="status status--{escape(session.status)}">'
            f"{statuses.get(session.status, escape(session.status))}</span>"
        ]
        if session.edited and session.series_id:
            status.append(f' <span class="muted">{words["edited"]}</span>')
        if session.status == SessionStatus.DRAFT:
            status.append(f'<span class="cell-note">{words["organizers_only"]}</span>')
        people = []
        if session.in_room:
            seats = session.seats
            people.append(
                f"{session.going_in_person_count}{f'/{seats}' if seats else ''}"
                f" {words['in_person']}<br>"
            )
        if session.online:
            people.append(f"{session.going_online_count} {words['online']}<br>")
        if session.waitlisted_count:
            people.append(f"{waiting % {'count': session.waitlisted_count}}<br>")
        if session.attendance_count:
            people.append(f"<strong>{came % {'count': session.attendance_count}}</strong>")
        actions = [
            f'<a href="{rsvps}">{words["rsvps"]}'
            f'<span class="visually-hidden"> {labelled}</span></a>',
            f'<a href="{check_in}">{words["check_in"]}'
            f'<span class="visually-hidden"> {labelled}</span></a>',
        ]
        if not has_topic:
            actions.append(
                f'<a href="{edit}#id_topic">{words["add_topic"]}'
                f'<span class="visually-hidden"> {escape(for_day % {"day": day})}</span></a>'
            )
        actions.append(
            f'<a href="{edit}">{words["edit"]}'
            f'<span class="visually-hidden"> {headline_day}</span></a>'
        )
        if session.status != SessionStatus.CANCELLED:
            actions.append(
                f'<a href="{cancel}">{words["cancel"]}'
                f'<span class="visually-hidden"> {headline_day}</span></a>'
            )
        people_html, actions_html = "\n".join(people), "\n".join(actions)
        out.append(
            f'<tr><td data-label="{words["when"]}"><time datetime="{moments.iso(starts)}">'
            f"{escape(weekday_date(starts))}<br>{escape(clock(starts))}\N{EN DASH}"
            f"{escape(clock_zone(ends))}</time></td>"
            f'<th scope="row" data-label="{words["session"]}">{"".join(title)}</th>'
            f'<td data-label="{words["format"]}">{session_badges(session)}</td>'
            f'<td data-label="{words["status"]}">{"".join(status)}</td>'
            f'<td data-label="{words["people"]}">\n{people_html}\n</td>'
            f'<td data-label="{words["actions"]}" class="row-actions">\n'
            f"{actions_html}\n</td></tr>\n"
        )
    return mark_safe("".join(out))  # noqa: S308 -- every value above is escaped
