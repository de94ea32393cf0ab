import pytest
from django.db import IntegrityError

from members.models import User

pytestmark = pytest.mark.django_db


def test_create_user_lowercases_the_email():
    user = User.objects.create_user(email="Dana@Example.COM", password="x", display_name="Dana")

    assert user.email == "dana@example.com"
    assert user.check_password("x")
    assert (user.is_staff, user.is_superuser) == (False, False)


def test_create_superuser_is_staff():
    user = User.objects.create_superuser(email="root@example.com", password="x", display_name="R")

    assert (user.is_staff, user.is_superuser) == (True, True)


def test_email_is_unique_in_any_letter_case():
    User.objects.create_user(email="dana@example.com", display_name="Dana")

    with pytest.raises(IntegrityError):
        User.objects.create(email="DANA@example.com", display_name="Dana again")


@pytest.mark.parametrize(
    ("display_name", "initials"),
    [("Dana Ruiz", "DR"), ("dana", "D"), ("Mary Ann de Souza", "MA"), ("", "Q")],
)
def test_initials_for_the_avatar(display_name, initials):
    user = User(email="quinn@example.com", display_name=display_name)

    assert user.initials == initials


def test_str_is_the_display_name():
    assert str(User(email="dana@example.com", display_name="Dana R.")) == "Dana R."
