"""The worker's periodic round (cop_portal.mail.beat and tasks.beat): one round at a
time however many workers, the next one scheduled with run_after, what each round does
(leases, stalled fan-outs, reminders, retries, pruning)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cop_portal.mail import beat as rounds
from cop_portal.mail import tasks
from cop_portal.mail.kinds import MailKind
from cop_portal.mail.models import Beat, Dispatch, EmailStatus, OutgoingEmail
from sessions_app.announcements import announce
from sessions_app.services.rsvps import Guest, rsvp_create
from tests.factories import make_session, make_user

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_round_runs_once_per_interval_whoever_asks():
    now = timezone.now()
    every = timedelta(minutes=1)

    first = rounds.claim("mail", every, now)
    second = rounds.claim("mail", every, now + timedelta(seconds=30))
    third = rounds.claim("mail", every, now + timedelta(seconds=61))

    assert (first, second, third) == (True, False, True)
    assert Beat.objects.get().due_at == now + timedelta(seconds=61) + every


def test_round_queues_and_sends_the_day_before_reminders(mailoutbox):
    session = make_session(starts_at=timezone.now() + timedelta(hours=5))
    rsvp_create(session=session, attend_as="online", guest=Guest("Rae", "rae@example.org"))
    OutgoingEmail.objects.all().delete()  # the confirmation is not what this is about

    result = tasks.beat.call()

    assert result == "done"
    [reminder] = mailoutbox
    assert reminder.to == ["rae@example.org"]
    assert reminder.subject.startswith("[CoP Portal] See you ")
    assert OutgoingEmail.objects.get().kind == MailKind.SESSION_REMINDER


def test_round_gives_back_emails_whose_worker_died_and_sends_them(mailoutbox):
    rsvp_create(session=make_session(), attend_as="online", guest=Guest("Kai", "kai@example.org"))
    # A worker claimed it, then was killed: the row stays "sending" past its lease.
    OutgoingEmail.objects.update(
        status=EmailStatus.SENDING,
        claim="dead-worker",
        lease_until=timezone.now() - timedelta(seconds=1),
    )

    tasks.beat.call()

    assert [email.to for email in mailoutbox] == [["kai@example.org"]]
    assert OutgoingEmail.objects.get().status == EmailStatus.SENT


def test_round_leaves_emails_another_worker_is_still_sending():
    rsvp_create(session=make_session(), attend_as="online", guest=Guest("Kai", "kai@example.org"))
    OutgoingEmail.objects.update(
        status=EmailStatus.SENDING,
        claim="busy-worker",
        lease_until=timezone.now() + timedelta(minutes=4),
    )

    tasks.beat.call()

    assert OutgoingEmail.objects.get().claim == "busy-worker"


def test_round_resumes_a_fan_out_whose_task_was_lost(mailoutbox):
    member = make_user()
    from cop_portal.mail import preferences as email_prefs

    email_prefs.set_preference(member.email, "announcements", True)
    announce([make_session()])  # its expansion task never ran (on_commit not run here)
    Dispatch.objects.update(created_at=timezone.now() - timedelta(minutes=5))

    tasks.beat.call()

    assert [email.to for email in mailoutbox] == [[member.email]]
    assert Dispatch.objects.get().expanded_at is not None


def test_round_sends_a_retry_once_it_is_due(mailoutbox):
    rsvp_create(session=make_session(), attend_as="online", guest=Guest("Lu", "lu@example.org"))
    OutgoingEmail.objects.update(attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=1))

    tasks.beat.call()
    assert mailoutbox == []  # not yet due
    Beat.objects.update(due_at=timezone.now())
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    tasks.beat.call()

    assert [email.to for email in mailoutbox] == [["lu@example.org"]]


def test_round_schedules_the_next_one_on_a_queue_that_can_wait(settings):
    settings.TASKS = DATABASE_TASKS

    tasks.beat.call()
    tasks.beat.call()  # a second chain in the same interval: it stops here

    [scheduled] = DBTaskResult.objects.all()
    assert scheduled.task_path == "cop_portal.mail.tasks.beat"
    waits = scheduled.run_after - timezone.now()
    assert timedelta(seconds=55) < waits <= timedelta(seconds=61)


def test_rounds_start_again_when_no_round_ran_for_a_while(settings):
    settings.TASKS = DATABASE_TASKS
    Beat.objects.create(name=rounds.ROUND, due_at=timezone.now() - timedelta(minutes=5))

    tasks.start_rounds_if_stopped()
    tasks.start_rounds_if_stopped()  # still pending: a round is queued, due now

    assert DBTaskResult.objects.filter(task_path="cop_portal.mail.tasks.beat").count() >= 1


def test_rounds_are_not_started_while_they_run(settings):
    settings.TASKS = DATABASE_TASKS
    Beat.objects.create(name=rounds.ROUND, due_at=timezone.now() + timedelta(seconds=30))

    tasks.start_rounds_if_stopped()

    assert not DBTaskResult.objects.exists()


def test_emails_are_delivered_by_a_task_enqueued_after_the_commit(settings):
    """With the database queue, a guest RSVP leaves one delivery task behind for the
    worker, and its email waiting in the outbox."""
    settings.TASKS = DATABASE_TASKS
    session = make_session()

    response = Client().post(
        reverse("sessions:rsvp-create", args=[session.slug]),
        {"name": "Gia", "email": "gia@example.org", "organization": "", "how": "in-person"},
    )

    assert response.status_code == 302
    assert OutgoingEmail.objects.get().status == EmailStatus.QUEUED
    assert DBTaskResult.objects.get().task_path == "cop_portal.mail.tasks.deliver"


def test_a_rolled_back_change_queues_no_email_and_no_task(settings):
    settings.TASKS = DATABASE_TASKS
    session = make_session()

    def request_that_fails() -> None:
        with transaction.atomic():
            guest = Guest("Rae", "rae@example.org")
            rsvp_create(session=session, attend_as="online", guest=guest)
            announce([session])
            raise RuntimeError("the request failed after the RSVP was made")

    with pytest.raises(RuntimeError):
        request_that_fails()

    assert not OutgoingEmail.objects.exists()
    assert not Dispatch.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_the_same_change_queued_twice_is_one_email(mailoutbox):
    from sessions_app.notifications import notify

    rsvp, _ = rsvp_create(session=make_session(), attend_as="online", user=make_user())
    notify(MailKind.RSVP_CONFIRMED, [rsvp])  # queued again, for the same change

    tasks.deliver.call()

    assert OutgoingEmail.objects.count() == 1
    assert len(mailoutbox) == 1


def test_pruning_deletes_old_task_results_and_those_a_killed_worker_left_running(settings):
    settings.TASKS = DATABASE_TASKS
    old = timezone.now() - timedelta(days=8)
    for _ in range(3):
        tasks.deliver.enqueue()
    first, second, third = DBTaskResult.objects.order_by("enqueued_at")
    DBTaskResult.objects.filter(pk=first.pk).update(
        status="SUCCESSFUL", started_at=old, finished_at=old
    )
    DBTaskResult.objects.filter(pk=second.pk).update(status="RUNNING", started_at=old)

    assert tasks.prune()["tasks"] == 2
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [third.pk]
