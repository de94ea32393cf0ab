import pytest
from django.contrib.auth.models import AnonymousUser

from cop_portal.lib.roles import is_organizer, organizers
from members.models import User
from tests.factories import make_organizer, make_user

pytestmark = pytest.mark.django_db


def test_visitor_is_not_an_organizer():
    assert is_organizer(AnonymousUser()) is False


def test_member_is_not_an_organizer(member):
    assert is_organizer(member) is False


def test_member_of_organizers_group_is_an_organizer(organizer):
    assert is_organizer(organizer) is True


def test_superuser_is_an_organizer():
    assert is_organizer(make_user(is_superuser=True)) is True


def test_deactivated_organizer_is_not_an_organizer():
    assert is_organizer(make_organizer(is_active=False)) is False


def test_answer_costs_one_query_per_request(organizer, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert is_organizer(organizer) is True
        assert is_organizer(organizer) is True


def test_organizers_are_the_people_is_organizer_says_yes_to(organizer, member):
    superuser = make_user(is_superuser=True)
    superuser_in_the_group = make_organizer(is_superuser=True)
    make_organizer(is_active=False)
    make_user(is_superuser=True, is_active=False)
    everyone = list(User.objects.order_by("pk"))

    listed = list(organizers().order_by("pk"))

    assert listed == [organizer, superuser, superuser_in_the_group]
    assert listed == [user for user in everyone if is_organizer(user)]
