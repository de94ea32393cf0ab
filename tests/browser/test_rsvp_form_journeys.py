"""An RSVP that can't fail silently: a guest's mistake brings them back to the form, where a
focused summary links to each field and everything typed is kept; without JavaScript the
page still opens at the form. Then the confirmation keeps the calendar buttons."""

import pytest
from playwright.sync_api import Browser, Page, expect

from sessions_app.models import AttendAs, Rsvp, RsvpStatus
from sessions_app.services.rsvps import Guest, rsvp_create
from tests.browser.checks import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_accessible_at_both_widths,
    focused,
)
from tests.browser.conftest import CHROMIUM
from tests.factories import make_session

pytestmark = pytest.mark.django_db(transaction=True)


def test_guest_mistake_is_summarized_focused_and_fixed(browser_page: Page, site: str) -> None:
    page = browser_page
    page.set_viewport_size(PHONE)
    session = make_session(title="Keeping volunteers", slug="keeping-volunteers")
    page.goto(site + session.get_absolute_url())

    rsvp_box = page.locator("#rsvp")
    expect(rsvp_box.get_by_label("In person")).to_be_checked()
    expect(rsvp_box).to_contain_text("You can change this later")
    rsvp_box.get_by_label("Your name").fill("Gus Guest")
    rsvp_box.get_by_label("Email").fill("gus@example")
    rsvp_box.get_by_label("Organization or group (optional)").fill("Hough block club")
    rsvp_box.get_by_role("button", name="RSVP as a guest").click()

    # Back at the form, not at the top of the page, with the focus on the summary.
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    assert page.url.endswith("#rsvp")
    expect(summary).to_be_in_viewport()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    focused(page)
    assert_accessible_at_both_widths(page)

    # Everything typed is still there, and the field says what's wrong beside it.
    email = rsvp_box.get_by_label("Email")
    expect(rsvp_box.get_by_label("Your name")).to_have_value("Gus Guest")
    expect(email).to_have_value("gus@example")
    expect(rsvp_box.get_by_label("Organization or group (optional)")).to_have_value(
        "Hough block club"
    )
    expect(rsvp_box.get_by_label("In person")).to_be_checked()
    expect(email).to_have_attribute("aria-invalid", "true")
    # (The ⚠ is the error list's own marker, read out like GOV.UK's "Error:".)
    expect(email).to_have_accessible_description(
        "For your confirmation and a link to change or cancel. Never shown to others. "
        "⚠ Enter an email address like name@example.org."
    )

    # The summary's link takes the keyboard to the field, its label in view.
    page.keyboard.press("Tab")
    assert focused(page)["description"] == 'a "Enter an email address like name@example"'
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "id_email"
    expect(page.locator("label[for=id_email]")).to_be_in_viewport()

    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("gus@example.org")
    rsvp_box.get_by_role("button", name="RSVP as a guest").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    calendar = page.get_by_role("region", name="Add it to your calendar")
    expect(calendar.get_by_role("link", name="Google Calendar")).to_be_visible()
    expect(page.locator("#rsvp")).to_have_count(0)
    assert_accessible(page)
    rsvp = Rsvp.objects.get(session=session)
    assert (rsvp.name, rsvp.email, rsvp.organization, rsvp.attend_as) == (
        "Gus Guest",
        "gus@example.org",
        "Hough block club",
        AttendAs.IN_PERSON,
    )


def test_without_javascript_the_page_opens_at_the_summary(browser: Browser, site: str) -> None:
    assert CHROMIUM.exists()
    session = make_session(title="Keeping volunteers", slug="keeping-volunteers")
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(site + session.get_absolute_url())
        page.locator("#rsvp").get_by_role("button", name="RSVP as a guest").click()

        assert page.url.endswith("#rsvp")
        summary = page.locator(".error-summary")
        expect(summary).to_be_in_viewport()
        expect(summary.get_by_role("link")).to_have_text(
            [
                "Tell us your name, so we know who to expect.",
                "We need an email address to send your confirmation.",
            ]
        )
        summary.get_by_role("link").first.click()
        expect(page.get_by_label("Your name")).to_be_focused()
    finally:
        context.close()
    assert Rsvp.objects.count() == 0


def test_in_person_guest_manages_their_rsvp_without_the_meeting_link(
    browser_page: Page, site: str
) -> None:
    page = browser_page
    session = make_session(title="Keeping volunteers", slug="keeping-volunteers")
    rsvp, _ = rsvp_create(
        session=session, attend_as=AttendAs.IN_PERSON, guest=Guest("Pat", "pat@example.org")
    )

    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        page.goto(site + rsvp.get_absolute_url())
        expect(page.locator("#rsvp")).to_contain_text("You're coming in person.")
        expect(page.get_by_role("link", name="Open the meeting link")).to_have_count(0)
        expect(page.get_by_role("region", name="Add it to your calendar")).to_be_visible()
        assert_accessible(page)

    page.get_by_role("button", name="Cancel my RSVP").click()
    expect(page.locator("#rsvp")).to_contain_text("You cancelled this RSVP.")
    expect(page.get_by_role("region", name="Add it to your calendar")).to_have_count(0)
    expect(page.get_by_text("Keep it in your calendar")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="RSVP again").click()
    assert page.url.endswith(session.get_absolute_url() + "#rsvp")
    expect(page.locator("#rsvp").get_by_role("button", name="RSVP as a guest")).to_be_visible()
    rsvp.refresh_from_db()
    assert rsvp.status == RsvpStatus.CANCELLED
