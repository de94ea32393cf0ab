"""A member finds people the way they type: "housing" finds the tenant-rights member who
posts under "housing", "meetings" finds "meeting facilitation", and a search that finds
nobody offers related topics. Then they add their own topics as chips."""

import pytest
from playwright.sync_api import Page, expect

from members.models import Profile
from tests.browser.checks import assert_accessible_at_both_widths, sign_in
from tests.factories import make_post, make_profile, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def search(page: Page, words: str) -> None:
    page.get_by_label("Search members").fill(words)
    page.get_by_role("button", name="Search", exact=True).click()


def test_member_searches_the_directory_by_topic_and_stem(browser_page: Page, site: str) -> None:
    page = browser_page
    dana = make_user(email="dana@example.org", display_name="Dana Member")
    make_profile(user=dana, bio="New here, curious about housing.")
    tanya = make_profile(
        display_name="Tanya Brooks", expertise=["tenant rights"], bio="Door knocking."
    )
    make_post(author=tanya.user, tags=["housing"], title="Eviction defense 101")
    make_profile(display_name="Marcus Lee", expertise=["meeting facilitation"])
    make_post(tags=["housing policy"])

    sign_in(page, "dana@example.org", site=site)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Members").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Member directory")
    assert_accessible_at_both_widths(page)

    search(page, "housing")
    expect(page.get_by_role("status")).to_have_text(
        "2 members match “housing”, best matches first."
    )
    cards = page.locator(".member-card")
    expect(cards.first.get_by_role("heading", level=2)).to_have_text("Tanya Brooks")
    expect(cards.first).to_contain_text("Posts about housing")
    expect(cards.first.locator("mark")).to_have_text(["housing"])
    assert_accessible_at_both_widths(page)

    search(page, "meetings")
    expect(cards).to_have_count(1)
    expect(cards.first.get_by_role("heading", level=2)).to_have_text("Marcus Lee")
    expect(cards.first.locator(".tag--match")).to_have_text("meeting facilitation")
    assert_accessible_at_both_widths(page)

    search(page, "housing court")
    expect(page.get_by_text("No listed member matches “housing court” yet.")).to_be_visible()
    assert_accessible_at_both_widths(page)
    page.locator(".directory-empty").get_by_role("link", name="housing", exact=True).click()
    expect(page.get_by_label("Search members")).to_have_value("housing")
    expect(cards.first.get_by_role("heading", level=2)).to_have_text("Tanya Brooks")

    # Their own topics: tick a suggestion, type one more.
    page.get_by_role("navigation", name="Members").get_by_role("link", name="Your profile").click()
    assert_accessible_at_both_widths(page)
    page.get_by_role("group", name="What others can ask you about").get_by_label(
        "housing", exact=True
    ).check()
    page.get_by_label("Add topics others can ask you about").fill("Meetings")
    page.get_by_role("button", name="Save your profile").click()
    expect(page.get_by_role("status")).to_contain_text("Your profile is saved.")
    profile = Profile.objects.get(user=dana)
    assert sorted(tag.name for tag in profile.expertise.all()) == ["housing", "meeting"]
