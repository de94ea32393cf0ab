"""A Spanish speaker's first RSVP: their browser asks for Spanish, so the session page,
the form, its errors, the confirmation page, the emails and the calendar invitation
are all in Spanish, with nothing to choose first."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from playwright.sync_api import Browser, expect

from sessions_app.models import Rsvp
from tests.browser.checks import (
    PHONE,
    assert_accessible,
    assert_accessible_at_both_widths,
    email_link,
)
from tests.browser.conftest import CHROMIUM
from tests.factories import make_session

pytestmark = pytest.mark.django_db(transaction=True)


def invitation_of(message) -> str:
    return next(body for body, mime in message.alternatives if mime.startswith("text/calendar"))


def test_spanish_guest_rsvps_and_gets_spanish_emails_and_invitation(
    browser: Browser, site: str
) -> None:
    assert CHROMIUM.exists()
    session = make_session(
        topic_en="Keeping volunteers",
        topic_es="Cómo mantener a los voluntarios",
        slug="keeping-volunteers",
        starts_at=datetime(2027, 12, 15, 18, 0, tzinfo=ZoneInfo("America/New_York")),
    )
    # Playwright's locale is what Chromium sends as Accept-Language.
    context = browser.new_context(locale="es-MX", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(site + session.get_absolute_url())
        expect(page.locator("html")).to_have_attribute("lang", "es")
        expect(page.get_by_role("heading", level=1)).to_have_text("Cómo mantener a los voluntarios")
        expect(page.locator("main")).to_contain_text("miércoles, 15 de diciembre de 2027")
        assert_accessible_at_both_widths(page)

        rsvp_box = page.locator("#rsvp")
        rsvp_box.get_by_role("button", name="Confirmar asistencia sin cuenta").click()
        expect(page.locator(".error-summary").get_by_role("heading")).to_have_text(
            "Hay un problema"
        )
        assert_accessible(page)

        rsvp_box.get_by_label("Su nombre").fill("Gustavo Ruiz")
        rsvp_box.get_by_label("Correo electrónico").fill("gustavo@example.org")
        rsvp_box.get_by_label("Presencial").check()
        rsvp_box.get_by_role("button", name="Confirmar asistencia sin cuenta").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Revise su correo")
        assert_accessible(page)

        # The private link in the Spanish email opens the RSVP, still in Spanish.
        page.goto(site + email_link("gustavo@example.org", "/rsvp/"))
        expect(page.locator("html")).to_have_attribute("lang", "es")
        expect(page.get_by_role("heading", level=1)).to_have_text("Cómo mantener a los voluntarios")
        assert_accessible(page)
    finally:
        context.close()

    rsvp = Rsvp.objects.get(session=session, email="gustavo@example.org")
    assert rsvp.language == "es"
    emails = [message for message in mail.outbox if message.to == ["gustavo@example.org"]]
    assert emails, "no email reached the guest"
    for message in emails:
        assert "Cómo mantener a los voluntarios" in message.body
        assert "Keeping volunteers" not in message.body
        assert "diciembre" in message.body
    invitation = invitation_of(
        next(m for m in emails if any("calendar" in a[1] for a in m.alternatives))
    )
    assert "SUMMARY:Cómo mantener a los voluntarios" in invitation.replace("\r\n ", "")
