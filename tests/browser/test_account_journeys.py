"""A newcomer signs up, asks for the email again, confirms, is welcomed, and opts into
the member directory; then finds their account settings from /me/."""

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from members.models import Profile, User
from tests.browser.checks import assert_accessible_at_both_widths, email_link

pytestmark = pytest.mark.django_db(transaction=True)

PASSPHRASE = "a-long-test-passphrase-42"


def test_newcomer_signs_up_confirms_and_lists_themselves(browser_page: Page, site: str) -> None:
    page = browser_page

    page.goto(site + "/accounts/signup/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up")
    expect(page.get_by_text("Use at least 8 characters, not only numbers")).to_be_visible()
    page.get_by_label("Email").fill("robin@example.org")
    page.get_by_label("Display name").fill("Robin T.")
    page.get_by_label("Password", exact=True).fill(PASSPHRASE)
    page.get_by_label("Password (again)").fill("something-else-entirely-9")
    page.get_by_role("button", name="Sign up").click()
    # The site's error summary, linked to the field, and the error beside the field.
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(page.locator("#id_password2_error")).to_be_visible()
    assert_accessible_at_both_widths(page)

    page.get_by_label("Password", exact=True).fill(PASSPHRASE)
    page.get_by_label("Password (again)").fill(PASSPHRASE)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible_at_both_widths(page)

    # Straight away, "Resend the email" says one is on its way rather than sending more.
    page.get_by_role("button", name="Resend the email").click()
    expect(page.get_by_role("status")).to_contain_text("We sent you one a moment ago.")
    assert [message.to for message in mail.outbox] == [["robin@example.org"]]

    page.goto(site + email_link("robin@example.org", "/accounts/confirm-email/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to the CoP, Robin T.")
    expect(page.get_by_role("status")).to_contain_text("robin@example.org is confirmed.")
    assert_accessible_at_both_widths(page)
    page.get_by_label("List me in the member directory").check()
    page.get_by_role("button", name="Save and go to my page").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Robin T.")
    expect(page.get_by_role("status")).to_contain_text("You're in the member directory.")
    expect(page.get_by_role("region", name="You're going")).to_contain_text(
        "You haven't RSVPed to anything coming up."
    )
    assert_accessible_at_both_widths(page)
    member = User.objects.get(email="robin@example.org")
    assert Profile.objects.get(user=member).listed is True

    page.get_by_role("navigation", name="My account").get_by_role(
        "link", name="Account settings"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Account settings")
    assert_accessible_at_both_widths(page)
    page.get_by_role("link", name="Password").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Confirm it's you")
    page.get_by_label("Password").fill(PASSPHRASE)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    assert_accessible_at_both_widths(page)
