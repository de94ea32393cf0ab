"""What organizers and operators see of outgoing mail, and what they can do about it:
the Emails page, "try again", the counts on a session's page, the announcement notice
after publishing, the admin, the commands, and an account's emails forgotten with it."""

import smtplib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cop_portal.mail import delivery
from cop_portal.mail import preferences as email_prefs
from cop_portal.mail.kinds import MailKind
from cop_portal.mail.models import Dispatch, EmailStatus, OutgoingEmail
from cop_portal.mail.tasks import prune
from members.services.account import account_delete
from sessions_app.announcements import announce
from sessions_app.services.rsvps import Guest, rsvp_create
from tests.factories import make_session, make_user
from tests.outbox import work

pytestmark = pytest.mark.django_db

OUTBOX = "/organize/emails/"
RETRY = "/organize/emails/retry/"


def refusing(monkeypatch, code: int = 550) -> None:
    def refuse(self, messages):
        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (code, b"No such mailbox")})

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)


def failed_guest_email(monkeypatch, address: str = "gone@example.org") -> OutgoingEmail:
    """A guest's confirmation that the mail server refused for good."""
    with monkeypatch.context() as patch:
        refusing(patch)
        rsvp_create(session=make_session(), attend_as="in-person", guest=Guest("Gone", address))
        work()
    return OutgoingEmail.objects.get(to=address)


def test_emails_page_lists_failed_emails_with_who_what_and_the_error(organizer_client, monkeypatch):
    failed = failed_guest_email(monkeypatch)

    response = organizer_client.get(OUTBOX)

    assert failed.status == EmailStatus.FAILED
    page = response.content.decode()
    assert response.status_code == 200
    assert "gone@example.org" in page
    assert "RSVP confirmed" in page  # what kind of email
    assert "[CoP Portal] You&#x27;re in" in page  # its subject
    assert "The mail server refused the address: 550 No such mailbox" in page
    assert '<span class="mail-totals__number">1</span> failed' in page


def test_emails_page_is_for_organizers_only(client, member_client):
    assert client.get(OUTBOX).status_code == 302  # to log in
    assert member_client.get(OUTBOX).status_code == 403
    assert member_client.post(RETRY).status_code == 403


def test_try_again_sends_a_failed_email_once_the_server_takes_it(
    organizer_client, monkeypatch, mailoutbox
):
    failed = failed_guest_email(monkeypatch)

    response = organizer_client.post(RETRY, {"email": failed.pk}, follow=True)

    failed.refresh_from_db()
    assert failed.status == EmailStatus.SENT
    assert [email.to for email in mailoutbox] == [["gone@example.org"]]
    assert "1 email is being sent again." in response.content.decode()


def test_try_all_again_gives_every_failed_email_a_new_day(organizer_client, monkeypatch):
    first = failed_guest_email(monkeypatch, "one@example.org")
    second = failed_guest_email(monkeypatch, "two@example.org")
    refusing(monkeypatch, code=451)  # still refused, but only for now

    organizer_client.post(RETRY)

    for email in (first, second):
        email.refresh_from_db()
        assert email.status == EmailStatus.QUEUED
        assert email.attempts == 1  # one new try, refused for now: waiting for the next
        assert email.give_up_at > timezone.now() + timedelta(hours=23)


def test_try_again_with_nothing_failed_changes_nothing(organizer_client):
    response = organizer_client.post(RETRY, {"email": 12345}, follow=True)

    assert "Nothing to try again" in response.content.decode()


def test_try_again_with_a_bad_number_says_so(organizer_client):
    response = organizer_client.post(RETRY, {"email": "not a number"}, follow=True)

    assert "That email could not be found." in response.content.decode()


def test_session_page_shows_organizers_how_its_emails_went(organizer_client, monkeypatch):
    session = make_session()
    rsvp_create(session=session, attend_as="in-person", guest=Guest("A", "a@example.org"))
    work()
    with monkeypatch.context() as patch:
        refusing(patch)
        rsvp_create(session=session, attend_as="in-person", guest=Guest("B", "b@example.org"))
        work()
    # One more, queued but not yet delivered.
    rsvp_create(session=session, attend_as="in-person", guest=Guest("C", "c@example.org"))

    page = organizer_client.get(session.get_absolute_url()).content.decode()
    visitor_page = Client().get(session.get_absolute_url()).content.decode()

    assert "Emails about this session: 1 sent, 1 waiting," in page
    assert f'<a href="{OUTBOX}">1 failed</a>' in page
    assert "Emails about this session" not in visitor_page


def test_publishing_tells_the_organizer_how_many_the_announcement_will_reach(
    organizer_client,
):
    for _ in range(3):
        email_prefs.set_preference(make_user().email, "announcements", True)
    draft = make_session(status="draft")

    response = organizer_client.post(
        reverse("sessions:session-publish", kwargs={"slug": draft.slug}),
        {"confirm": "yes"},
        follow=True,
    )

    assert "Announcement queued for 3 people." in response.content.decode()
    dispatch = Dispatch.objects.get()
    assert (dispatch.planned, dispatch.kind) == (3, MailKind.SESSIONS_ANNOUNCED)


def test_admin_lists_outgoing_emails_without_their_contents(monkeypatch):
    failed_guest_email(monkeypatch)
    admin = make_user(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)

    listing = client.get("/admin/mail/outgoingemail/?status__exact=failed")
    detail = client.get(f"/admin/mail/outgoingemail/{OutgoingEmail.objects.get().pk}/change/")

    assert listing.status_code == detail.status_code == 200
    assert "gone@example.org" in listing.content.decode()
    assert "Params" not in detail.content.decode()


def test_mail_status_command_shows_counts_and_failures(monkeypatch):
    failed = failed_guest_email(monkeypatch)
    out = StringIO()

    call_command("mail_status", stdout=out)

    text = out.getvalue()
    assert "Emails: 0 sent, 0 waiting, 1 failed, 0 not needed." in text
    assert f"#{failed.pk} RSVP confirmed to gone@example.org, 1 tries:" in text


def test_mail_retry_command_queues_failed_emails_again(monkeypatch, mailoutbox):
    failed_guest_email(monkeypatch)
    out = StringIO()

    call_command("mail_retry", stdout=out)
    work()

    assert out.getvalue() == "1 failed email queued again.\n"
    assert [email.to for email in mailoutbox] == [["gone@example.org"]]


def test_prune_deletes_old_sent_emails_and_keeps_failed_ones(monkeypatch, settings):
    settings.MAIL_KEEP_DAYS = 30
    failed = failed_guest_email(monkeypatch)
    rsvp_create(session=make_session(), attend_as="in-person", guest=Guest("S", "s@example.org"))
    work()
    OutgoingEmail.objects.update(finished_at=timezone.now() - timedelta(days=31))
    out = StringIO()

    call_command("mail_prune", stdout=out)

    assert list(OutgoingEmail.objects.values_list("pk", flat=True)) == [failed.pk]
    assert out.getvalue().startswith("Deleted 1 emails,")
    assert prune()["emails"] == 0


def test_deleting_an_account_forgets_the_emails_to_it_and_no_one_elses(mailoutbox):
    leaving = make_user(email="leaving@example.org")
    staying = make_user(email="staying@example.org")
    session = make_session()
    for user in (leaving, staying):
        rsvp_create(session=session, attend_as="in-person", user=user)
    work()

    account_delete(user=leaving, keep_posts=True)

    assert not OutgoingEmail.objects.filter(to="leaving@example.org").exists()
    assert OutgoingEmail.objects.filter(to="staying@example.org").count() == 1


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (
            smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"5.1.1  No such\r\n user")}),
            "The mail server refused the address: 550 5.1.1 No such user",
        ),
        (
            smtplib.SMTPDataError(554, b"5.7.1 Rejected as spam"),
            "The mail server refused the message: 554 5.7.1 Rejected as spam",
        ),
        (
            smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
            "The mail server hung up: Connection unexpectedly closed",
        ),
        (TimeoutError("timed out"), "The mail server did not answer in time (timed out)"),
        (
            ConnectionRefusedError(111, "Connection refused"),
            "Could not reach the mail server: [Errno 111] Connection refused",
        ),
    ],
)
def test_errors_are_described_in_words_with_the_servers_reply(error, said):
    assert delivery.describe(error) == said


def test_the_organize_menu_leads_to_the_emails_page(organizer_client, member_client):
    link = f'<a href="{OUTBOX}">Emails</a>'

    assert link in organizer_client.get("/").content.decode()
    assert link not in member_client.get("/").content.decode()


def test_emails_page_query_count_does_not_grow_with_failures_and_fan_outs(
    organizer_client, monkeypatch, django_assert_max_num_queries
):
    def fill(count: int) -> None:
        for n in range(count):
            failed_guest_email(monkeypatch, f"gone{OutgoingEmail.objects.count()}-{n}@x.org")
            with transaction.atomic():
                announce([make_session()])

    # log-in session, user, organizer role; totals, failed emails, fan-outs, tasks
    fill(1)
    with django_assert_max_num_queries(7):
        organizer_client.get(OUTBOX)
    fill(20)

    with django_assert_max_num_queries(7):
        response = organizer_client.get(OUTBOX)

    assert response.content.decode().count("Try again<span") == 21
