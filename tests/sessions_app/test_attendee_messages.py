"""An organizer messages the people of a session: who gets it, what it says, the
preview, the limits, and the list of messages sent with their delivery counts."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import dateformat, timezone

from cop_portal.mail import preferences as email_prefs
from cop_portal.mail.models import Dispatch, EmailStatus, OutgoingEmail
from sessions_app.attendee_messages import message_digest, sent_messages
from sessions_app.models import AttendanceMode, AttendAs, Rsvp, RsvpStatus, SessionStatus
from sessions_app.models.session import local_zone
from sessions_app.services.attendee_messages import attendee_message_send
from tests.email_html import html_of, links
from tests.factories import make_rsvp, make_session, make_user
from tests.outbox import SITE, work

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_url")]

GOING, WAITLISTED, CANCELLED = RsvpStatus.GOING, RsvpStatus.WAITLISTED, RsvpStatus.CANCELLED
IN_PERSON, ONLINE = AttendAs.IN_PERSON, AttendAs.ONLINE


def local(moment):
    return timezone.localtime(moment, local_zone())


def url(session) -> str:
    return reverse("sessions:session-message", kwargs={"slug": session.slug})


def message(audience="going", attend_as="all", action="send", **fields):
    """The form as posted from its preview: Send carries the preview's digest."""
    data = {
        "audience": audience,
        "attend_as": attend_as,
        "subject": "Room change tonight",
        "body": "We're in room 2 tonight.\n\nThe lift is on the left.",
        "action": action,
        **fields,
    }
    data.setdefault(
        "digest",
        message_digest(
            audience=data["audience"],
            attend_as=data["attend_as"],
            subject=data["subject"],
            body=data["body"],
        ),
    )
    return data


def send(organizer, session, *, audience="going", subject="Hello", body="See you soon."):
    """attendee_message_send as the view calls it (in a transaction, which the fan-out
    starts after)."""
    with transaction.atomic():
        return attendee_message_send(
            session=session,
            sender=organizer,
            audience=audience,
            attend_as="all",
            subject=subject,
            body=body,
        )


def addresses(mailoutbox) -> list[str]:
    return sorted(address for email in mailoutbox for address in email.to)


@pytest.fixture
def session():
    return make_session(topic="Keeping volunteers", attendance_mode=AttendanceMode.HYBRID)


@pytest.fixture
def people(session):
    """One of each: going and waitlisted, in person and online, members and guests, and
    two who cancelled."""
    make_rsvp(session, user=make_user(email="ana@example.org", display_name="Ana"))
    make_rsvp(session, attend_as=ONLINE, name="Ben Guest", email="ben@example.org")
    make_rsvp(session, status=WAITLISTED, user=make_user(email="cy@example.org", display_name="Cy"))
    make_rsvp(session, status=WAITLISTED, attend_as=ONLINE, name="Di Guest", email="di@example.org")
    make_rsvp(session, status=CANCELLED, user=make_user(email="ed@example.org"))
    make_rsvp(session, status=CANCELLED, attend_as=ONLINE, name="Fay", email="fay@example.org")


# Who gets it


@pytest.mark.parametrize(
    ("audience", "attend_as", "expected"),
    [
        ("going", "all", ["ana@example.org", "ben@example.org"]),
        ("going", "in-person", ["ana@example.org"]),
        ("going", "online", ["ben@example.org"]),
        ("waitlist", "all", ["cy@example.org", "di@example.org"]),
        ("waitlist", "in-person", ["cy@example.org"]),
        ("waitlist", "online", ["di@example.org"]),
        (
            "both",
            "all",
            ["ana@example.org", "ben@example.org", "cy@example.org", "di@example.org"],
        ),
        ("both", "in-person", ["ana@example.org", "cy@example.org"]),
        ("both", "online", ["ben@example.org", "di@example.org"]),
    ],
)
def test_message_goes_to_the_people_chosen_never_to_cancelled_rsvps(
    organizer_client, session, people, mailoutbox, audience, attend_as, expected
):
    response = organizer_client.post(url(session), message(audience, attend_as))

    assert response.status_code == 302
    assert response["Location"] == url(session)
    assert addresses(mailoutbox) == expected
    [dispatch] = Dispatch.objects.all()
    assert dispatch.planned == len(expected)
    assert dispatch.label == "Message: Room change tonight"
    assert dispatch.topics == f" session:{session.pk} "


def test_message_success_says_how_many_people(organizer_client, session, people):
    response = organizer_client.post(url(session), message("both"), follow=True)

    assert "Your message is on its way to 4 people." in response.content.decode()


def test_message_skips_people_who_switched_organizer_messages_off(
    organizer_client, session, people, mailoutbox
):
    email_prefs.set_preference("ana@example.org", "organizer_messages", False)
    email_prefs.set_preference("di@example.org", "organizer_messages", False)

    organizer_client.post(url(session), message("both"))

    assert addresses(mailoutbox) == ["ben@example.org", "cy@example.org"]
    assert Dispatch.objects.get().planned == 2


def test_message_switched_off_after_sending_is_skipped(organizer, session, people, mailoutbox):
    send(organizer, session)
    email_prefs.set_preference("ben@example.org", "organizer_messages", False)

    work()

    assert addresses(mailoutbox) == ["ana@example.org"]
    skipped = OutgoingEmail.objects.get(to="ben@example.org")
    assert (skipped.status, skipped.last_error) == (
        EmailStatus.SKIPPED,
        "Switched off by the person.",
    )


def test_message_goes_to_rsvps_active_when_sent_not_later_ones(
    organizer, session, people, mailoutbox
):
    send(organizer, session)
    Rsvp.objects.filter(email="ben@example.org").update(status=CANCELLED)
    make_rsvp(session, name="Late Guest", email="late@example.org")

    work()

    assert addresses(mailoutbox) == ["ana@example.org"]
    skipped = OutgoingEmail.objects.get(to="ben@example.org")
    assert (skipped.status, skipped.last_error) == (
        EmailStatus.SKIPPED,
        "The RSVP was cancelled since.",
    )
    assert not OutgoingEmail.objects.filter(to="late@example.org").exists()


def test_message_over_the_recipients_budget_is_skipped(
    organizer_client, session, people, mailoutbox, settings
):
    settings.MAIL_RATE_PER_RECIPIENT_NOTICES = "0/h"

    organizer_client.post(url(session), message("going"))

    assert mailoutbox == []
    assert (
        list(OutgoingEmail.objects.values_list("status", "last_error"))
        == [(EmailStatus.SKIPPED, "Over the per-recipient limit.")] * 2
    )


def test_message_to_nobody_is_refused_next_to_the_field(organizer_client, session, mailoutbox):
    make_rsvp(session, name="Ben Guest", email="ben@example.org")

    response = organizer_client.post(url(session), message("waitlist"))

    page = response.content.decode()
    assert response.status_code == 400
    assert response.context["form"].errors["audience"] == [
        "Nobody would get this message: nobody matches this choice, or everyone who does "
        "has switched off messages from organizers. Choose other people, or check the "
        "RSVP list."
    ]
    assert 'id="id_audience_error"' in page
    assert Dispatch.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        ({"subject": ""}, "subject", "Write a subject, so people know what it's about."),
        ({"body": "  "}, "body", "Write your message."),
        (
            {"subject": "x" * 151},
            "subject",
            "Ensure this value has at most 150 characters (it has 151).",
        ),
        (
            {"body": "x" * 5001},
            "body",
            "Ensure this value has at most 5000 characters (it has 5001).",
        ),
        (
            {"audience": "everyone"},
            "audience",
            "Select a valid choice. everyone is not one of the available choices.",
        ),
    ],
)
def test_message_bad_input_is_400_next_to_the_field(
    organizer_client, session, people, fields, field, error
):
    response = organizer_client.post(url(session), message(**fields))

    assert response.status_code == 400
    assert response.context["form"].errors == {field: [error]}
    assert Dispatch.objects.count() == 0


def test_message_to_a_cancelled_or_past_session_is_allowed(organizer_client, mailoutbox):
    cancelled = make_session(status=SessionStatus.CANCELLED, cancellation_reason="Snow.")
    past = make_session(starts_at=timezone.now() - timedelta(days=2))
    make_rsvp(cancelled, name="Ana", email="ana@example.org")
    make_rsvp(past, name="Ben", email="ben@example.org")

    answers = [
        organizer_client.post(url(cancelled), message(subject="New date soon")),
        organizer_client.post(url(past), message(subject="Slides from Tuesday")),
    ]

    assert [answer.status_code for answer in answers] == [302, 302]
    assert [(email.to, email.subject) for email in mailoutbox] == [
        (["ana@example.org"], "[CoP Portal] New date soon"),
        (["ben@example.org"], "[CoP Portal] Slides from Tuesday"),
    ]
    assert "Cancelled" in html_of(mailoutbox[0])


def test_message_to_a_draft_is_refused(organizer_client):
    draft = make_session(status=SessionStatus.DRAFT)
    make_rsvp(draft, name="Ana", email="ana@example.org")

    page = organizer_client.get(url(draft))
    response = organizer_client.post(url(draft), message())

    refusal = "This session is still a draft, so nobody can RSVP to it yet"
    assert page.status_code == 200
    assert refusal in page.content.decode()
    assert 'id="message-form"' not in page.content.decode()
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()[0].startswith(refusal)
    assert Dispatch.objects.count() == 0


# The preview


def test_preview_shows_the_email_and_the_count_and_sends_nothing(
    organizer_client, session, people, mailoutbox
):
    response = organizer_client.post(url(session), message("both", "in-person", action="preview"))

    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["preview"].count == 2
    assert (
        "<strong>2 people</strong> will get this: people going and the waitlist, in person only."
        in page
    )
    assert "<strong>[CoP Portal] Room change tonight</strong>" in page
    assert (
        "Hi (their name),\n\nWe&#x27;re in room 2 tonight.\n\nThe lift is on the left.\n\n" in page
    )
    assert "Olu Organizer\nfor the organizers of CoP Portal\n\nKeeping volunteers\n" in page
    assert (
        "Don&#x27;t want messages from organizers about sessions you&#x27;re coming to? "
        "Unsubscribe in one click:\n(their own unsubscribe link)" in page
    )
    assert f'name="digest" value="{response.context["preview"].digest}"' in page
    assert ">Send to 2 people</button>" in page
    assert Dispatch.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0
    assert mailoutbox == []


def test_preview_is_the_email_that_goes(organizer_client, session, people, mailoutbox):
    """The preview renders the email's own template: what the reader gets is the
    preview with their name and their own unsubscribe link filled in."""
    shown = organizer_client.post(url(session), message("going", "in-person", action="preview"))
    organizer_client.post(url(session), message("going", "in-person"))

    [email] = mailoutbox
    preview = shown.context["preview"].email
    unsubscribe = links(email)["Unsubscribe in one click"]
    assert email.subject == preview.subject
    assert email.body == preview.body.replace("(their name)", "Ana").replace(
        "(their own unsubscribe link)", unsubscribe
    )


def test_preview_to_the_waitlist_says_why_they_got_it(organizer_client, session, people):
    response = organizer_client.post(url(session), message("waitlist", action="preview"))

    assert "because you&#x27;re on the waitlist for this session." in response.content.decode()


def test_preview_counts_one_address_once_as_sending_does(organizer_client, session, mailoutbox):
    """A member's RSVP and a guest RSVP with the member's address are one person: one
    email, and the preview says so."""
    member = make_user(email="ana@example.org", display_name="Ana")
    make_rsvp(session, user=member)
    make_rsvp(session, attend_as=ONLINE, name="Ana Again", email="ANA@example.org")
    make_rsvp(session, name="Ben Guest", email="ben@example.org")

    shown = organizer_client.post(url(session), message(action="preview"))
    sent = organizer_client.post(url(session), message(), follow=True)

    assert shown.context["preview"].count == 2
    assert ">Send to 2 people</button>" in shown.content.decode()
    assert "Your message is on its way to 2 people." in sent.content.decode()
    assert addresses(mailoutbox) == ["ana@example.org", "ben@example.org"]
    assert Dispatch.objects.get().planned == OutgoingEmail.objects.count() == 2


@pytest.mark.parametrize("count", [2, 40])
def test_preview_queries_stay_flat(organizer_client, session, count, django_assert_max_num_queries):
    for n in range(count):
        make_rsvp(session, name=f"Guest {n}", email=f"guest{n}@example.org")
    for n in range(count // 2):
        make_rsvp(session, user=make_user(email=f"member{n}@example.org"), status=WAITLISTED)

    with django_assert_max_num_queries(7):
        response = organizer_client.post(url(session), message("both", action="preview"))

    assert response.context["preview"].count == count + count // 2


# Sending twice


def test_the_same_message_sent_twice_goes_once(organizer_client, session, people, mailoutbox):
    """A double click, or Send pressed again after a slow answer."""
    first = organizer_client.post(url(session), message("both"))
    second = organizer_client.post(url(session), message("both"), follow=True)

    sent_at = Dispatch.objects.get().created_at
    assert first.status_code == 302
    assert second.redirect_chain == [(url(session), 302)]
    assert (
        f"This message was already sent at {dateformat.format(local(sent_at), 'g:i A')}."
        in second.content.decode()
    )
    assert addresses(mailoutbox) == [
        "ana@example.org",
        "ben@example.org",
        "cy@example.org",
        "di@example.org",
    ]
    assert OutgoingEmail.objects.count() == 4


def test_the_same_message_may_go_again_later_or_to_other_people(
    organizer_client, session, people, mailoutbox
):
    organizer_client.post(url(session), message("going"))
    organizer_client.post(url(session), message("waitlist"))
    Dispatch.objects.update(created_at=timezone.now() - timedelta(minutes=11))
    organizer_client.post(url(session), message("going"))

    assert Dispatch.objects.count() == 3
    assert len(mailoutbox) == 6


def test_send_after_changing_the_message_shows_the_new_preview_and_sends_nothing(
    organizer_client, session, people, mailoutbox
):
    previewed = message("going", action="preview")
    shown = organizer_client.post(url(session), previewed)
    edited = message("both", subject="Room change tonight!", digest=previewed["digest"])

    response = organizer_client.post(url(session), edited)

    assert response.status_code == 409
    assert response.context["form"].non_field_errors() == [
        "The message or the people it goes to changed since the preview, so nothing was "
        "sent. Here is the new preview: check it, then press Send again."
    ]
    assert response.context["preview"].count == 4
    assert response.context["preview"].digest != shown.context["preview"].digest
    assert Dispatch.objects.count() == 0
    assert mailoutbox == []


def test_preview_for_nobody_offers_no_send_button(organizer_client, session):
    response = organizer_client.post(url(session), message(action="preview"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Nobody would get this yet" in page
    assert 'value="send"' not in page


def test_preview_escapes_the_message(organizer_client, session, people):
    body = "<script>alert(1)</script> & <b>bold</b>"

    response = organizer_client.post(url(session), message(action="preview", body=body))

    page = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "<script>alert(1)" not in page


def test_page_asks_attending_only_at_hybrid_sessions(organizer_client):
    hybrid = make_session(attendance_mode=AttendanceMode.HYBRID)
    online = make_session(attendance_mode=AttendanceMode.ONLINE, venue=None)

    hybrid_page = organizer_client.get(url(hybrid))
    online_page = organizer_client.get(url(online))

    assert list(hybrid_page.context["form"].fields) == [
        "audience",
        "attend_as",
        "subject",
        "body",
        "action",
        "digest",
    ]
    assert "In person only" in hybrid_page.content.decode()
    assert list(online_page.context["form"].fields) == [
        "audience",
        "subject",
        "body",
        "action",
        "digest",
    ]
    assert "In person only" not in online_page.content.decode()


# Who may


def test_message_page_visitor_is_sent_to_log_in(client, session, people):
    response = client.post(url(session), message())

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url(session)}"
    assert Dispatch.objects.count() == 0


def test_message_page_member_is_refused(member_client, session, people, mailoutbox):
    page = member_client.get(url(session))
    response = member_client.post(url(session), message())

    assert (page.status_code, response.status_code) == (403, 403)
    assert Dispatch.objects.count() == 0
    assert mailoutbox == []


def test_message_page_unknown_session_is_404(organizer_client):
    response = organizer_client.get("/sessions/no-such-session/message/")

    assert response.status_code == 404


def test_message_over_the_organizer_limit_is_429_and_queues_nothing(
    organizer_client, session, people, mailoutbox, settings
):
    settings.MAIL_RATE_PER_ORGANIZER = "1/h"

    first = organizer_client.post(url(session), message())
    second = organizer_client.post(url(session), message(subject="One more thing"))

    assert (first.status_code, second.status_code) == (302, 429)
    assert "You&#x27;ve made many changes that email people in a short time." in (
        second.content.decode()
    )
    assert list(Dispatch.objects.values_list("params__subject", flat=True)) == [
        "Room change tonight"
    ]
    assert len(mailoutbox) == 2


def test_preview_does_not_count_against_the_organizer_limit(
    organizer_client, session, people, settings, mailoutbox
):
    settings.MAIL_RATE_PER_ORGANIZER = "1/h"

    previews = [organizer_client.post(url(session), message(action="preview")) for _ in range(3)]
    sent = organizer_client.post(url(session), message())

    assert [answer.status_code for answer in previews] == [200, 200, 200]
    assert sent.status_code == 302
    assert Dispatch.objects.get().planned == 2
    assert addresses(mailoutbox) == ["ana@example.org", "ben@example.org"]


# The emails


def test_message_email_text_and_html(organizer_client, organizer, session, people, mailoutbox):
    body = "Bring <b>your</b> notes & questions.\nAnd a friend.\n\nSee you at 6."
    organizer_client.post(url(session), message("going", "in-person", body=body))

    [email] = mailoutbox
    html = html_of(email)
    session_url = f"{SITE}/sessions/{session.slug}/"
    assert email.to == ["ana@example.org"]
    assert email.subject == "[CoP Portal] Room change tonight"
    assert email.body.startswith(
        "Hi Ana,\n\nBring <b>your</b> notes & questions.\nAnd a friend.\n\nSee you at 6.\n\n"
        "Olu Organizer\nfor the organizers of CoP Portal\n\nKeeping volunteers\n"
    )
    assert f"More:  {session_url}" in email.body
    assert "Bring &lt;b&gt;your&lt;/b&gt; notes &amp; questions.<br>And a friend." in html
    assert "<b>your</b>" not in html
    assert '<p style="margin:0 0 16px;">See you at 6.</p>' in html
    assert links(email)["View the session"] == session_url
    # The meeting link is for the session's own emails; nobody's address is shown.
    assert "meet.example.org" not in email.body + html
    assert email.from_email == settings.DEFAULT_FROM_EMAIL
    assert email.reply_to == []
    assert all(
        address not in email.body + html
        for address in (organizer.email, "ben@example.org", "cy@example.org")
    )


def test_message_email_carries_the_unsubscribe_link_that_switches_it_off(
    organizer_client, client, session, people, mailoutbox
):
    organizer_client.post(url(session), message("going", "in-person"))

    [email] = mailoutbox
    unsubscribe = links(email)["Unsubscribe in one click"]
    assert unsubscribe.startswith(f"{SITE}/unsubscribe/")
    assert unsubscribe.endswith(".organizer_messages/")
    assert email.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert (
        "Don't want messages from organizers about sessions you're coming to? "
        f"Unsubscribe in one click:\n{unsubscribe}" in email.body
    )
    assert "Choose which emails you get: " in email.body  # a member

    response = client.post(unsubscribe.removeprefix(SITE), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert email_prefs.preferences_for("ana@example.org")["organizer_messages"] is False
    assert email_prefs.preferences_for("ana@example.org")["reminders"] is True


def test_guest_gets_the_private_link_and_can_unsubscribe(
    organizer_client, client, session, people, mailoutbox
):
    organizer_client.post(url(session), message("going", "online"))

    [email] = mailoutbox
    guest = Rsvp.objects.get(email="ben@example.org")
    private = f"{SITE}/rsvp/{guest.token}/"
    assert email.to == ["ben@example.org"]
    assert email.body.startswith("Hi Ben Guest,\n\n")
    assert links(email)["Manage your RSVP"] == private
    assert f"Change or cancel your RSVP with your private link (it's only for you): {private}" in (
        email.body
    )
    assert "Choose which emails you get" not in email.body  # guests have no account

    client.post(
        links(email)["Unsubscribe in one click"].removeprefix(SITE),
        {"List-Unsubscribe": "One-Click"},
    )
    organizer_client.post(url(session), message("going", "online", subject="Again"))

    assert email_prefs.preferences_for("ben@example.org")["organizer_messages"] is False
    assert len(mailoutbox) == 1


def test_waitlisted_person_is_told_why_they_got_it(organizer_client, session, people, mailoutbox):
    organizer_client.post(url(session), message("waitlist", "in-person"))

    [email] = mailoutbox
    assert "You're getting this because you're on the waitlist for this session." in email.body


# Messages sent


def test_sent_list_shows_each_message_with_its_counts(
    organizer_client, organizer, session, people, mailoutbox
):
    organizer_client.post(url(session), message("both", subject="First"))
    email_prefs.set_preference("ana@example.org", "organizer_messages", False)
    send(organizer, session, subject="Second", body="Hello again.")
    Rsvp.objects.filter(email="ben@example.org").update(status=CANCELLED)

    before_work = organizer_client.get(url(session))
    work()
    response = organizer_client.get(url(session))

    assert [(m.subject, m.people, m.waiting, m.preparing) for m in before_work.context["sent"]] == [
        ("Second", 1, 1, True),
        ("First", 4, 0, False),
    ]
    assert [
        (m.subject, m.sender_name, m.audience, m.people, m.sent, m.waiting, m.failed, m.skipped)
        for m in response.context["sent"]
    ] == [
        ("Second", "Olu Organizer", "People going", 1, 0, 0, 0, 1),
        ("First", "Olu Organizer", "People going and the waitlist", 4, 4, 0, 0, 0),
    ]
    page = response.content.decode()
    assert '<th scope="row" data-label="Subject">Second</th>' in page
    assert '<td data-label="By">Olu Organizer</td>' in page
    assert '<td data-label="Delivered">4</td>' in page


def test_sent_list_is_only_this_sessions(organizer, session, people):
    other = make_session()
    make_rsvp(other, name="Zed", email="zed@example.org")
    send(organizer, other, subject="Elsewhere", body="Hi.")

    assert sent_messages(session) == []
    assert [m.subject for m in sent_messages(other)] == ["Elsewhere"]


@pytest.mark.parametrize("count", [1, 20])
def test_message_page_queries_stay_flat(
    organizer_client, organizer, session, people, count, django_assert_max_num_queries
):
    for n in range(count):
        send(organizer, session, audience="both", subject=f"Note {n}", body="Hi.")
    work()

    with django_assert_max_num_queries(6):
        response = organizer_client.get(url(session))

    assert len(response.context["sent"]) == count


# Ways in


def test_session_page_and_rsvp_list_link_to_the_message_page(organizer_client, session):
    detail = organizer_client.get(session.get_absolute_url()).content.decode()
    attendees = organizer_client.get(
        reverse("sessions:session-attendees", kwargs={"slug": session.slug})
    ).content.decode()

    link = f'href="{url(session)}"'
    assert link in detail
    assert link in attendees
    assert "Message attendees" in detail
    assert "Message attendees" in attendees


def test_links_in_a_message_are_links_in_the_email(organizer_client, session, people, mailoutbox):
    body = "The slides: https://example.org/slides?talk=1&part=2"

    organizer_client.post(url(session), message("going", "in-person", body=body))

    [email] = mailoutbox
    assert links(email)["https://example.org/slides?talk=1&part=2"] == (
        "https://example.org/slides?talk=1&part=2"
    )
    assert "The slides: https://example.org/slides?talk=1&part=2\n" in email.body
