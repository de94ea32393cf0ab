"""Every email in its reader's language: a guest's RSVP remembers the language it was
made in, a member's account says theirs, and the same session, reminder, organizer
message or announcement goes to each in their own."""

from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cop_portal.lib.dates import date_as
from cop_portal.mail import delivery, fanout
from cop_portal.mail import preferences as email_prefs
from cop_portal.mail.models import Dispatch, EmailPreference
from practice_library.models import Follow
from sessions_app.announcements import announce
from sessions_app.models import AttendanceMode, Rsvp
from sessions_app.services.attendee_messages import attendee_message_send
from sessions_app.services.rsvps import Guest, rsvp_create
from tests.clock import CLEVELAND
from tests.factories import make_organizer, make_post, make_session, make_user
from tests.outbox import work

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_url")]

# A Wednesday evening in Cleveland, a year on: Spanish writes it "miércoles, 15 de
# diciembre de 2027".
WEDNESDAY = datetime(timezone.localdate().year + 1, 12, 15, 18, 0, tzinfo=CLEVELAND)


@pytest.fixture(autouse=True)
def _no_coalescing(settings):
    settings.RSVP_EMAIL_COALESCE_SECONDS = 0


def hybrid_session(**fields):
    defaults = {
        "starts_at": WEDNESDAY,
        "topic": "Keeping volunteers",
        "topic_es": "Cómo retener a los voluntarios",
        "attendance_mode": AttendanceMode.HYBRID,
    }
    return make_session(**{**defaults, **fields})


def html_of(email) -> str:
    [(html, _mime)] = [alt for alt in email.alternatives if alt[1] == "text/html"]
    return str(html)


def event_of(email):
    [ics] = [alt for alt in email.alternatives if alt[1] == "text/calendar"]
    [event] = Calendar.from_ical(ics[0]).events
    return event


def to(address: str):
    [email] = [email for email in mail.outbox if email.to == [address]]
    return email


def guest_rsvp(client, session, *, email: str, accept_language: str):
    url = reverse("sessions:rsvp-create", args=[session.slug])
    data = {"name": "Gia Guest", "email": email, "organization": "", "how": "in-person"}
    client.post(url, data, HTTP_ACCEPT_LANGUAGE=accept_language)
    work()


def test_guest_rsvp_in_spanish_gets_a_spanish_confirmation_and_invitation(client):
    session = hybrid_session()

    guest_rsvp(client, session, email="gia@example.org", accept_language="es")
    guest_rsvp(client, session, email="eve@example.org", accept_language="en")

    spanish, english = to("gia@example.org"), to("eve@example.org")
    assert Rsvp.objects.get(email="gia@example.org").language == "es"
    day = f"miércoles, 15 de diciembre de {WEDNESDAY.year}"
    assert spanish.subject == (
        "[CoP Portal] Tiene su lugar: Cómo retener a los voluntarios, miércoles, 15 de diciembre"
    )
    assert spanish.body.startswith(
        "Hola, Gia Guest:\n\n¡Tiene su lugar! Nos alegra que venga en persona.\n"
    )
    assert f"Cuándo: {day}, 6:00 p. m." in spanish.body
    assert "Su enlace privado (es solo para usted):" in spanish.body
    html = html_of(spanish)
    assert '<html lang="es" dir="ltr">' in html
    assert "¡Tiene su lugar!</h1>" in html
    assert f"<strong>{day}</strong>" in html
    event = event_of(spanish)
    assert str(event["SUMMARY"]) == "Cómo retener a los voluntarios"
    assert "Change or cancel" not in str(event["DESCRIPTION"])
    # The same session, to the guest who answered in English.
    assert english.subject.startswith("[CoP Portal] You're in: Keeping volunteers, Wednesday")
    assert english.body.startswith("Hi Gia Guest,\n\nYou're in! We're glad you're coming")
    assert str(event_of(english)["SUMMARY"]) == "Keeping volunteers"


def test_reminder_goes_to_each_in_their_language():
    session = hybrid_session(starts_at=timezone.now() + timedelta(hours=20))
    rsvp_create(
        session=session, attend_as="online", guest=Guest("Gia", "gia@example.org"), language="es"
    )
    member = make_user(email="ana@example.org", display_name="Ana", language="en")
    rsvp_create(session=session, attend_as="online", user=member)
    work()
    mail.outbox.clear()

    call_command("send_reminders", stdout=StringIO(), stderr=StringIO())
    work()

    starts = session.starts_at.astimezone(CLEVELAND)
    when = (
        "hoy" if starts.date() == timezone.localtime(timezone.now(), CLEVELAND).date() else "mañana"
    )
    time = date_as(starts, "CLOCK", language="es")
    spanish = to("gia@example.org")
    assert spanish.subject == (
        f"[CoP Portal] Nos vemos {when}: Cómo retener a los voluntarios, {time}"
    )
    assert "Un recordatorio amistoso: Cómo retener a los voluntarios es" in spanish.body
    assert to("ana@example.org").subject.startswith("[CoP Portal] See you ")


def test_a_member_who_chose_spanish_gets_spanish_even_for_an_english_rsvp():
    member = make_user(email="luz@example.org", display_name="Luz", language="es")
    session = hybrid_session()

    rsvp_create(session=session, attend_as="in-person", user=member, language="en")
    work()

    assert to("luz@example.org").body.startswith("Hola, Luz:\n\n¡Tiene su lugar!")


def test_organizer_message_to_a_mixed_audience_is_in_each_readers_language():
    session = hybrid_session()
    rsvp_create(
        session=session, attend_as="in-person", guest=Guest("Gia", "gia@example.org"), language="es"
    )
    rsvp_create(
        session=session, attend_as="in-person", guest=Guest("Eve", "eve@example.org"), language="en"
    )
    work()
    mail.outbox.clear()

    with transaction.atomic():
        attendee_message_send(
            session=session,
            sender=make_organizer(display_name="Olga"),
            audience="going",
            attend_as="all",
            subject="Sala 2 / Room 2",
            body="Nos vemos en la sala 2. See you in room 2.",
        )
    work()

    spanish, english = to("gia@example.org"), to("eve@example.org")
    assert spanish.subject == english.subject == "[CoP Portal] Sala 2 / Room 2"
    assert spanish.body.startswith("Hola, Gia:\n\nNos vemos en la sala 2. See you in room 2.")
    assert "Olga\npor el equipo organizador de CoP Portal" in spanish.body
    assert "Recibe esto porque confirmó su asistencia a esta sesión." in spanish.body
    assert "Olga\nfor the organizers of CoP Portal" in english.body


def test_announcement_fans_out_to_a_spanish_and_an_english_member():
    spanish = make_user(email="luz@example.org", display_name="Luz", language="es")
    english = make_user(email="ana@example.org", display_name="Ana", language="en")
    for member in (spanish, english):
        email_prefs.set_preference(member.email, "announcements", True)
    session = hybrid_session()

    with transaction.atomic():
        announce([session])
    work()

    day_es = date_as(session.starts_at.astimezone(CLEVELAND), "WEEKDAY_DAY", language="es")
    assert to("luz@example.org").subject == (
        f"[CoP Portal] Sesión nueva: Cómo retener a los voluntarios, {day_es}"
    )
    assert "Hay una sesión nueva abierta para confirmar asistencia:" in to("luz@example.org").body
    footer = "¿No quiere recibir los correos sobre sesiones recién publicadas?"
    assert footer in to("luz@example.org").body
    assert to("ana@example.org").subject.startswith("[CoP Portal] New session: Keeping volunteers")


def test_library_reply_notice_to_a_spanish_member(client):
    author = make_user(email="luz@example.org", display_name="Luz", language="es")
    replier = make_user(display_name="Dana")
    post = make_post(author=author, title="Tool library")
    Follow.objects.get_or_create(post=post, user=author)
    client.force_login(replier)

    client.post(reverse("library:reply-create", kwargs={"code": post.code}), {"body": "Hi!"})
    work()

    email = to("luz@example.org")
    assert email.subject == "[CoP Portal] Respuesta nueva: Tool library"
    assert email.body.startswith(
        "Hola, Luz:\n\nDana respondió a su publicación “Tool library”:\n\nHi!\n"
    )


def test_announcement_delivery_queries_do_not_grow_with_readers_of_both_languages():
    """Each language's list of sessions is rendered once per batch, and the readers'
    languages come with the members: what grows is one UPDATE per message sent."""

    def queries_to_deliver(members: int) -> int:
        for n in range(members):
            member = make_user(language="es" if n % 2 else "en")
            email_prefs.set_preference(member.email, "announcements", True)
        with transaction.atomic():
            announce([hybrid_session()])
        fanout.expand(Dispatch.objects.latest("pk").pk)
        with CaptureQueriesContext(connection) as context:
            outcome = delivery.deliver_due()
        EmailPreference.objects.update(announcements=False)
        assert outcome.sent == members
        return len(context.captured_queries)

    two, eight = queries_to_deliver(2), queries_to_deliver(8)

    assert eight - two == 6
    greetings = {email.body.split(" ")[0] for email in mail.outbox}
    assert greetings == {"Hi", "Hola,"}
