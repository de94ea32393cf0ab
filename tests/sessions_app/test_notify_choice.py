"""Notify on purpose: a change that would email people shows, before it is saved, what
changes, who would be told and the email, with a choice (everyone, only people going,
nobody) and a personal note; trivial edits, drafts and sessions nobody answered are saved
at once; the cancel page says who will be told and previews the email."""

from datetime import date, time

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from cop_portal.mail.models import OutgoingEmail
from sessions_app.models import AttendanceMode, Rsvp, RsvpStatus, Session, SessionStatus
from sessions_app.notify_choice import Told
from sessions_app.services.rsvps import Guest, rsvp_create
from tests.clock import DASH, local
from tests.email_html import find_all, html_of, text, tree
from tests.factories import make_rsvp, make_session, make_user, make_venue
from tests.outbox import work

pytestmark = pytest.mark.django_db

NOTE = "Sorry for the shuffle: the room is booked until 6:15.\nCoffee is on us."


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.SITE_URL = "https://cop.example.org"
    settings.RSVP_EMAIL_COALESCE_SECONDS = 0


@pytest.fixture
def session(mailoutbox) -> Session:
    """Hybrid, one seat: Gina has it, Olga joins online, Wren waits for a seat."""
    session = make_session(
        title="Community of Practice",
        topic="Tenant rights",
        venue=make_venue(name="Hough Library", address="1566 Crawford Rd"),
        starts_at=local(2027, 12, 16, 18),
        attendance_mode=AttendanceMode.HYBRID,
        capacity=1,
        agenda="1. Stories\n2. Questions",
    )
    rsvp_create(session=session, attend_as="in-person", user=make_user(email="gina@example.org"))
    rsvp_create(session=session, attend_as="online", guest=Guest("Olga", "olga@example.org"))
    rsvp_create(session=session, attend_as="in-person", user=make_user(email="wren@example.org"))
    assert Rsvp.objects.get(user__email="wren@example.org").status == RsvpStatus.WAITLISTED
    work()
    mailoutbox.clear()  # each test sees only its own emails (views send theirs at once)
    return session


def _url(session: Session) -> str:
    return reverse("sessions:session-edit", args=[session.slug])


def _as_posted(bound) -> str | None:
    """A field's value as the browser sends the edit form back unchanged."""
    value = bound.value()
    if isinstance(value, bool):
        return "on" if value else None
    if value is None:
        return ""
    if isinstance(value, date | time):
        return bound.field.widget.format_value(value)
    return str(value)


def _edit_data(client, session: Session, **changes: str) -> dict[str, str]:
    """The edit form as the page fills it in, with these fields changed."""
    form = client.get(_url(session)).context["form"]
    data = {name: _as_posted(form[name]) for name in form.fields}
    return {name: value for name, value in {**data, **changes}.items() if value is not None}


def _later(client, session: Session, **more: str) -> dict[str, str]:
    """Half an hour later, the same length."""
    return _edit_data(client, session, start_time="18:30", end_time="19:30", **more)


def _sent(mailoutbox) -> dict[str, object]:
    """The emails sent (delivering any still waiting), by address."""
    work()
    return {email.to[0]: email for email in mailoutbox}


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _unchanged(session: Session) -> bool:
    fresh = Session.objects.get(pk=session.pk)
    return (fresh.starts_at, fresh.sequence, fresh.edited) == (session.starts_at, 0, False)


# The review step


def test_a_new_time_is_reviewed_before_it_is_saved(organizer_client, session, mailoutbox):
    response = organizer_client.post(_url(session), _later(organizer_client, session))

    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Before you save: who hears about it?</h1>" in body
    assert [str(change) for change in response.context["plan"].changes] == [
        f"Time: Thu, Dec 16, 6:00 PM {DASH} 7:00 PM → 6:30 PM {DASH} 7:30 PM"
    ]
    assert "3 people have an RSVP: 2 going, 1 on the waitlist." in body
    assert "Everyone with an RSVP: 3 people" in body
    assert "Only people going: 2 people" in body
    assert ">Save and notify 3 people</button>" in body
    assert ">Save and notify 2 people</button>" in body
    assert ">Save without emailing</button>" in body
    preview = response.context["preview"]
    assert preview.subject == (
        "[CoP Portal] New time: Tenant rights, now Thursday, December 16, 6:30 PM"
    )
    assert preview.body.startswith("Hi (their name),\n\nThe organizers changed a session")
    assert f"6:00 PM {DASH} 7:00 PM → 6:30 PM {DASH} 7:30 PM" in preview.body
    assert _unchanged(session)
    assert _sent(mailoutbox) == {}


def test_the_form_travels_in_hidden_fields(organizer_client, session):
    data = _later(organizer_client, session, agenda="1. Stories\n2. Questions\n3. Snacks")

    body = organizer_client.post(_url(session), data).content.decode()

    assert '<input type="hidden" name="start_time" value="18:30">' in body
    assert '<input type="hidden" name="agenda" value="1. Stories\n2. Questions\n3. Snacks">' in body


def test_everyone_told_with_the_note(organizer_client, session, mailoutbox):
    data = _later(organizer_client, session, audience="everyone", note=NOTE, step="save")

    response = organizer_client.post(_url(session), data)

    session.refresh_from_db()
    sent = _sent(mailoutbox)
    assert response.status_code == 302
    assert _messages(response) == [
        "Changes saved. 3 people will get an email about it. "
        "Calendars will show the new time or place."
    ]
    assert session.local_starts_at.time() == time(18, 30)
    assert session.sequence == 1
    assert sorted(sent) == ["gina@example.org", "olga@example.org", "wren@example.org"]
    email = sent["wren@example.org"]
    assert (
        "The organizers changed a session you answered for.\n\n"
        "A note from the organizers:\n"
        "> Sorry for the shuffle: the room is booked until 6:15.\n"
        "> Coffee is on us.\n\n"
        "Here's what's different:"
    ) in email.body
    [quote] = find_all(tree(email), "table", class_="em-note")
    assert text(quote) == (
        "A note from the organizers "
        "Sorry for the shuffle: the room is booked until 6:15. Coffee is on us."
    )


def test_only_people_going_leaves_the_waitlist_alone(organizer_client, session, mailoutbox):
    data = _later(organizer_client, session, audience="going", step="save")

    response = organizer_client.post(_url(session), data)

    assert response.status_code == 302
    assert sorted(_sent(mailoutbox)) == ["gina@example.org", "olga@example.org"]
    assert _messages(response)[0].startswith("Changes saved. 2 people will get an email")


def test_nobody_saves_quietly_and_calendars_still_update(organizer_client, session, mailoutbox):
    data = _later(organizer_client, session, audience="nobody", note=NOTE, step="save")

    response = organizer_client.post(_url(session), data)

    session.refresh_from_db()
    assert response.status_code == 302
    assert _messages(response) == [
        "Changes saved. Nobody was emailed. Calendars will show the new time or place."
    ]
    assert session.local_starts_at.time() == time(18, 30)
    assert session.sequence == 1  # subscribed calendars pick the change up
    assert _sent(mailoutbox) == {}
    assert not OutgoingEmail.objects.filter(kind="session_changed").exists()


def test_update_preview_shows_the_note_and_the_choice(organizer_client, session):
    data = _later(
        organizer_client, session, audience="going", note="<b>Bring</b> a friend", step="preview"
    )

    response = organizer_client.post(_url(session), data)

    body = response.content.decode()
    assert response.status_code == 200
    assert "A note from the organizers:\n&gt; &lt;b&gt;Bring&lt;/b&gt; a friend" in body
    assert "<b>Bring</b>" not in body  # typed text, never markup
    # The button for the choice shows; the others wait for their radio (CSS :has()).
    assert 'class="button notify-save notify-save--going">Save and notify 2 people</button>' in body
    assert 'notify-save--everyone notify-save--other">Save and notify 3 people' in body
    assert 'class="notify-preview"' in body
    assert _unchanged(session)


def test_choosing_nobody_shows_no_email(organizer_client, session):
    data = _later(organizer_client, session, audience="nobody", step="preview")

    body = organizer_client.post(_url(session), data).content.decode()

    assert 'class="notify-preview notify-preview--quiet"' in body
    assert "<strong>Nobody gets an email.</strong>" in body


def test_back_to_editing_shows_the_form_as_typed(organizer_client, session, mailoutbox):
    data = _later(organizer_client, session, audience="everyone", step="back")

    response = organizer_client.post(_url(session), data)

    body = response.content.decode()
    assert response.status_code == 200
    assert response.templates[0].name == "sessions_app/organize/session_form.html"
    assert 'name="start_time" value="18:30"' in body
    assert _unchanged(session)
    assert _sent(mailoutbox) == {}


def test_a_new_link_alone_goes_to_people_going_online(organizer_client, session, mailoutbox):
    data = _edit_data(organizer_client, session, meeting_url="https://meet.example.org/new")

    review = organizer_client.post(_url(session), data)
    saved = organizer_client.post(_url(session), {**data, "audience": "everyone", "step": "save"})

    body = review.content.decode()
    assert "A new meeting link goes only to people going online: 1 person is going online." in body
    assert "Everyone going online: 1 person" in body
    assert "Only people going" not in body
    assert review.context["preview"].body.count("Join online: https://meet.example.org/new") == 1
    assert saved.status_code == 302
    assert list(_sent(mailoutbox)) == ["olga@example.org"]


# Saved at once, nobody emailed


def test_an_agenda_typo_is_saved_at_once(organizer_client, session, mailoutbox):
    data = _edit_data(organizer_client, session, agenda="1. Stories\n2. Questions (fixed)")

    response = organizer_client.post(_url(session), data)

    session.refresh_from_db()
    assert response.status_code == 302
    assert _messages(response) == ["Changes saved. Nobody was emailed."]
    assert session.agenda == "1. Stories\n2. Questions (fixed)"
    assert session.sequence == 0
    assert _sent(mailoutbox) == {}


def test_a_draft_is_saved_at_once(organizer_client, mailoutbox):
    draft = make_session(status=SessionStatus.DRAFT, starts_at=local(2027, 12, 16, 18))

    response = organizer_client.post(_url(draft), _later(organizer_client, draft))

    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.local_starts_at.time() == time(18, 30)
    assert _sent(mailoutbox) == {}


def test_a_session_nobody_answered_is_saved_at_once(organizer_client):
    quiet = make_session(starts_at=local(2027, 12, 16, 18))

    response = organizer_client.post(_url(quiet), _later(organizer_client, quiet))

    quiet.refresh_from_db()
    assert response.status_code == 302
    assert _messages(response) == [
        "Changes saved. Nobody was emailed. Calendars will show the new time or place."
    ]
    assert quiet.sequence == 1


# Bad input


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"audience": "the-whole-city"}, "audience", "Choose who gets an email from the list."),
        ({"note": "x" * 1001}, "note", "Keep the note to 1,000 characters (it has 1001)."),
        ({"step": "publish"}, "step", "Use one of the buttons below the form."),
    ],
)
def test_a_tampered_choice_is_refused(organizer_client, session, changes, field, message):
    data = _later(organizer_client, session, **{"audience": "everyone", "step": "save", **changes})

    response = organizer_client.post(_url(session), data)

    assert response.status_code == 400
    assert response.context["notify_form"].errors[field] == [message]
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert _unchanged(session)


def test_a_tampered_hidden_field_is_refused_next_to_it(organizer_client, session, mailoutbox):
    data = _later(organizer_client, session, date="2027-02-30", audience="everyone", step="save")

    response = organizer_client.post(_url(session), data)

    assert response.status_code == 400
    assert response.context["form"].errors["date"] == ["Enter a valid date."]
    assert 'id="id_date_error"' in response.content.decode()
    assert _unchanged(session)
    assert _sent(mailoutbox) == {}


def test_members_cannot_save_through_the_review(member_client, session):
    data = {"start_time": "18:30", "audience": "nobody", "step": "save"}

    response = member_client.post(_url(session), data)

    assert response.status_code == 403
    assert _unchanged(session)


def test_the_number_told_is_the_emails_sent(organizer_client, session, mailoutbox):
    # Gina also answered as a guest with her address (in capitals), and someone cancelled:
    # still three people, each emailed once.
    make_rsvp(session, name="Gina Again", email="GINA@example.org", status="waitlisted")
    make_rsvp(session, name="Carl Cancelled", status="cancelled")
    data = _later(organizer_client, session)

    shown = organizer_client.post(_url(session), data).content.decode()
    saved = organizer_client.post(_url(session), {**data, "audience": "everyone", "step": "save"})

    assert "3 people have an RSVP: 2 going, 1 on the waitlist." in shown
    assert ">Save and notify 3 people</button>" in shown
    assert _messages(saved)[0].startswith("Changes saved. 3 people will get an email about it.")
    work()
    assert sorted(email.to[0].lower() for email in mailoutbox) == [
        "gina@example.org",
        "olga@example.org",
        "wren@example.org",
    ]
    assert OutgoingEmail.objects.filter(kind="session_changed").count() == 3


@pytest.mark.parametrize("count", [3, 150])
def test_review_query_count_is_flat(
    organizer_client, session, django_assert_max_num_queries, count
):
    for n in range(count - 3):
        rsvp_create(session=session, attend_as="online", guest=Guest(f"G{n}", f"g{n}@example.org"))
    data = _later(organizer_client, session)

    with django_assert_max_num_queries(7):
        response = organizer_client.post(_url(session), data)

    assert response.context["plan"].told == Told(going=count - 1, waitlisted=1)


# Cancelling


def _cancel_url(session: Session) -> str:
    return reverse("sessions:session-cancel", args=[session.slug])


def test_cancel_page_says_who_will_be_told(organizer_client, session):
    body = organizer_client.get(_cancel_url(session)).content.decode()

    assert "3 people have an RSVP: 2 going, 1 on the waitlist." in body
    assert ">Cancel and notify 3 people</button>" in body
    assert ">Preview the email</button>" in body


def test_cancel_preview_saves_nothing(organizer_client, session, mailoutbox):
    data = {"reason": "The boiler broke.", "audience": "everyone", "note": NOTE, "step": "preview"}

    response = organizer_client.post(_cancel_url(session), data)

    preview = response.context["preview"]
    assert response.status_code == 200
    assert preview.subject == "[CoP Portal] Cancelled: Tenant rights, Thursday, December 16"
    assert (
        "is cancelled.\n\nThe boiler broke.\n\nA note from the organizers:\n"
        "> Sorry for the shuffle: the room is booked until 6:15.\n> Coffee is on us."
    ) in preview.body
    assert ">Update preview</button>" in response.content.decode()
    assert Session.objects.get(pk=session.pk).status == SessionStatus.PUBLISHED
    assert _sent(mailoutbox) == {}


def test_cancel_to_people_going_with_a_note(organizer_client, session, mailoutbox):
    data = {"reason": "The boiler broke.", "audience": "going", "note": NOTE, "step": "save"}

    response = organizer_client.post(_cancel_url(session), data)

    sent = _sent(mailoutbox)
    assert response.status_code == 302
    assert _messages(response) == ["“Tenant rights” is cancelled. 2 people will get an email."]
    assert Session.objects.get(pk=session.pk).status == SessionStatus.CANCELLED
    assert sorted(sent) == ["gina@example.org", "olga@example.org"]
    assert (
        "The boiler broke.\n\nA note from the organizers:\n> Sorry" in sent["gina@example.org"].body
    )
    assert "A note from the organizers" in html_of(sent["olga@example.org"])


def test_cancel_telling_nobody(organizer_client, session, mailoutbox):
    data = {"reason": "The boiler broke.", "audience": "nobody", "step": "save"}

    response = organizer_client.post(_cancel_url(session), data)

    assert _messages(response) == ["“Tenant rights” is cancelled. Nobody was emailed."]
    assert Session.objects.get(pk=session.pk).status == SessionStatus.CANCELLED
    assert _sent(mailoutbox) == {}


def test_cancel_without_rsvps_says_nobody_will_be_told(organizer_client):
    quiet = make_session()

    body = organizer_client.get(_cancel_url(quiet)).content.decode()

    assert "Nobody has an RSVP, so nobody will get an email." in body
    assert 'name="audience"' not in body


def test_cancel_with_a_tampered_note_is_refused(organizer_client, session):
    data = {"reason": "Snow.", "audience": "everyone", "note": "x" * 1001, "step": "save"}

    response = organizer_client.post(_cancel_url(session), data)

    assert response.status_code == 400
    assert 'id="id_note_error"' in response.content.decode()
    assert Session.objects.get(pk=session.pk).status == SessionStatus.PUBLISHED


def test_the_note_is_escaped_in_the_html_email(organizer_client, session, mailoutbox):
    data = {"reason": "Snow.", "note": "<script>alert(1)</script>", "step": "save"}

    organizer_client.post(_cancel_url(session), data)

    html = html_of(_sent(mailoutbox)["gina@example.org"])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html
