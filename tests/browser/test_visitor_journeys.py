"""A newcomer's first visits: browse, RSVP as a guest and cancel from the email, subscribe."""

import pytest
from playwright.sync_api import Page, expect

from sessions_app.models import AttendAs, Rsvp, RsvpStatus
from tests.browser.checks import assert_accessible, email_link, focused, tab_to
from tests.factories import make_session

pytestmark = pytest.mark.django_db(transaction=True)


def test_guest_rsvps_then_cancels_from_the_email_link(browser_page: Page, site: str) -> None:
    page = browser_page
    session = make_session(topic="Keeping volunteers", slug="keeping-volunteers")

    page.goto(site)
    expect(page.get_by_role("heading", level=1)).to_contain_text("community builders")
    assert_accessible(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sessions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upcoming sessions")
    assert_accessible(page)

    page.get_by_role("link", name="Keeping volunteers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Keeping volunteers")
    assert_accessible(page)

    rsvp_box = page.locator("#rsvp")
    rsvp_box.get_by_role("button", name="RSVP as a guest").click()
    expect(page.locator("#id_name_error")).to_have_text(
        "Tell us your name, so we know who to expect."
    )
    assert_accessible(page)

    rsvp_box.get_by_label("Your name").fill("Gus Guest")
    rsvp_box.get_by_label("Email").fill("gus@example.org")
    rsvp_box.get_by_label("In person").check()
    rsvp_box.get_by_role("button", name="RSVP as a guest").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_role("status")).to_contain_text("private link to gus@example.org")
    assert_accessible(page)

    page.goto(site + email_link("gus@example.org", "/rsvp/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Keeping volunteers")
    expect(page.locator(".rsvp")).to_contain_text("You're coming in person.")
    assert_accessible(page)

    page.get_by_role("button", name="Cancel my RSVP").click()
    expect(page.get_by_role("status")).to_contain_text("Your RSVP is cancelled.")
    expect(page.locator(".rsvp")).to_contain_text("You cancelled this RSVP.")
    assert_accessible(page)
    rsvp = Rsvp.objects.get(session=session, email="gus@example.org")
    assert (rsvp.status, rsvp.attend_as) == (RsvpStatus.CANCELLED, AttendAs.IN_PERSON)


def test_guest_rsvp_form_works_with_the_keyboard_alone(browser_page: Page, site: str) -> None:
    page = browser_page
    session = make_session(topic="Keeping volunteers", slug="keeping-volunteers")
    page.goto(site + session.get_absolute_url())

    page.keyboard.press("Tab")
    assert focused(page)["description"] == 'a "Skip to main content"'
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    tab_to(page, 'a "Skip to main content"', key="Shift+Tab")  # back through the header
    page.keyboard.press("Enter")
    tab_to(page, "id_name")
    page.keyboard.type("Kim Keyboard")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_email"
    page.keyboard.type("kim@example.org")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_organization"
    page.keyboard.press("Shift+Tab")
    assert focused(page)["id"] == "id_email"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_how_0"
    page.keyboard.press("Space")
    expect(page.get_by_label("In person")).to_be_checked()
    page.keyboard.press("ArrowDown")
    assert focused(page)["id"] == "id_how_1"
    expect(page.get_by_label("Online")).to_be_checked()
    page.keyboard.press("Tab")
    assert focused(page)["description"] == 'button "RSVP as a guest"'
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    rsvp = Rsvp.objects.get(session=session)
    assert (rsvp.name, rsvp.email, rsvp.attend_as) == (
        "Kim Keyboard",
        "kim@example.org",
        AttendAs.ONLINE,
    )


def test_visitor_copies_the_subscribe_link(browser_page: Page, site: str) -> None:
    page = browser_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    make_session()

    page.goto(f"{site}/sessions/")
    subscribe = page.get_by_role("region", name="Subscribe")
    subscribe.get_by_role("button", name="Copy the address").click()
    expect(subscribe.locator("#feed-url-status")).to_have_text("Copied")

    assert page.evaluate("navigator.clipboard.readText()") == (
        "https://cop.example.org/sessions/feed.ics"
    )
    expect(subscribe.get_by_role("link", name="Subscribe in your calendar app")).to_have_attribute(
        "href", "webcal://cop.example.org/sessions/feed.ics"
    )
