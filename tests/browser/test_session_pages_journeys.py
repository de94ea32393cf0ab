"""The session pages in a browser: on a phone the home page leads with the next session and
its RSVP button lands on the form; on a desktop the RSVP card stays in view beside the
details; cancelled and past sessions read right. axe at a phone's and a desktop's width."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from sessions_app.models import AttendAs, Rsvp, RsvpStatus, SessionStatus
from tests.browser.checks import DESKTOP, PHONE, assert_accessible, assert_accessible_at_both_widths
from tests.factories import make_session

pytestmark = pytest.mark.django_db(transaction=True)


def test_on_a_phone_the_next_session_and_its_rsvp_come_first(browser_page: Page, site: str) -> None:
    page = browser_page
    session = make_session(topic="Tenant rights basics", slug="tenant-rights")
    make_session(
        topic="Called off",
        starts_at=timezone.now() + timedelta(days=14),
        status=SessionStatus.CANCELLED,
        cancellation_reason="The office is closed for a repair.",
    )
    page.set_viewport_size(PHONE)

    page.goto(site)

    card = page.locator(".next-session__card")
    expect(card.get_by_role("heading", level=3)).to_have_text("Tenant rights basics")
    rsvp = card.get_by_role("link", name="RSVP for Tenant rights basics")
    # Date, place and the button are on the first screen, before the invitation.
    expect(rsvp).to_be_in_viewport()
    box = rsvp.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] < PHONE["height"]
    expect(page.get_by_role("link", name="Create a free account")).to_have_count(0)
    expect(page.locator(".session-card--cancelled")).to_contain_text(
        "Cancelled The office is closed for a repair."
    )
    assert_accessible_at_both_widths(page)

    page.set_viewport_size(PHONE)
    rsvp.click()
    page.wait_for_url(f"**{session.get_absolute_url()}#rsvp")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tenant rights basics")
    expect(page.locator("#rsvp")).to_be_in_viewport()
    assert_accessible_at_both_widths(page)


def test_on_a_desktop_the_rsvp_card_stays_beside_the_details(browser_page: Page, site: str) -> None:
    page = browser_page
    session = make_session(
        topic="Tenant rights basics",
        agenda="\n".join(f"{n}. Part {n} of the conversation" for n in range(1, 30)),
    )
    page.set_viewport_size(DESKTOP)
    page.goto(site + session.get_absolute_url())

    details = page.locator(".session__facts").bounding_box()
    card = page.locator("#rsvp").bounding_box()
    assert details is not None
    assert card is not None
    assert card["x"] > details["x"] + details["width"]  # beside, not below

    page.evaluate("window.scrollTo(0, 900)")
    expect(page.locator("#rsvp")).to_be_in_viewport()
    stuck = page.locator("#rsvp").bounding_box()
    assert stuck is not None
    assert 0 <= stuck["y"] <= 24  # held near the top while the details scroll past
    assert_accessible(page)


def test_cancelled_and_past_sessions_read_right(browser_page: Page, site: str) -> None:
    page = browser_page
    cancelled = make_session(
        topic="Called off",
        status=SessionStatus.CANCELLED,
        cancellation_reason="The office is closed for a repair.",
    )
    following = make_session(topic="The next one", starts_at=timezone.now() + timedelta(days=30))
    past = make_session(
        topic="Celebrating small wins", starts_at=timezone.now() - timedelta(days=9)
    )
    for n in range(3):
        Rsvp.objects.create(
            session=past,
            name=f"Guest {n}",
            email=f"guest{n}@example.org",
            attend_as=AttendAs.IN_PERSON,
            status=RsvpStatus.GOING,
            queued_at=past.starts_at - timedelta(days=1),
            checked_in_at=past.starts_at,
            checked_in_by="door",
        )

    page.goto(site + cancelled.get_absolute_url())
    expect(page.locator(".notice--cancelled")).to_contain_text("The office is closed for a repair.")
    expect(page.locator("#rsvp")).to_have_count(0)
    page.get_by_role("region", name="Next session").get_by_role("link", name="The next one").click()
    page.wait_for_url(f"**{following.get_absolute_url()}")
    page.goto(site + cancelled.get_absolute_url())
    assert_accessible_at_both_widths(page)

    page.goto(site + past.get_absolute_url())
    expect(page.locator(".notice--past")).to_contain_text("This session took place on")
    expect(page.get_by_role("region", name="Who came")).to_contain_text("3 people came")
    expect(page.locator("#rsvp")).to_have_count(0)
    assert_accessible_at_both_widths(page)

    for path in ("/sessions/", "/sessions/past/", "/sessions/calendar/"):
        page.goto(site + path)
        assert_accessible_at_both_widths(page)
