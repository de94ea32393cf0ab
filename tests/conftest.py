import pytest
from django.core.cache import caches
from django.test import Client

from members.models import User
from tests.factories import make_organizer, make_user


@pytest.fixture(autouse=True)
def _empty_memory_caches():
    """Built feeds and visitors' pages are cached in memory, and the database rolls back
    after each test: start every test without them."""
    caches["feeds"].clear()
    caches["pages"].clear()


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
