"""From publishing to the door to the numbers: an organizer publishes the next dates of a
series, checks a guest in, a member checks themselves in with the QR code, a drop-in
types their name, and the statistics count each of them once."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from cop_portal.lib.roles import ORGANIZERS_GROUP
from members.models import User
from sessions_app.models import AttendAs, CheckInBy, Rsvp, SessionStatus, WalkIn
from sessions_app.services.rsvps import Guest, rsvp_create
from tests.browser.checks import PHONE, assert_accessible, sign_in
from tests.factories import make_organizer, make_series, make_user, make_venue

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def organizer(transactional_db: None) -> User:
    Group.objects.get_or_create(name=ORGANIZERS_GROUP)
    return make_organizer(email="olu@example.org", display_name="Olu Organizer")


def test_publish_check_in_and_count_each_person_once(
    browser_page: Page, browser: Browser, site: str, organizer: User
) -> None:
    page = browser_page
    series = make_series(venue=make_venue(name="Midtown/Hough office"))
    member = make_user(email="dana@example.org", display_name="Dana Member")

    # Publishing: the page lists the dates before anything is saved.
    sign_in(page, organizer.email, site=site)
    page.goto(f"{site}/organize/series/{series.slug}/preview/")
    publish = page.get_by_role("region", name="Publish")
    expect(publish).to_contain_text("will be published")
    assert series.sessions.count() == 0
    assert_accessible(page)
    publish.get_by_role("button", name=re.compile(r"^Publish \d+ sessions?$")).click()
    expect(page.get_by_role("status")).to_contain_text("published through")
    published = list(series.sessions.order_by("starts_at"))
    assert len(published) >= 2
    assert {session.status for session in published} == {SessionStatus.PUBLISHED}

    # The evening of the first one comes (it started ten minutes ago).
    session = published[0]
    session.starts_at = timezone.now() - timedelta(minutes=10)
    session.ends_at = session.starts_at + timedelta(hours=1)
    session.save(update_fields=["starts_at", "ends_at"])
    guest, _ = rsvp_create(
        session=session,
        attend_as=AttendAs.IN_PERSON,
        guest=Guest("Gus Guest", "gus@example.org", "Hough Block Club"),
    )
    dana, _ = rsvp_create(session=session, user=member, attend_as=AttendAs.IN_PERSON)

    # The door: a search finds Gus, one tap checks him in.
    page.goto(f"{site}/sessions/{session.slug}/check-in/")
    page.get_by_role("searchbox").fill("Gus")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name="Check in Gus Guest").click()
    expect(page.get_by_role("status").first).to_contain_text("Gus Guest is checked in.")
    assert_accessible(page)
    check_in_path = urlsplit(
        page.get_by_role("region", name="Self check-in at the door")
        .get_by_role("link")
        .first.get_attribute("href")
    ).path

    # Dana scans the QR code on her phone, signed in: her own RSVP, one tap.
    phone = browser.new_context(viewport=PHONE)
    dana_page = phone.new_page()
    sign_in(dana_page, member.email, site=site)
    dana_page.goto(site + check_in_path)
    expect(dana_page.get_by_role("heading", level=1)).to_have_text("Welcome, Dana Member")
    expect(dana_page.get_by_text("You're on the list.")).to_be_visible()
    assert_accessible(dana_page)
    dana_page.get_by_role("button", name="Check me in").click()
    expect(dana_page.get_by_role("heading", level=1)).to_have_text("Thanks, you're checked in")

    # A drop-in who never RSVP'd types a name on the same code, signed out.
    stranger = browser.new_context(viewport=PHONE).new_page()
    stranger.goto(site + check_in_path)
    stranger.get_by_label("Your name").fill("Rosa Drop-in")
    stranger.get_by_role("button", name="Check me in").click()
    expect(stranger.get_by_role("heading", level=1)).to_have_text("Thanks, you're checked in")
    phone.close()
    stranger.context.close()

    dana.refresh_from_db()
    guest.refresh_from_db()
    assert (dana.checked_in_by, guest.checked_in_by) == (CheckInBy.SELF, CheckInBy.DOOR)
    assert WalkIn.objects.filter(session=session).count() == 1
    assert Rsvp.objects.filter(session=session).count() == 2  # no walk-in stands for Dana

    # The door list shows Dana as checked in by herself, not waiting for a tap.
    page.goto(f"{site}/sessions/{session.slug}/check-in/")
    expect(page.locator(f"#rsvp-{dana.pk}")).to_contain_text("Self")
    expect(page.get_by_role("button", name="Check in Dana Member")).to_have_count(0)

    # The numbers: three people came, counted at the door, nothing estimated.
    page.goto(f"{site}/organize/statistics/")
    headline = page.locator(".headline").first
    expect(headline).to_contain_text("1 counted at the door")
    expect(headline).to_contain_text("1 member and 1 guest (each once), 1 walk-in")
    reached = headline.locator(".headline__item", has_text="People reached")
    expect(reached.locator(".headline__number")).to_have_text("3")
    expect(page.get_by_text("estimated from RSVPs")).to_have_count(0)
    assert_accessible(page)
