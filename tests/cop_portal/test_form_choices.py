"""Empty choices read "Choose…" (or what the form means by them), never Django's
"---------": on every page a GET opens, as an organizer and as a member, and on every
fuzzed form sent back with its errors."""

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from cop_portal.lib.forms import EMPTY_CHOICE_LABEL
from sessions_app.models import RotationSlot, Session
from tests.cop_portal.test_fuzz_coverage import ALL_FORMS
from tests.fuzzing import PAGES, World, log_in, rolled_back

pytestmark = pytest.mark.django_db

DASHES = "---------"
# Who opens a page: public pages as both; a member's own pages (their posts, their
# account) as that member; organizers' pages as an organizer.
PERSONAS = {"visitor": ("member", "organizer"), "member": ("member",)}
VISITS = sorted(
    (name, persona)
    for name, page in PAGES.items()
    for persona in PERSONAS.get(page.persona, ("organizer",))
)


def _is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


@pytest.mark.parametrize(("name", "persona"), VISITS)
def test_no_page_offers_django_dashes(name, persona, member, other_member, organizer):
    world = World(member=member, other_member=other_member, organizer=organizer)
    page = PAGES[name]

    response = log_in(Client(), persona, world).get(reverse(name, kwargs=page.kwargs(world)))

    assert response.status_code < 400
    if _is_html(response):
        assert DASHES not in response.content.decode()


@pytest.mark.parametrize("case", [case for case in ALL_FORMS if case.prepare is None], ids=str)
def test_no_form_sent_back_with_errors_offers_django_dashes(case, member, other_member, organizer):
    world = World(member=member, other_member=other_member, organizer=organizer)
    url = reverse(case.name, kwargs=case.kwargs(world))

    with rolled_back():
        response = log_in(Client(), case.persona, world).post(url, {})

    if _is_html(response):
        assert DASHES not in response.content.decode()


def test_session_form_offers_its_own_empty_choices(organizer_client):
    response = organizer_client.get(reverse("sessions:session-create"))

    form = response.context["form"]
    assert form["venue"].field.empty_label == "No venue (online only)"
    assert form["time_of_day"].field.choices[0] == ("", "Set from the start time")


class _SlotForm(forms.ModelForm):
    class Meta:
        model = RotationSlot
        fields = ["format", "venue"]


class _SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["attendance_mode"]


def test_any_model_form_says_choose_instead_of_dashes():
    form = _SlotForm()
    other = _SessionForm()

    html = form.as_div() + other.as_div()

    assert DASHES not in html
    assert html.count(f'<option value="" selected>{EMPTY_CHOICE_LABEL}</option>') == 3
    # Other copies of the form's fields keep Django's own, untouched.
    assert _SlotForm.base_fields["venue"].empty_label == DASHES
