"""Every URL of the project is either fuzzed as a form or a page that takes no input by
POST, so a new form can't slip in without hostile-input tests.

The apps' fuzz modules list their forms (FORMS); tests/fuzzing.py lists every page a
GET opens (PAGES). A page that is not a fuzzed form must refuse a POST (405) and
change nothing.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.cop_portal.test_fuzz_forms import FORMS as SITE_FORMS
from tests.fuzzing import PAGES, World, log_in, project_models, rolled_back, rows, url_names
from tests.members.test_fuzz_accounts import FORMS as ACCOUNT_FORMS
from tests.members.test_fuzz_forms import FORMS as MEMBER_FORMS
from tests.practice_library.test_fuzz_forms import FORMS as LIBRARY_FORMS
from tests.sessions_app.test_fuzz_forms import FORMS as SESSION_FORMS

pytestmark = pytest.mark.django_db

ALL_FORMS = [*SITE_FORMS, *ACCOUNT_FORMS, *MEMBER_FORMS, *LIBRARY_FORMS, *SESSION_FORMS]
FUZZED = {case.name for case in ALL_FORMS}

# allauth pages that take a POST but are not fuzzed, and why.
NOT_FUZZED = {
    # Only for accounts without a password, which the portal never makes (sign-up asks
    # for one); the member here is sent on to the change-password form, which is fuzzed.
    "account_set_password": "no passwordless accounts",
}

HOSTILE_POST = {
    "": "\x00",
    "q": "<script>alert(1)</script>",
    "action": "delete",
    "email": "nobody@example.org",
    "page": "9" * 30,
}


def test_every_url_is_a_fuzzed_form_or_a_known_page():
    names = url_names()

    unknown = names - FUZZED - set(PAGES)
    stale = (FUZZED | set(PAGES) | set(NOT_FUZZED)) - names

    assert unknown == set(), (
        "Fuzz these new URLs: a FormCase in tests/<app>/test_fuzz_forms.py for a form, "
        "or a Page in tests/fuzzing.PAGES for a page that takes no input."
    )
    assert stale == set()


@pytest.mark.parametrize("name", sorted(set(PAGES) - FUZZED))
def test_pages_that_are_not_forms_take_no_post(name, member, other_member, organizer):
    """A POST is refused (405) with nothing saved; an unfuzzed allauth page at least
    doesn't fail."""
    world = World(member=member, other_member=other_member, organizer=organizer)
    page = PAGES[name]
    url = reverse(name, kwargs=page.kwargs(world))
    watched = tuple(project_models())

    with rolled_back():
        client = log_in(Client(), page.persona, world)
        before = rows(watched)
        response = client.post(url, HOSTILE_POST)
        after = rows(watched)

    assert after == before
    if name in NOT_FUZZED:
        assert response.status_code < 500
    else:
        assert response.status_code == 405
