"""Knowing a guest's email address proves nothing: an attacker and the guest side by side.

The victim RSVPs as a guest; the attacker types the victim's address (as it is, in
other capitals, with a Kelvin sign or in full-width letters) into the same form. The
attacker gets the answer anyone gets, and nothing of the victim's: no name, no token,
no meeting link, no feed. The address's owner gets the private link by email.
"""

import importlib
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from sessions_app.calendar_apps import GOOGLE_RENDER, OUTLOOK_HOSTS
from sessions_app.models import AttendAs, FeedToken, Rsvp, RsvpStatus
from sessions_app.services.feed_tokens import feed_token_for_guest, feed_token_for_member
from sessions_app.services.rsvps import Guest, rsvp_create, rsvps_claim_for_member
from tests.factories import make_session, make_user
from tests.fuzzing import examples

pytestmark = pytest.mark.django_db

VICTIM = "kate@example.org"
SPELLINGS = [
    pytest.param("kate@example.org", id="same"),
    pytest.param("KATE@Example.ORG", id="other-case"),
    pytest.param("\u212aate@example.org", id="kelvin-sign"),
    pytest.param("\uff4b\uff41\uff54\uff45@example.org", id="full-width"),
]
MEETING = "https://meet.example.org/secret-room"


def _form(email: str, name: str, how: str = "online") -> dict:
    return {"name": name, "email": email, "organization": "", "how": how}


@pytest.fixture
def answer(django_capture_on_commit_callbacks):
    """POST the guest form as a browser would, with the emails sent after the commit."""

    def post(client: Client, session, data: dict):
        url = reverse("sessions:rsvp-create", kwargs={"slug": session.slug})
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data, follow=True)

    return post


def _seen(response) -> str:
    """Everything the person's browser received: the pages and the addresses on the way.

    Less the links to Google's and Outlook's public "add this session" pages, whose paths
    hold /calendar/ too: none of this site's private calendar addresses may show."""
    hops = " ".join(url for url, _status in response.redirect_chain)
    outside = "|".join(re.escape(host) for host in (GOOGLE_RENDER, *OUTLOOK_HOSTS.values()))
    page = re.sub(rf'href="(?:{outside})[^"]*"', "", response.content.decode())
    return f"{hops} {page} {response.cookies}"


def _neutral(response, address: str) -> str:
    """The page as the person sees it, with what they typed and per-request values taken out."""
    page = response.content.decode().replace(address, "ADDRESS")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


@pytest.fixture
def victim(db, settings, answer):
    # The victim answered a while ago: the per-RSVP email window has passed.
    settings.RSVP_EMAIL_COALESCE_SECONDS = 0
    session = make_session()
    client = Client(REMOTE_ADDR="10.0.0.1")
    answer(client, session, _form(VICTIM, "Kate Victim", how="in-person"))
    rsvp = Rsvp.objects.get()
    feed = feed_token_for_guest(email=VICTIM)
    mail.outbox.clear()
    return rsvp, feed


@pytest.mark.parametrize("address", SPELLINGS)
def test_attacker_typing_the_victims_address_sees_nothing_of_theirs(victim, address, answer):
    rsvp, feed = victim
    attacker = Client(REMOTE_ADDR="10.6.6.6")

    response = answer(attacker, rsvp.session, _form(address, "Mallory", how="online"))

    seen = _seen(response)
    assert response.status_code == 200
    assert response.redirect_chain == [(f"/sessions/{rsvp.session.slug}/rsvp/sent/", 302)]
    for secret in (rsvp.token, feed.key, "Kate Victim", MEETING, "/calendar/"):
        assert secret not in seen
    # Nothing of the victim's changed, and nothing new was made.
    rsvp.refresh_from_db()
    assert (rsvp.name, rsvp.attend_as, rsvp.status) == ("Kate Victim", "in-person", "going")
    assert Rsvp.objects.count() == 1
    # The private link went to the address's owner, by email.
    assert [message.to for message in mail.outbox] == [[VICTIM]]
    assert rsvp.get_absolute_url() in mail.outbox[0].body
    assert "already has an RSVP" in mail.outbox[0].body


def test_attacker_repeating_the_form_sends_the_owner_one_email(victim, settings, answer):
    rsvp, _feed = victim
    settings.RSVP_EMAIL_COALESCE_SECONDS = 300
    attacker = Client(REMOTE_ADDR="10.6.6.7")

    for _ in range(5):
        answer(attacker, rsvp.session, _form(VICTIM, "Mallory"))

    assert [message.to for message in mail.outbox] == [[VICTIM]]


def test_existing_and_new_address_get_the_same_answer(victim, answer):
    rsvp, _feed = victim
    other = "someone.new@example.org"

    existing = answer(Client(REMOTE_ADDR="10.6.6.1"), rsvp.session, _form(VICTIM, "M"))
    new = answer(Client(REMOTE_ADDR="10.6.6.2"), rsvp.session, _form(other, "M"))

    assert existing.redirect_chain == new.redirect_chain
    assert _neutral(existing, VICTIM) == _neutral(new, other)
    assert "Check your email" in new.content.decode()


def test_cancelled_guest_rsvp_answered_again_sends_the_link_only_to_the_owner(victim, answer):
    """A cancelled guest RSVP comes back as a new answer would (the owner is emailed), but
    the attacker still receives no link."""
    rsvp, _feed = victim
    Rsvp.objects.filter(pk=rsvp.pk).update(status=RsvpStatus.CANCELLED)

    response = answer(Client(REMOTE_ADDR="10.6.6.3"), rsvp.session, _form(VICTIM, "Mallory"))

    assert rsvp.token not in _seen(response)
    assert [message.to for message in mail.outbox] == [[VICTIM]]


@pytest.mark.parametrize(
    "address",
    [
        pytest.param("k\u0430te@example.org", id="cyrillic-a-in-local-part"),
        pytest.param("kate@ex\u0430mple.org", id="cyrillic-a-in-domain"),
    ],
)
def test_address_mixing_lookalike_scripts_is_refused_next_to_the_field(address, answer):
    session = make_session()

    response = answer(Client(), session, _form(address, "Mallory"))

    page = response.content.decode()
    assert response.status_code == 400
    assert "mixes letters from different alphabets" in page
    assert 'aria-invalid="true"' in page
    assert Rsvp.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize("address", SPELLINGS)
def test_every_spelling_is_stored_and_found_in_one_canonical_form(address, answer):
    session = make_session()

    answer(Client(), session, _form(address, "Kate"))

    assert list(Rsvp.objects.values_list("email", flat=True)) == [VICTIM]
    assert Rsvp.objects.of_guest(address).count() == 1
    assert feed_token_for_guest(email=address) == feed_token_for_guest(email=VICTIM)


def test_guest_feed_events_carry_no_manage_links_and_link_the_session_page(client):
    first, second = make_session(title="First"), make_session(title="Second")
    rsvps = [
        rsvp_create(session=session, attend_as=AttendAs.ONLINE, guest=Guest("Kate", VICTIM))[0]
        for session in (first, second)
    ]

    response = client.get(feed_token_for_guest(email=VICTIM).get_absolute_url())

    body = response.content.decode().replace("\r\n ", "")
    for rsvp in rsvps:
        assert rsvp.token not in body
    events = Calendar.from_ical(response.content).events
    assert sorted(str(event["URL"]) for event in events) == sorted(
        f"http://127.0.0.1:8000{session.get_absolute_url()}" for session in (first, second)
    )
    assert all(
        "private link in your confirmation email" in event["DESCRIPTION"] for event in events
    )


def test_guest_calendar_page_opens_only_from_a_manage_link(client):
    rsvp, _created = rsvp_create(
        session=make_session(), attend_as=AttendAs.ONLINE, guest=Guest("Kate", VICTIM)
    )

    from_link = client.get(reverse("sessions:guest-calendar", kwargs={"token": rsvp.token}))
    guessed = client.get(reverse("sessions:guest-calendar", kwargs={"token": "x" * 43}))

    assert from_link.status_code == 200
    assert feed_token_for_guest(email=VICTIM).key in from_link.content.decode()
    assert guessed.status_code == 404


def _sign_up(client: Client, email: str):
    password = "a long pass phrase"
    data = {"email": email, "display_name": "Kate", "password1": password, "password2": password}
    return client.post(reverse("account_signup"), data)


# Claiming guest RSVPs when a member verifies the address ------------------------------


def test_claim_on_verify_replaces_every_guest_token_and_the_guest_feed(client):
    """A stranger may have made these with the address: none of their keys stays valid."""
    sessions = [make_session(), make_session()]
    rsvps = [
        rsvp_create(session=session, attend_as=AttendAs.ONLINE, guest=Guest("K", VICTIM))[0]
        for session in sessions
    ]
    old_urls = [rsvp.get_absolute_url() for rsvp in rsvps]
    old_calendar = reverse("sessions:guest-calendar", kwargs={"token": rsvps[0].token})
    old_feed = feed_token_for_guest(email=VICTIM).get_absolute_url()
    user = make_user(email=VICTIM)

    claimed = rsvps_claim_for_member(user=user, email="\u212aATE@example.org")

    assert claimed == 2
    for url in [*old_urls, old_calendar, old_feed]:
        assert client.get(url).status_code == 404
    assert set(Rsvp.objects.values_list("user", flat=True)) == {user.pk}
    assert not FeedToken.objects.filter(user=None).exists()
    members_feed = client.get(feed_token_for_member(user=user).get_absolute_url())
    assert len(Calendar.from_ical(members_feed.content).events) == 2


def test_claim_through_allauth_email_confirmation_rotates_tokens(
    client, django_capture_on_commit_callbacks
):
    from allauth.account.models import EmailAddress

    rsvp, _created = rsvp_create(
        session=make_session(), attend_as=AttendAs.ONLINE, guest=Guest("K", VICTIM)
    )
    old_url = rsvp.get_absolute_url()
    response = _sign_up(client, "Kate@Example.org")
    assert response.status_code == 302, response.context["form"].errors
    key = re.search(r"/accounts/confirm-email/([^/]+)/", mail.outbox[-1].body).group(1)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_confirm_email", kwargs={"key": key}))

    assert EmailAddress.objects.get().verified
    rsvp.refresh_from_db()
    assert rsvp.user is not None
    assert client.get(old_url).status_code == 404


# The data migration ---------------------------------------------------------------------


def _old_guest_row(session, email: str) -> Rsvp:
    return Rsvp.objects.create(
        session=session,
        name="Guest",
        email=email,
        attend_as="online",
        status="going",
        queued_at=session.starts_at,
    )


def test_migration_canonicalizes_guest_addresses_and_keeps_conflicts(capsys):
    migration = importlib.import_module("sessions_app.migrations.0005_canonical_guest_emails")
    from django.apps import apps

    session, other = make_session(), make_session()
    # Rows as the old code stored them (it only lower-cased, or not at all).
    plain = _old_guest_row(session, "Kate@Example.org")
    lookalike = _old_guest_row(session, "\uff4b\uff41\uff54\uff45@example.org")
    alone = _old_guest_row(other, "\uff4b\uff41\uff54\uff45@example.org")
    token = FeedToken.objects.create(guest_email="\uff4b\uff41\uff54\uff45@example.org")

    migration.canonical_guest_emails(apps, None)

    emails = dict(Rsvp.objects.values_list("pk", "email"))
    assert emails[plain.pk] == VICTIM
    assert emails[lookalike.pk] == "\uff4b\uff41\uff54\uff45@example.org"  # kept, reported
    assert emails[alone.pk] == VICTIM
    token.refresh_from_db()
    assert token.guest_email == VICTIM
    report = capsys.readouterr().out
    assert f"guest RSVP {lookalike.pk} (session {session.pk}): kept as it was" in report
    assert f"guest RSVP {plain.pk}" in report


def test_sign_up_with_a_lookalike_domain_is_refused_next_to_the_field(client):
    response = _sign_up(client, "kate@ex\u0430mple.org")

    assert response.status_code == 200
    assert "mixes letters from different alphabets" in response.content.decode()
    assert mail.outbox == []


def test_sign_up_with_a_kelvin_sign_is_stored_in_canonical_form(client):
    _sign_up(client, "\u212aATE@example.org")

    from members.models import User

    assert list(User.objects.values_list("email", flat=True)) == [VICTIM]


def test_lookalike_domain_sent_as_punycode_by_the_browser_is_refused(answer):
    """Browsers send a domain typed in other letters as "xn--" punycode."""
    session = make_session()

    response = answer(Client(), session, _form("kate@xn--exmple-4nf.org", "Mallory"))

    assert response.status_code == 400
    assert "mixes letters from different alphabets" in response.content.decode()
    assert Rsvp.objects.count() == 0


def test_a_domain_in_punycode_and_in_its_own_letters_is_one_address(answer):
    session = make_session()

    answer(Client(REMOTE_ADDR="10.0.0.8"), session, _form("kate@xn--mnchen-3ya.de", "K"))
    answer(Client(REMOTE_ADDR="10.0.0.9"), session, _form("Kate@München.de", "K"))

    assert list(Rsvp.objects.values_list("email", flat=True)) == ["kate@münchen.de"]


# Fuzzing: any spelling that reaches the same inbox ----------------------------------

_VARIANTS = {
    # lower, upper, full-width lower, full-width upper
    char: [char, char.upper(), chr(ord(char) - 0x61 + 0xFF41), chr(ord(char) - 0x61 + 0xFF21)]
    for char in "abcdefghijklmnopqrstuvwxyz"
}
_VARIANTS["k"].append("\u212a")  # Kelvin sign
SPELLING = st.tuples(
    st.sampled_from(["", " ", "\t"]),
    st.tuples(*[st.sampled_from(_VARIANTS.get(char, [char])) for char in VICTIM]).map("".join),
    st.sampled_from(["", " "]),
).map("".join)


@examples(25)
@given(address=SPELLING)
def test_no_spelling_of_a_guests_address_reveals_or_changes_their_rsvp(
    victim, answer, settings, address
):
    rsvp, feed = victim
    settings.RSVP_GUEST_RATE_PER_EMAIL = "10000/h"
    settings.MAIL_RATE_PER_RECIPIENT = "10000/h"
    attacker = Client(REMOTE_ADDR=f"10.9.{len(address)}.{sum(map(ord, address)) % 250}")

    response = answer(attacker, rsvp.session, _form(address, "Mallory"))

    seen = _seen(response)
    for secret in (rsvp.token, feed.key, "Kate Victim", MEETING):
        assert secret not in seen
    assert response.status_code in (200, 429)
    assert list(Rsvp.objects.values_list("pk", "name", "attend_as")) == [
        (rsvp.pk, "Kate Victim", "in-person")
    ]


# The "check your email" page --------------------------------------------------------


def test_check_your_email_page_shows_the_session_and_no_private_link(client):
    session = make_session(topic="Tenant organizing")

    response = client.get(reverse("sessions:rsvp-sent", args=[session.slug]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Check your email</h1>" in page
    assert f'href="{session.get_absolute_url()}">Tenant organizing</a>' in page
    assert MEETING not in page
    assert "no-store" in response["Cache-Control"]


def test_check_your_email_page_of_a_draft_is_not_found_for_visitors(client, organizer_client):
    draft = make_session(status="draft")
    url = reverse("sessions:rsvp-sent", args=[draft.slug])

    assert client.get(url).status_code == 404
    assert organizer_client.get(url).status_code == 200


def test_check_your_email_page_runs_one_query(client, django_assert_max_num_queries):
    session = make_session()

    with django_assert_max_num_queries(1):
        client.get(reverse("sessions:rsvp-sent", args=[session.slug]))


def test_an_address_longer_than_any_real_one_is_refused_as_invalid(answer):
    session = make_session()

    response = answer(Client(), session, _form("k" * 100_000 + "@example.org", "Mallory"))

    assert response.status_code == 400
    assert "Enter an email address like name@example.org." in response.content.decode()
    assert Rsvp.objects.count() == 0
