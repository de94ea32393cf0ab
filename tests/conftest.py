import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.utils import translation
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished

from members.models import User
from tests.factories import make_organizer, make_user
from tests.outbox import SITE


@pytest.fixture(autouse=True)
def _english_until_a_test_asks_otherwise():
    """Every test starts in the default language, whatever an earlier one activated."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _empty_memory_caches():
    """Built feeds and visitors' pages are cached in memory, and the database rolls back
    after each test: start every test without them."""
    caches["feeds"].clear()
    caches["pages"].clear()
    caches["fragments"].clear()


@pytest.fixture(autouse=True)
def _commit_at_the_end_of_each_request(monkeypatch):
    """Each test runs inside one transaction that is rolled back, so what a request
    does "after the commit" (enqueue the delivery of its emails, and with the immediate
    task backend deliver them) would never run. Run it when the test client's request
    ends, as it would run when a real request's transaction commits; a request that
    raised or rolled back leaves nothing to run, as in production."""
    request = Client.request

    def request_in_its_language(self, **kwargs):
        # The language middleware activates the request's language in this thread, as
        # in a real worker; the test (and a task run after the commit, as in the task
        # worker) carries on in the language it had.
        language = translation.get_language()
        try:
            return request(self, **kwargs)
        finally:
            translation.activate(language)

    def request_then_commit(self, **kwargs):
        if not connection.in_atomic_block:
            return request_in_its_language(self, **kwargs)
        start = len(connection.run_on_commit)
        response = request_in_its_language(self, **kwargs)
        while len(connection.run_on_commit) > start:
            pending = connection.run_on_commit[start:]
            del connection.run_on_commit[start:]
            # Robust callbacks too raise here: a test must see them fail.
            for _savepoints, callback, _robust in pending:
                callback()
        return response

    monkeypatch.setattr(Client, "request", request_then_commit)


@pytest.fixture(autouse=True)
def _tasks_must_not_fail():
    """The immediate task backend records a failing task instead of raising: a test in
    which any task failed fails too, with the task's traceback."""
    failures = []

    def record(sender, task_result, **kwargs):
        if task_result.status == TaskResultStatus.FAILED:
            failures.append(task_result.errors[-1].traceback if task_result.errors else "")

    task_finished.connect(record, weak=False)
    yield
    task_finished.disconnect(record)
    assert not failures, "A background task failed:\n" + "\n".join(failures)


@pytest.fixture
def member(db) -> User:
    return make_user(display_name="Dana Member")


@pytest.fixture
def other_member(db) -> User:
    return make_user(display_name="Other Member")


@pytest.fixture
def organizer(db) -> User:
    return make_organizer(display_name="Olu Organizer")


@pytest.fixture
def member_client(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def organizer_client(organizer) -> Client:
    client = Client()
    client.force_login(organizer)
    return client


@pytest.fixture(params=["visitor", "member", "organizer"])
def any_client(request, member, organizer) -> Client:
    """The test runs three times: as a visitor, as a member and as an organizer."""
    client = Client()
    if request.param != "visitor":
        client.force_login(member if request.param == "member" else organizer)
    return client


@pytest.fixture
def site_url(settings) -> str:
    """Links in emails and feeds start with SITE (tests.outbox), as in production."""
    settings.SITE_URL = SITE
    return SITE
