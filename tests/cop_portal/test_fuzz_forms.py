"""Hostile input to the forms of the mail app (unsubscribing from an email's link, by
the page's buttons or by a mail client's one-click POST, and organizers trying failed
emails again) and to the language buttons of every page (see tests/fuzzing.py)."""

import pytest
from hypothesis import strategies as st

from cop_portal.mail.models import EmailPreference, OutgoingEmail
from members.models import User
from tests.fuzzing import HOSTILE, OMIT, Field, FormCase, World, choice, fuzz_form, integer, text

pytestmark = pytest.mark.django_db

FORMS = [
    FormCase(
        "unsubscribe",
        "visitor",
        {
            "action": choice("unsubscribe", "resubscribe"),
            "List-Unsubscribe": Field(st.sampled_from(["One-Click", OMIT]), HOSTILE),
        },
        kwargs=lambda world: {"token": world.unsubscribe_token},
        watch=(EmailPreference,),
    ),
    FormCase(
        "mail:retry",
        "organizer",
        {"email": integer(1, 10)},
        watch=(OutgoingEmail,),
    ),
    # `next` may be anything: Django's set_language sends people only to this site.
    FormCase(
        "set_language",
        "visitor",
        {"language": choice("en", "es"), "next": text(2000, min_size=0)},
    ),
    FormCase(
        "set_language",
        "member",
        {"language": choice("en", "es"), "next": text(2000, min_size=0)},
        watch=(User,),
    ),
]


@pytest.mark.parametrize("case", FORMS, ids=str)
def test_form_survives_hostile_input(case, member, other_member, organizer):
    fuzz_form(case, World(member=member, other_member=other_member, organizer=organizer))
