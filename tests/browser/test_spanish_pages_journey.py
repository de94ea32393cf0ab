"""A member who chose Spanish signs in from an English browser and reads their pages in
Spanish: their page, the sessions, a session, the practice library and an activity,
axe-clean and no wider than the screen at 360 and 1280 pixels. The footer's language
buttons then switch them, and their account, back to English."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from practice_library.models import ActivityPattern, PatternKind, PatternStep
from sessions_app.models import AttendAs
from sessions_app.services.rsvps import rsvp_create
from tests.browser.checks import PHONE, assert_accessible_at_both_widths, sign_in
from tests.factories import make_session, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def fits_the_phone(page: Page) -> None:
    """Nothing wider than the phone's screen: long Spanish words wrap, not overflow."""
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a phone"
    if size:
        page.set_viewport_size(size)


def in_spanish(page: Page, heading: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    fits_the_phone(page)
    assert_accessible_at_both_widths(page)


def test_spanish_member_reads_their_pages_in_spanish_then_switches_to_english(
    browser_page: Page, site: str
) -> None:
    page = browser_page
    member = make_user(email="lucia@example.org", display_name="Lucía Member", language="es")
    session = make_session(
        topic_en="Keeping volunteers",
        topic_es="Cómo mantener a los voluntarios",
        slug="keeping-volunteers",
        starts_at=datetime(2027, 12, 15, 18, 0, tzinfo=ZoneInfo("America/New_York")),
    )
    rsvp_create(session=session, attend_as=AttendAs.IN_PERSON, user=member, listed=True)
    # The migrations' activity, made again if an earlier live-server test emptied the
    # database; its step's text is this test's own.
    pattern, _ = ActivityPattern.objects.update_or_create(
        slug="problem-solving",
        defaults={
            "kind": PatternKind.QUESTION,
            "name_en": "Problem solving",
            "name_es": "Resolver problemas",
            "purpose_en": "Bring a problem you are stuck on; leave with ideas to try.",
            "purpose_es": "Traiga un problema que le cuesta resolver y llévese ideas.",
            "invitation_en": "What are you stuck on?",
            "invitation_es": "¿Qué problema quiere resolver?",
        },
    )
    pattern.steps.all().delete()
    PatternStep.objects.create(
        pattern=pattern,
        format="brief",
        minutes=5,
        text_en="The asker describes the problem.",
        text_es="Quien pregunta describe el problema.",
    )

    # The sign-in page follows the browser (English); the account's choice takes over after.
    sign_in(page, "lucia@example.org", site=site)

    page.goto(f"{site}/me/")
    in_spanish(page, "Hola, Lucía Member")
    expect(page.get_by_role("region", name="Asistirá")).to_contain_text(
        "Cómo mantener a los voluntarios"
    )

    page.goto(f"{site}/sessions/")
    in_spanish(page, "Próximas sesiones")
    page.get_by_role("link", name="Cómo mantener a los voluntarios").first.click()
    in_spanish(page, "Cómo mantener a los voluntarios")
    expect(page.locator("main")).to_contain_text("miércoles, 15 de diciembre de 2027")

    page.goto(f"{site}/library/")
    in_spanish(page, "Lo que aprendemos unos de otros, guardado donde podamos encontrarlo")
    page.get_by_role("link", name="Resolver problemas").first.click()
    in_spanish(page, "Resolver problemas")
    expect(page.get_by_role("heading", name="Cómo hacerla")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Quien pregunta describe el problema.")

    # The footer's buttons: back to English, on the same page and on the account.
    footer = page.get_by_role("contentinfo")
    expect(footer.get_by_role("button", name="Español")).to_have_attribute("aria-current", "true")
    footer.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Problem solving")
    expect(page.get_by_role("heading", name="How to run it")).to_be_visible()
    assert_accessible_at_both_widths(page)
    member.refresh_from_db()
    assert member.language == "en"

    page.goto(f"{site}/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Lucía Member")
