"""Moderation by email: the organizers' hourly email about new reports (the worker's
round), and the outcome for reporters and authors when an organizer hides or dismisses
from the reports list."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from cop_portal.lib.roles import ORGANIZERS_GROUP
from cop_portal.mail import tasks
from cop_portal.mail.beat import ROUND
from cop_portal.mail.kinds import MailKind
from cop_portal.mail.models import Beat, EmailStatus, OutgoingEmail
from practice_library.models import Report
from practice_library.models.post import State
from practice_library.notifications import REPORTS_DIGEST, queue_reports_digest
from tests.factories import make_organizer, make_post, make_reply, make_user
from tests.outbox import SITE

pytestmark = pytest.mark.django_db


def report(client, post, *, reply=None, reason="spam", details="") -> Report:
    """A member reports through the form, as on the site."""
    if reply is None:
        url = reverse("library:post-report", kwargs={"code": post.code})
    else:
        url = reverse("library:reply-report", kwargs={"code": post.code, "reply_id": reply.pk})
    response = client.post(url, {"reason": reason, "details": details})
    assert response.status_code == 302
    return Report.objects.latest("pk")


def logged_in(client, user):
    client.force_login(user)
    return client


def worker_round(*, an_hour_later: bool = False) -> None:
    """The worker's periodic round, due now; `an_hour_later` makes the reports email
    due again too, as it is an hour after the last one."""
    Beat.objects.filter(name=ROUND).update(due_at=timezone.now())
    if an_hour_later:
        Beat.objects.filter(name=REPORTS_DIGEST).update(due_at=timezone.now())
    assert tasks.beat.call() == "done"


def digests(mailoutbox) -> list:
    return [email for email in mailoutbox if "in the practice library" in email.subject]


def assert_no_unsubscribe_line(email) -> None:
    """Moderation emails are transactional: no footer offering to stop some other kind
    of email, and no List-Unsubscribe header."""
    for content in (email.body, email.alternatives[0].content):
        assert "unsubscribe" not in content.lower()
        assert "Choose which emails you get" not in content
    assert "List-Unsubscribe" not in email.extra_headers


# The organizers' email


def test_new_reports_email_each_organizer_once_listing_them_all(
    client, organizer, site_url, mailoutbox
):
    make_organizer(display_name="Sam Second", email="sam@example.org")
    make_organizer(email="gone@example.org", is_active=False)
    post = make_post(title="Bike co-op flyer", body="Buy *cheap* watches at example.com")
    reply = make_reply(post=make_post(title="Tenant meetings"), body="You again? Get lost.")
    reporter = make_user(display_name="Rae Reporter")
    report(logged_in(client, reporter), post, reason="spam", details="An ad.")
    report(client, reply.post, reply=reply, reason="harassment")

    worker_round()

    sent = digests(mailoutbox)
    assert sorted(email.to[0] for email in sent) == sorted([organizer.email, "sam@example.org"])
    email = sent[0]
    assert email.subject == "[CoP Portal] 2 new reports in the practice library"
    text = email.body
    assert "1. Spam or advertising: the post “Bike co-op flyer”" in text
    assert "What they said: An ad." in text
    assert "It reads: “Buy cheap watches at example.com”" in text
    assert "2. Harassment or a personal attack: a reply to “Tenant meetings”" in text
    assert "It reads: “You again? Get lost.”" in text
    assert f"{SITE}/library/reports/" in text
    assert "Rae Reporter" not in text
    assert f"{SITE}{reply.get_absolute_url()}" in email.alternatives[0].content
    assert Report.objects.filter(notified_at__isnull=True).count() == 0
    assert_no_unsubscribe_line(email)


def test_reports_email_goes_once_then_waits_an_hour_for_the_next(
    client, member, organizer, mailoutbox
):
    logged_in(client, member)
    report(client, make_post(title="First"))
    worker_round()
    assert len(digests(mailoutbox)) == 1

    worker_round()  # nothing new: nothing sent
    assert len(digests(mailoutbox)) == 1

    report(client, make_post(title="Later"))
    worker_round()  # new, but within the hour of the last email
    assert len(digests(mailoutbox)) == 1

    worker_round(an_hour_later=True)

    sent = digests(mailoutbox)
    assert len(sent) == 2
    assert sent[1].subject == "[CoP Portal] A new report in the practice library"
    assert "“Later”" in sent[1].body
    assert "“First”" not in sent[1].body
    assert "2 reports are waiting in all" in sent[1].body


def test_no_reports_no_email_and_the_hour_is_not_started(organizer, mailoutbox):
    worker_round()

    assert digests(mailoutbox) == []
    assert not Beat.objects.filter(name=REPORTS_DIGEST).exists()


def test_two_workers_at_once_list_each_report_once(client, member, organizer):
    report(logged_in(client, member), make_post())
    now = timezone.now()

    first = queue_reports_digest(now)
    second = queue_reports_digest(now)

    assert (first, second) == (1, 0)
    assert OutgoingEmail.objects.filter(kind=MailKind.REPORTS_WAITING).count() == 1


def test_a_report_made_after_the_mark_waits_for_the_next_email(client, member, organizer):
    """A restart or a report committed late: anything unmarked goes in the next one."""
    report(logged_in(client, member), make_post(title="One"))
    queue_reports_digest(timezone.now())
    late = report(client, make_post(title="Two"))

    queue_reports_digest(timezone.now() + timedelta(hours=1, seconds=1))

    rows = list(OutgoingEmail.objects.filter(kind=MailKind.REPORTS_WAITING).order_by("pk"))
    assert [row.params["reports"] for row in rows] == [[late.pk - 1], [late.pk]]


def test_reports_dealt_with_before_the_email_are_left_out(
    client, member, organizer, organizer_client, mailoutbox
):
    first = report(logged_in(client, member), make_post(title="Dealt with"))
    organizer_client.post(
        reverse("library:report-resolve", kwargs={"report_id": first.pk}), {"action": "dismiss"}
    )

    worker_round()

    assert digests(mailoutbox) == []
    assert Report.objects.get().notified_at is not None


def test_reports_email_respects_the_per_recipient_limit(
    settings, client, member, organizer, mailoutbox
):
    settings.MAIL_RATE_PER_RECIPIENT = "0/h"
    report(logged_in(client, member), make_post())

    worker_round()

    assert digests(mailoutbox) == []
    assert OutgoingEmail.objects.get(kind=MailKind.REPORTS_WAITING).status == EmailStatus.SKIPPED


def test_someone_who_stopped_organizing_gets_no_reports_email(
    client, member, organizer, mailoutbox
):
    report(logged_in(client, member), make_post())
    queue_reports_digest()
    organizer.groups.remove(Group.objects.get(name=ORGANIZERS_GROUP))

    worker_round()

    assert digests(mailoutbox) == []


# The outcome


def resolve(client, report_: Report, action: str):
    return client.post(
        reverse("library:report-resolve", kwargs={"report_id": report_.pk}), {"action": action}
    )


def test_hide_it_tells_each_reporter_once_and_the_author_calmly(
    client, organizer_client, site_url, mailoutbox
):
    author = make_user(display_name="Avery Author", email="avery@example.org")
    post = make_post(title="Porch talks")
    reply = make_reply(post=post, author=author, body="Here is **my neighbor's** phone number")
    rae = make_user(display_name="Rae Reporter", email="rae@example.org")
    sol = make_user(display_name="Sol Second", email="sol@example.org")
    report(logged_in(client, rae), post, reply=reply, reason="private", details="Not theirs")
    report(client, post, reply=reply, reason="harassment")
    report(logged_in(client, sol), post, reply=reply, reason="private")
    mailoutbox.clear()

    response = resolve(organizer_client, Report.objects.first(), "hide")

    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.state == State.HIDDEN
    by_address = {email.to[0]: email for email in mailoutbox}
    assert sorted(by_address) == ["avery@example.org", "rae@example.org", "sol@example.org"]
    thanks = by_address["rae@example.org"]
    assert thanks.subject == "[CoP Portal] Thank you: what you reported is hidden"
    assert "You reported a reply to “Porch talks”" in thanks.body
    assert "it's no longer shown in the library" in thanks.body
    assert "Avery" not in thanks.body
    note = by_address["avery@example.org"]
    assert note.subject == "[CoP Portal] Your reply to “Porch talks” is hidden"
    assert (
        "after members reported it as: harassment or a personal attack; "
        "private information shared." in note.body
    )
    assert "What was hidden: “Here is my neighbor's phone number”" in note.body
    assert "We don't share who reported it." in note.body
    sessions = f"{SITE}{reverse('sessions:session-list')}"
    assert (
        f"any organizer at a session; they'll look at it again with you:\n{sessions}" in note.body
    )
    for secret in ("Rae", "Sol", "rae@", "sol@", "Not theirs"):
        assert secret not in note.body
        assert secret not in note.alternatives[0].content
    for email in mailoutbox:
        assert_no_unsubscribe_line(email)


def test_dismiss_tells_the_reporters_and_not_the_author(
    client, organizer_client, site_url, mailoutbox
):
    author = make_user(email="avery@example.org")
    post = make_post(title="Grant deadlines", author=author)
    rae = make_user(email="rae@example.org")
    report(logged_in(client, rae), post, reason="off_topic")
    mailoutbox.clear()

    resolve(organizer_client, Report.objects.get(), "dismiss")

    [email] = mailoutbox
    assert email.to == ["rae@example.org"]
    assert email.subject == "[CoP Portal] We looked at what you reported"
    assert "You reported the post “Grant deadlines” in the practice library (off-topic" in (
        email.body
    )
    assert "decided to leave it up" in email.body
    assert f"{SITE}{post.get_absolute_url()}" in email.body
    assert_no_unsubscribe_line(email)


def test_a_reporter_who_left_is_not_emailed_and_their_report_stays(
    client, organizer_client, mailoutbox
):
    post = make_post(author=make_user(email="avery@example.org"))
    leaver = make_user(email="leaver@example.org")
    report(logged_in(client, leaver), post, reason="spam")
    leaver.delete()
    mailoutbox.clear()

    resolve(organizer_client, Report.objects.get(), "hide")

    assert [email.to for email in mailoutbox] == [["avery@example.org"]]
    assert Report.objects.get().reporter is None


def test_an_author_who_reported_their_own_words_gets_only_the_note(
    client, organizer_client, mailoutbox
):
    author = make_user(email="avery@example.org")
    post = make_post(author=author, title="Oops")
    report(logged_in(client, author), post, reason="private", details="My address is in it")
    mailoutbox.clear()

    resolve(organizer_client, Report.objects.get(), "hide")

    [email] = mailoutbox
    assert email.subject == "[CoP Portal] Your post “Oops” is hidden"


def test_outcome_emails_respect_the_per_recipient_limit(
    settings, client, organizer_client, mailoutbox
):
    settings.MAIL_RATE_PER_RECIPIENT_NOTICES = "0/h"
    post = make_post(author=make_user())
    report(logged_in(client, make_user()), post)
    mailoutbox.clear()

    resolve(organizer_client, Report.objects.get(), "hide")

    assert mailoutbox == []
    assert set(
        OutgoingEmail.objects.filter(
            kind__in=[MailKind.REPORT_OUTCOME, MailKind.CONTENT_HIDDEN]
        ).values_list("status", flat=True)
    ) == {EmailStatus.SKIPPED}


def test_a_note_about_something_restored_before_it_went_is_not_sent(
    client, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    from practice_library.services.moderation import post_set_state

    post = make_post(author=make_user(email="avery@example.org"))
    with django_capture_on_commit_callbacks(execute=False):
        post_set_state(post=post, by=organizer, state=State.HIDDEN)
        post_set_state(post=post, by=organizer, state=State.PUBLISHED)
    from tests.outbox import work

    work()

    assert mailoutbox == []
    assert OutgoingEmail.objects.get(kind=MailKind.CONTENT_HIDDEN).status == EmailStatus.SKIPPED
