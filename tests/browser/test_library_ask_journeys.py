"""Asking is one click from anywhere: a member asks from the header, previews and posts;
a visitor who clicks "Ask the CoP" signs in and comes back to the form. axe-clean at
360 and 1280 pixels wide."""

import pytest
from playwright.sync_api import Page, expect

from members.models import User
from practice_library.models import ActivityPattern, PatternKind, Post
from tests.browser.checks import DESKTOP, PHONE, assert_accessible, sign_in, tab_to
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)

QUESTION_ACTIVITIES = {
    "requests-for-information": "Requests for information",
    "problem-solving": "Problem solving",
    "seeking-experience": "Seeking experience",
}


@pytest.fixture
def question_activities(transactional_db: None) -> None:
    """The three question activities from the migrations; an earlier live-server test
    may have emptied the database, so they are made again if missing."""
    for position, (slug, name) in enumerate(QUESTION_ACTIVITIES.items(), start=1):
        ActivityPattern.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": PatternKind.QUESTION,
                "position": position,
                "purpose": f"{name} together.",
                "invitation": "What would you like to ask?",
            },
        )


@pytest.fixture
def member(transactional_db: None) -> User:
    return make_user(email="rosa@example.org", display_name="Rosa Member")


def ask_link(page: Page):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name="Ask the CoP")


def header_fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width} px wide"
    box = ask_link(page).bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= page.viewport_size["width"]


def test_member_asks_from_the_header_previews_and_posts(
    browser_page: Page, site: str, question_activities: None, member: User
) -> None:
    page = browser_page
    page.set_viewport_size(PHONE)
    sign_in(page, member.email, site=site)
    page.goto(f"{site}/sessions/")
    header_fits(page)
    assert_accessible(page)

    ask_link(page).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask the CoP")
    expect(page.get_by_label("I'm looking for information")).to_be_checked()
    header_fits(page)
    assert_accessible(page)

    page.set_viewport_size(DESKTOP)
    page.get_by_label("Your question").fill("How did you fund your first block party?")
    page.get_by_label("I need help with a problem").check()
    page.get_by_label("Details (optional)").fill("We have **no bank account** yet.")
    tags = page.get_by_label("Tags")
    tags.fill("block clubs")
    tags.press("Enter")  # a chip, not a submitted form
    tags.press_sequentially("grants,")
    chips = page.locator(".tag-chip:has(input:checked) .tag-chip__name")  # the ticked ones
    expect(chips).to_have_text(["block clubs", "grants"])
    page.get_by_label("grants", exact=True).uncheck()  # left out (and can be ticked again)
    expect(chips).to_have_text(["block clubs"])
    tags.press_sequentially("small grants")
    assert Post.objects.count() == 0

    tab_to(page, 'button "Preview"')  # past the chips, each stop showing its focus
    page.keyboard.press("Enter")
    preview = page.get_by_role("region", name="Preview")
    expect(preview).to_contain_text("How did you fund your first block party?")
    expect(preview.locator("strong")).to_have_text("no bank account")
    expect(chips).to_have_text(["block clubs", "small grants"])
    expect(page.get_by_label("I need help with a problem")).to_be_checked()
    assert Post.objects.count() == 0
    assert_accessible(page)

    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "How did you fund your first block party?"
    )
    expect(page.get_by_text("Your question is up.")).to_be_visible()
    assert_accessible(page)
    post = Post.objects.get()
    assert (post.pattern.slug, post.author, post.body) == (
        "problem-solving",
        member,
        "We have **no bank account** yet.",
    )
    assert sorted(post.tags.values_list("name", flat=True)) == ["block clubs", "small grants"]


def test_visitor_clicking_ask_signs_in_and_comes_back_to_the_form(
    browser_page: Page, site: str, question_activities: None, member: User
) -> None:
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(f"{site}/library/")
    header_fits(page)

    # By keyboard: on a phone the button shows "Ask"; its name is still "Ask the CoP".
    tab_to(page, 'a "Ask"')
    expect(ask_link(page)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{site}/accounts/login/?next=/library/ask/")
    assert_accessible(page)
    sign_in(page, member.email)

    expect(page).to_have_url(f"{site}/library/ask/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask the CoP")
    assert_accessible(page)
