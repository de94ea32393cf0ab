"""A newcomer becomes a member: signs up, confirms their email, RSVPs online."""

import pytest
from playwright.sync_api import Page, expect

from members.models import User
from sessions_app.models import AttendAs, RsvpStatus
from tests.browser.checks import assert_accessible, email_link
from tests.factories import make_session

pytestmark = pytest.mark.django_db(transaction=True)


def test_newcomer_signs_up_verifies_and_rsvps_online(browser_page: Page, site: str) -> None:
    page = browser_page
    session = make_session(topic="Tenant meetings that work", slug="tenant-meetings")

    page.goto(site)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up")
    assert_accessible(page)

    page.get_by_label("Email").fill("nia@example.org")
    page.get_by_label("Display name").fill("Nia Newcomer")
    page.get_by_label("Password", exact=True).fill("a-long-test-passphrase-42")
    page.get_by_label("Password (again)").fill("a-long-test-passphrase-42")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page)

    page.goto(site + email_link("nia@example.org", "/accounts/confirm-email/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("status")).to_contain_text("nia@example.org is confirmed.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to the CoP, Nia Newcomer")
    expect(page.locator("summary", has_text="Nia Newcomer")).to_be_visible()
    assert_accessible(page)
    member = User.objects.get(email="nia@example.org")
    assert member.emailaddress_set.get().verified

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sessions").click()
    expect(page.get_by_role("link", name="Your own calendar feed")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Tenant meetings that work").click()
    expect(page.locator("#rsvp").get_by_role("heading")).to_have_text("Coming?")
    assert_accessible(page)

    page.get_by_label("Online").check()
    page.get_by_role("button", name="I'm coming").click()
    expect(page.get_by_role("status")).to_contain_text("You're coming online.")
    joining = page.get_by_role("region", name="Joining online")
    expect(joining.get_by_role("link", name="Open the meeting link")).to_have_attribute(
        "href", "https://meet.example.org/secret-room"
    )
    expect(joining).to_contain_text("Dial 555-0100, passcode 4242.")
    expect(page.get_by_role("region", name="How to join")).to_contain_text(
        "Online: the link is under “Joining online”, with your RSVP."
    )
    assert_accessible(page)
    rsvp = session.rsvps.get()
    assert (rsvp.user, rsvp.attend_as, rsvp.status) == (member, AttendAs.ONLINE, RsvpStatus.GOING)

    page.locator("summary", has_text="Nia Newcomer").click()
    page.get_by_role("link", name="My page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Nia Newcomer")
    expect(page.get_by_role("region", name="You're going")).to_contain_text(
        "Tenant meetings that work"
    )
    assert_accessible(page)
