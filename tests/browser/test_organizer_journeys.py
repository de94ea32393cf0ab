"""An organizer plans a series, publishes it, cancels one date, and checks people in."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from cop_portal.lib.roles import ORGANIZERS_GROUP
from members.models import User
from sessions_app.models import AttendAs, Series, Session, SessionStatus
from sessions_app.services.rsvps import Guest, rsvp_create
from tests.browser.checks import assert_accessible, sign_in
from tests.factories import make_organizer, make_session, make_venue

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def organizer(transactional_db: None) -> User:
    """Olu, an organizer. An earlier live-server test may have emptied the database,
    the Organizers group from the migrations with it, so the group is made if missing."""
    Group.objects.get_or_create(name=ORGANIZERS_GROUP)
    return make_organizer(email="olu@example.org", display_name="Olu Organizer")


def organize_menu(page: Page) -> Locator:
    return page.locator("summary").get_by_text("Organize", exact=True)


def open_organize_menu(page: Page, item: str) -> None:
    organize_menu(page).click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name=item).click()


def test_organizer_creates_a_series_publishes_it_and_cancels_a_date(
    browser_page: Page, site: str, organizer: User
) -> None:
    page = browser_page
    make_venue(name="Midtown office")
    page.goto(f"{site}/accounts/login/")
    assert_accessible(page)
    sign_in(page, organizer.email)
    expect(organize_menu(page)).to_be_visible()

    open_organize_menu(page, "Series")
    expect(page.get_by_role("heading", level=1)).to_have_text("Series")
    assert_accessible(page)
    page.get_by_role("link", name="New series").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New series")
    assert_accessible(page)

    page.get_by_role("button", name="Save and preview dates").click()
    expect(page.get_by_role("alert").first).to_contain_text("Please correct the problems")
    assert_accessible(page)

    page.get_by_label("Title (English)").fill("Community of Practice")
    tomorrow = timezone.localdate() + timedelta(days=1)
    page.get_by_label("First date").fill(tomorrow.isoformat())
    slot = page.get_by_role("group", name="Add a slot").first
    slot.get_by_label("Time of day").select_option(label="Evening")
    slot.get_by_label("Starts at (Cleveland time)").fill("18:00")
    slot.get_by_label("Format").select_option(label="Brief conversation")
    slot.get_by_label("Length in minutes").fill("60")
    slot.get_by_label("Attendance mode").select_option(label="Hybrid: in person and online")
    slot.get_by_role("radio", name="Midtown office").check()
    page.get_by_label("Meeting link").fill("https://meet.example.org/cop")
    page.get_by_role("button", name="Save and preview dates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Community of Practice")
    expect(page.get_by_role("table")).to_contain_text("Not published yet")
    assert_accessible(page)

    # The preview offers a horizon that reaches the next two dates, and lists them.
    expect(page.get_by_role("region", name="Publish")).to_contain_text("will be published")
    page.get_by_role("button", name=re.compile(r"^Publish \d+ sessions$")).click()
    expect(page.get_by_role("status")).to_contain_text("new sessions published through")
    series = Series.objects.get(title="Community of Practice")
    published = list(series.sessions.order_by("starts_at"))
    assert len(published) >= 2
    assert {session.status for session in published} == {SessionStatus.PUBLISHED}
    expect(page.get_by_role("table").get_by_role("link", name="Published")).to_have_count(
        len(published)
    )
    assert_accessible(page)

    open_organize_menu(page, "Upcoming sessions")
    expect(page.get_by_role("heading", level=1)).to_have_text("Upcoming sessions")
    assert_accessible(page)

    first, second = published[:2]
    page.get_by_role("link", name=f"Edit {_listed(second)}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(second.headline)
    assert_accessible(page)

    page.go_back()
    page.get_by_role("link", name=f"Cancel {_listed(first)}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel this session?")
    assert_accessible(page)
    page.get_by_label("Why is it cancelled?").fill("The office is closed for the holidays.")
    page.get_by_role("button", name="Cancel the session").click()
    expect(page.get_by_role("status")).to_contain_text("is cancelled.")
    expect(page.locator(".notice--cancelled")).to_contain_text(
        "The office is closed for the holidays."
    )
    expect(page.get_by_role("region", name="Coming?")).to_have_count(0)
    assert_accessible(page)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (SessionStatus.CANCELLED, SessionStatus.PUBLISHED)
    assert first.cancellation_reason == "The office is closed for the holidays."


def test_organizer_checks_a_guest_in_at_the_door(
    browser_page: Page, site: str, organizer: User
) -> None:
    page = browser_page
    session = make_session(title="Block club basics", starts_at=timezone.now())
    rsvp, _ = rsvp_create(
        session=session,
        attend_as=AttendAs.IN_PERSON,
        guest=Guest("Gus Guest", "gus@example.org", "Hough Block Club"),
    )
    sign_in(page, organizer.email, site=site)
    expect(organize_menu(page)).to_be_visible()

    page.goto(site + session.get_absolute_url())
    expect(page.get_by_role("complementary", name="For organizers")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Door check-in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check-in")
    assert_accessible(page)

    page.get_by_role("button", name="Check in Gus Guest").click()
    expect(page.get_by_role("status").first).to_contain_text("Gus Guest is checked in.")
    expect(page.locator(f"#rsvp-{rsvp.pk}")).to_contain_text("Checked in at")
    assert_accessible(page)
    rsvp.refresh_from_db()
    assert rsvp.checked_in_at is not None


def _listed(session: Session) -> str:
    """How the organizers' list names a session to screen readers: "Topic, Jan 20"."""
    return f"{session.headline}, {session.local_starts_at:%b} {session.local_starts_at.day}"
