"""Shared pieces of the fuzz tests (tests/*/test_fuzz_*.py): hostile input, the people and
rows the forms act on, and the checks every answer must pass.

Each app's fuzz module lists its forms as `FormCase`s and its filtered pages as
`FilterCase`s; tests/cop_portal/test_fuzz_coverage.py checks those lists against every
URL the project has, so a new form can't go unfuzzed.

Hypothesis settings come from the profile named by FUZZ_PROFILE: "fuzz" (the default,
quick and reproducible, for CI) or "fuzz-deep" (many more random examples, for a run by
hand: `FUZZ_PROFILE=fuzz-deep .venv/bin/pytest tests -k fuzz`).
"""

import os
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property
from typing import Any

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.forms import BaseForm, BaseFormSet
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cop_portal.lib.content_version import content_version
from cop_portal.mail import preferences as email_prefs
from cop_portal.mail.models import Preference
from members.models import User
from practice_library.models import ActivityPattern, Attachment, Report
from sessions_app.models import SessionStatus
from sessions_app.services.attendance import self_check_in_code, walk_in_add
from sessions_app.services.feed_tokens import feed_token_for_member
from sessions_app.services.rsvps import Guest, rsvp_create
from tests.factories import (
    PASSWORD,
    make_post,
    make_profile,
    make_reply,
    make_series,
    make_session,
    make_venue,
)

# Hypothesis -------------------------------------------------------------------------

settings.register_profile(
    "fuzz",
    max_examples=25,
    deadline=None,
    # The same examples on every run and every machine: a red CI build can be re-run.
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
    print_blob=True,
)
settings.register_profile(
    "fuzz-deep", parent=settings.get_profile("fuzz"), max_examples=400, derandomize=False
)
FUZZ = settings.get_profile(os.environ.get("FUZZ_PROFILE", "fuzz"))


def examples(count: int) -> settings:
    """The profile with `count` examples per test (in the quick profile only)."""
    if os.environ.get("FUZZ_PROFILE", "fuzz") != "fuzz":
        return FUZZ
    return settings(FUZZ, max_examples=count)


# Hostile input ----------------------------------------------------------------------

# Anything UTF-8 can carry. Lone surrogates can't be encoded, so no client can send them.
ANY_CHAR = st.characters(exclude_categories=("Cs",))
# NUL, escapes, bidi overrides, zero-width joiners, byte-order marks.
INVISIBLE = st.characters(categories=("Cc", "Cf"))

INJECTIONS = [
    "",
    " ",
    "\t\r\n",
    "\x00",
    "Dana\x00Member",
    "' OR '1'='1' --",
    "'; DROP TABLE members_user; --",
    "1; SELECT pg_sleep(10)",
    '" autofocus onfocus="alert(1)',
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "{{ request }}{% debug %}",
    "%(value)s %s %n %x",
    "${jndi:ldap://example.org/a}",
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "\u202egnp.exe",
    "\ufeff\u200b\u200d\u2060",
    "Z\u0351\u0354\u0335\u0361\u0327a\u0338\u0315l\u0336g\u0337o",
    "\U0001f600\U0001f469\u200d\U0001f467",
    "\r\nSet-Cookie: admin=1",
    '=HYPERLINK("http://example.org")',
    "NaN",
    "None",
    "null",
    "true",
    "[]",
    "{}",
]
HUGE = st.sampled_from([121, 256, 1_001, 20_001, 200_000]).map(lambda size: "x" * size)

HOSTILE_TEXT = st.one_of(
    st.sampled_from(INJECTIONS),
    st.text(ANY_CHAR, max_size=30),
    st.text(INVISIBLE, min_size=1, max_size=4),
    HUGE,
)
HOSTILE_NUMBER = st.one_of(
    st.sampled_from(
        [
            "-1",
            "0",
            "1.5",
            "1e3",
            "1e309",
            "-0",
            "+7",
            " 7 ",
            "0x1F",
            "\u0661\u0662",  # Arabic-Indic digits: Python's int() reads them
            "\u00b2",
            "2147483647",
            "2147483648",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775809",
            "9" * 40,
            "NaN",
            "Infinity",
        ]
    ),
    st.integers().map(str),
)
HOSTILE_DATE = st.one_of(
    st.sampled_from(
        [
            "0000-00-00",
            "0001-01-01",
            "9999-12-31",
            "2026-02-30",
            "2026-02-29",
            "2028-02-29",
            "2026-13-01",
            "2026-00-10",
            "10000-01-01",
            "-2026-01-01",
            "2026-1-1",
            "01/02/2026",
            "1970-01-01",
            "2038-01-19",
        ]
    ),
    st.dates().map(str),
)
HOSTILE_TIME = st.sampled_from(
    ["24:00", "23:59:60", "25:61", "-1:00", "00:00", "23:59:59.999999", "12:00:00.1234567", "noon"]
)
HOSTILE_DATETIME = st.one_of(
    st.sampled_from(
        [
            "9999-12-31T23:59:59",
            "0001-01-01 00:00",
            "2026-03-08 02:30",  # not a time in Cleveland (clocks jump forward)
            "2026-11-01 01:30",  # twice a time in Cleveland
            "2026-02-30T10:00",
            "2026-01-01T10:00:00+25:00",
            "2026-01-01T10:00:00Z",
        ]
    ),
    st.datetimes().map(lambda moment: moment.isoformat()),
)
HOSTILE_EMAIL = st.sampled_from(
    [
        "a@b",
        "@example.org",
        "dana@",
        "dana@example.org\x00",
        "dana@example.org\r\nBcc: everyone@example.org",
        "dana@@example.org",
        "dana@example..org",
        f"{'d' * 300}@example.org",
        f"dana@{'e' * 300}.org",
        '"<script>"@example.org',
        "dana@[127.0.0.1]",
        "DANA@EXAMPLE.ORG",
        "d\u00f6rte@b\u00fccher.example",
        "dana+tag@example.org",
    ]
)

# PostgreSQL refuses a NUL anywhere in a query, where SQLite takes it: the commonest
# difference between the two, so NULs get a branch of their own.
WITH_NUL = st.builds(
    lambda before, after: f"{before}\x00{after}", st.text(max_size=5), st.text(max_size=5)
)

HOSTILE = st.one_of(
    WITH_NUL,
    HOSTILE_TEXT,
    HOSTILE_NUMBER,
    HOSTILE_DATE,
    # Several values where the form expects one.
    st.lists(HOSTILE_TEXT, min_size=2, max_size=3),
)


@dataclass(frozen=True)
class Field:
    """One form field: values the form should take, and values meant to break it."""

    valid: st.SearchStrategy[Any]
    hostile: st.SearchStrategy[Any] = HOSTILE


# Text the form should take: any characters but NUL (which forms refuse), short enough.
def text(max_size: int = 40, *, min_size: int = 1) -> Field:
    """Any characters but NUL (which forms refuse), up to the limit exactly."""
    valid = st.one_of(
        st.text(
            st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
            min_size=min_size,
            max_size=max_size,
        ),
        st.sampled_from(["x" * max_size, "\U0001f600" * max_size, "\u202e\x1b[31m\x7f\ufeff"]),
    )
    return Field(valid, st.one_of(HOSTILE_TEXT, HOSTILE))


def words(*samples: str) -> Field:
    """Text the form should take, from a few realistic samples or anything at all."""
    return Field(st.one_of(st.sampled_from(samples), text(30).valid), HOSTILE)


def email() -> Field:
    return Field(st.emails(), st.one_of(HOSTILE_EMAIL, HOSTILE))


def integer(low: int, high: int) -> Field:
    return Field(st.integers(low, high).map(str), st.one_of(HOSTILE_NUMBER, HOSTILE))


# Real dates a date field takes, at the ends of what Python can hold, and the days
# Cleveland's clocks change.
EDGE_DATES = ["0001-01-01", "9999-12-31", "2028-02-29", "2026-03-08", "2026-11-01"]


def date(*, days_ahead: tuple[int, int] = (1, 60)) -> Field:
    today = timezone.localdate()
    soon = st.integers(*days_ahead).map(lambda days: (today + timedelta(days=days)).isoformat())
    return Field(st.one_of(soon, st.sampled_from(EDGE_DATES)), st.one_of(HOSTILE_DATE, HOSTILE))


def clock(*samples: str) -> Field:
    """Times of day; 02:30 and 01:30 are missing or doubled on the days clocks change."""
    usual = st.sampled_from(samples or ("09:00", "18:00", "19:30"))
    edges = st.sampled_from(["00:00", "02:30", "01:30", "23:59", "23:59:59.999999"])
    return Field(st.one_of(usual, edges), st.one_of(HOSTILE_TIME, HOSTILE))


def moment() -> Field:
    edges = ["9999-12-31T23:59:59", "0001-01-01T00:00:00", "2026-03-08T02:30:00"]
    valid = st.one_of(st.just(timezone.now().isoformat()), st.sampled_from(edges))
    return Field(valid, st.one_of(HOSTILE_DATETIME, HOSTILE))


def choice(*values: str) -> Field:
    return Field(st.sampled_from(values), HOSTILE)


def checkbox() -> Field:
    return Field(
        st.sampled_from(["on", ""]), st.one_of(st.sampled_from(["off", "1", "yes"]), HOSTILE)
    )


def several(*values: str) -> Field:
    """A multiple choice (ticked boxes): a list of the values."""
    valid = st.lists(st.sampled_from(values), unique=True, max_size=len(values))
    mixed = st.lists(st.one_of(st.sampled_from(values), HOSTILE_NUMBER), min_size=1, max_size=3)
    return Field(valid, st.one_of(mixed, HOSTILE))


HOSTILE_URL = st.sampled_from(
    [
        "javascript:alert(1)",
        "http://example.org",
        "https://",
        "https://exa mple.org",
        "https://[::1",
        "https://example.org:99999/",
        f"https://example.org/{'a' * 600}",
        "//evil.example.org",
        "https://\u4f8b\u3048.\u30c6\u30b9\u30c8/",
        "ftp://example.org",
        "https://user:pass@example.org",
        "https://example.org/\x00",
    ]
)


def web_url() -> Field:
    return Field(
        st.sampled_from(["https://meet.example.org/cop", "https://example.org/a?b=c#d"]),
        st.one_of(HOSTILE_URL, HOSTILE),
    )


# Where to go afterwards (`next`): only this site's pages may be honoured.
NEXT = Field(
    st.sampled_from(["", "/sessions/"]),
    st.one_of(
        st.sampled_from(
            [
                "https://evil.example.org/",
                "//evil.example.org",
                "/\\evil.example.org",
                "http:evil.example.org",
                "javascript:alert(1)",
            ]
        ),
        HOSTILE,
    ),
)


def fixed(value: Any) -> Field:
    """A value the page itself supplies (a formset's form count, a hidden action)."""
    return Field(st.just(value), HOSTILE)


# A field's valid value that means "not sent" (which of several buttons was pressed).
OMIT = object()


def button() -> Field:
    """A submit button: its name is sent only when it is the one pressed."""
    return Field(st.sampled_from(["", OMIT]), HOSTILE)


QUERY_KEYS = st.sampled_from(["", "page", "q", "__proto__", "csrfmiddlewaretoken", "a[]", "\x00"])


@st.composite
def form_data(draw: st.DrawFn, fields: Mapping[str, Field]) -> dict[str, Any]:
    """A submission: valid values but in a few fields, which get hostile values or are
    left out; sometimes with a field nobody asked for."""
    names = sorted(fields)
    attacked = draw(st.sets(st.sampled_from(names), max_size=min(3, len(names)))) if names else ()
    data: dict[str, Any] = {}
    for name in names:
        if name not in attacked:
            value = draw(fields[name].valid)
            if value is not OMIT:
                data[name] = value
        elif draw(st.booleans()):
            data[name] = draw(fields[name].hostile)
    if draw(st.integers(0, 4)) == 0:
        data[draw(QUERY_KEYS)] = draw(HOSTILE_TEXT)
    return data


@st.composite
def query_data(draw: st.DrawFn, params: Mapping[str, Field]) -> dict[str, Any]:
    """A query string: any of the parameters, each valid or hostile, perhaps repeated."""
    data: dict[str, Any] = {}
    for name in draw(st.sets(st.sampled_from(sorted(params)))) if params else ():
        strategy = params[name].valid if draw(st.booleans()) else params[name].hostile
        data[name] = draw(strategy)
    if draw(st.integers(0, 4)) == 0:
        data[draw(QUERY_KEYS)] = draw(HOSTILE_TEXT)
    return data


PAGE = Field(st.sampled_from(["1", "2", "last"]), st.one_of(HOSTILE_NUMBER, HOSTILE))


# Checks -----------------------------------------------------------------------------


@contextmanager
def rolled_back() -> Iterator[None]:
    """Whatever one example writes is undone, so every example starts from the same rows
    (rate-limit counters too: they live in the database cache)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def project_models() -> list[type[models.Model]]:
    """Every model of the portal's own apps and allauth's accounts."""
    labels = ("cop_portal", "members", "practice_library", "sessions_app", "account")
    return [model for label in labels for model in apps.get_app_config(label).get_models()]


def rows(watched: tuple[type[models.Model], ...]) -> dict[str, list[dict[str, Any]]]:
    """Every row of the watched tables, to tell that a refused form changed nothing."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in watched}


# The markup in INJECTIONS that would run if a page let it through unescaped: the tags,
# and the attribute that breaks out of a quoted value (as text, it is harmless).
INJECTED_MARKUP = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
]
INJECTED_ATTRIBUTE = re.compile(r'<[^<>]*\sonfocus="alert\(1\)')


def assert_handled(response: HttpResponse) -> None:
    """Not a server error, never a blank page (but Django's bare 405 for a wrong method),
    no injected markup let through, and never a redirect off the site."""
    assert response.status_code < 500, response.status_code
    if response.status_code >= 400 and response.status_code != 405:
        assert response.content.strip(), f"blank {response.status_code} page"
    if is_html(response):
        page = response.content.decode()
        assert not [markup for markup in INJECTED_MARKUP if markup in page]
        assert not INJECTED_ATTRIBUTE.search(page)
    if response.status_code in (301, 302, 303, 307, 308):
        location = response["Location"]
        assert url_has_allowed_host_and_scheme(location, {"testserver"}), location


def _context_values(response: HttpResponse) -> Iterator[Any]:
    contexts = response.context
    if contexts is None:
        return
    if not isinstance(contexts, list):
        contexts = [contexts]
    for context in contexts:
        yield from context.flatten().values()


def refused_forms(response: HttpResponse) -> list[BaseForm]:
    """The bound forms on the page that have errors, formsets' forms included."""
    found: dict[int, BaseForm] = {}
    for value in _context_values(response):
        if isinstance(value, BaseFormSet) and value.is_bound:
            candidates = [value.management_form, *value.forms]
        elif isinstance(value, BaseForm) and value.is_bound:
            candidates = [value]
        else:
            continue
        for form in candidates:
            if form.errors:
                found[id(form)] = form
    return list(found.values())


def formset_errors(response: HttpResponse) -> list[str]:
    return [
        error
        for value in _context_values(response)
        if isinstance(value, BaseFormSet) and value.is_bound
        for error in value.non_form_errors()
    ]


def assert_errors_shown(response: HttpResponse) -> None:
    """Each error of each refused form is on the page; a visible field's errors sit in
    the list the field points to (id="<field id>_error"). Hidden fields are left out:
    only a tampered form gets them wrong, and nobody could correct them anyway."""
    page = response.content.decode()
    for form in refused_forms(response):
        for name, errors in form.errors.items():
            bound = form[name] if name in form.fields else None
            if bound is not None and bound.is_hidden:
                continue
            if bound is not None and bound.auto_id:
                assert f'id="{bound.auto_id}_error"' in page, (name, errors)
            for message in errors:
                assert str(escape(message)) in page, (name, message[:200])
    for message in formset_errors(response):
        assert str(escape(message)) in page, message[:200]


def is_html(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


# The people and rows the forms act on -------------------------------------------------

GUEST_EMAIL = "gia.guest@example.org"


class World:
    """One of everything the forms and pages need, made on first use.

    Whatever a test needs must be made before its examples start (fuzz_form and
    fuzz_filters work out the URL and the fields first): rows made inside an example
    are rolled back with it.
    """

    def __init__(self, *, member: User, other_member: User, organizer: User) -> None:
        self.member = member
        self.other_member = other_member
        self.organizer = organizer

    # Sessions

    @cached_property
    def venue(self) -> Any:
        return make_venue()

    @cached_property
    def session(self) -> Any:
        """Published, hybrid, starting in an hour: RSVPs and self check-in are open."""
        return make_session(
            title="Tenant organizing", starts_at=timezone.now() + timedelta(hours=1)
        )

    @cached_property
    def draft_session(self) -> Any:
        return make_session(status=SessionStatus.DRAFT)

    @cached_property
    def guest_rsvp(self) -> Any:
        rsvp, _ = rsvp_create(
            session=self.session,
            attend_as="in-person",
            waitlist_ok=True,
            user=None,
            guest=Guest("Gia Guest", GUEST_EMAIL),
        )
        return rsvp

    @cached_property
    def walk_in(self) -> Any:
        return walk_in_add(session=self.session, count=2, name="Two friends")

    @cached_property
    def series(self) -> Any:
        return make_series(venue=self.venue)

    @cached_property
    def check_in_code(self) -> str:
        return self_check_in_code(self.session)

    @cached_property
    def feed_key(self) -> str:
        return feed_token_for_member(user=self.member).key

    # Library

    def pattern(self, kind: str) -> Any:
        return ActivityPattern.objects.filter(kind=kind).order_by("position").first()

    @cached_property
    def own_question(self) -> Any:
        """The member's question, tagged "grants"."""
        return make_post(pattern=self.pattern("question"), author=self.member, tags=["grants"])

    @cached_property
    def answer(self) -> Any:
        return make_reply(post=self.own_question, author=self.other_member)

    @cached_property
    def others_post(self) -> Any:
        """Someone else's discussion (the member replies to it: own_reply)."""
        return make_post(pattern=self.pattern("discussion"), author=self.other_member)

    @cached_property
    def own_reply(self) -> Any:
        return make_reply(post=self.others_post, author=self.member)

    def others_post_of(self, kind: str, **fields: Any) -> Any:
        return make_post(pattern=self.pattern(kind), author=self.other_member, **fields)

    @cached_property
    def coordination(self) -> Any:
        return self.others_post_of(
            "coordination", deadline=timezone.localdate() + timedelta(days=7)
        )

    @cached_property
    def asset(self) -> Any:
        return self.others_post_of("asset", asset_url="https://example.org/toolkit")

    @cached_property
    def visit(self) -> Any:
        return self.others_post_of("visit", site_name="Hough Garden", visit_kind="offer")

    @cached_property
    def argument(self) -> Any:
        return self.others_post_of("argument")

    @cached_property
    def report(self) -> Any:
        return Report.objects.create(
            post=self.others_post, reporter=self.member, reason="spam", details="Looks like spam."
        )

    @cached_property
    def attachment(self) -> Any:
        return self._attach(self.others_post)

    @cached_property
    def own_attachment(self) -> Any:
        return self._attach(self.own_question)

    @staticmethod
    def _attach(post: Any) -> Any:
        data = b"%PDF-1.4\n%%EOF\n"
        attachment = Attachment(
            post=post, original_name="plan.pdf", content_type="application/pdf", size=len(data)
        )
        attachment.file.save("plan.pdf", SimpleUploadedFile("plan.pdf", data), save=True)
        return attachment

    # Members

    @cached_property
    def profile(self) -> Any:
        return make_profile(user=self.other_member, expertise=["grant writing"])

    @cached_property
    def unsubscribe_token(self) -> str:
        return email_prefs.unsubscribe_token(GUEST_EMAIL, Preference.REMINDERS)


def log_in(client: Client, persona: str, world: World) -> Client:
    """`persona` is "visitor", "member" or "organizer"."""
    if persona == "member":
        client.force_login(world.member)
    elif persona == "organizer":
        client.force_login(world.organizer)
    else:
        assert persona == "visitor", persona
    return client


def reauthenticated(client: Client) -> None:
    """As if the member just typed their password again (for allauth's sensitive pages)."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.status_code


# Cases ------------------------------------------------------------------------------


def no_kwargs(world: World) -> dict[str, Any]:
    return {}


Fields = Mapping[str, Field]


@dataclass(frozen=True)
class FormCase:
    """A form URL, who posts to it, what it reads, and the tables a refusal must leave alone.

    `fields` may depend on the rows (a venue's id, a formset's slot ids). `prepare` runs
    in each example before the POST (e.g. to start a log-in-by-code) and may return the
    URL to post to instead of the reversed one.
    """

    name: str
    persona: str
    fields: Fields | Callable[[World], Fields]
    kwargs: Callable[[World], dict[str, Any]] = no_kwargs
    watch: tuple[type[models.Model], ...] = ()
    prepare: Callable[[Client, World], str | None] | None = None
    label: str = ""

    def __str__(self) -> str:
        return f"{self.name}[{self.label or self.persona}]"


@dataclass(frozen=True)
class FilterCase:
    """A page that reads its query string: who opens it and which parameters it reads."""

    name: str
    persona: str
    params: Fields
    kwargs: Callable[[World], dict[str, Any]] = no_kwargs
    label: str = ""

    def __str__(self) -> str:
        return f"{self.name}[{self.label or self.persona}]"


def fuzz_form(case: FormCase, world: World, count: int = 25) -> None:
    """Submit the form `count` times with hostile data (see form_data): never a server
    error; a refused submission saves nothing, leaves the pages kept for visitors kept
    (a stranger's bad POST must not make them stale) and shows its errors by the fields."""
    # Rows the URL and fields need are made now, outside the examples' rollback.
    url_kwargs = case.kwargs(world)
    fields = case.fields(world) if callable(case.fields) else case.fields
    # A bare button has only stray fields to try, a one-choice form few values.
    count = min(count, 5 + 10 * len(fields))

    @examples(count)
    @given(data=st.data())
    def submit(data: st.DataObject) -> None:
        payload = data.draw(form_data(fields), label="POST data")
        with rolled_back():
            client = log_in(Client(), case.persona, world)
            url = reverse(case.name, kwargs=url_kwargs)
            if case.prepare is not None:
                url = case.prepare(client, world) or url
            before = rows(case.watch)
            version = content_version()
            response = client.post(url, payload)
            # Shown by --hypothesis-show-statistics: how often the form took the data.
            event(f"status {response.status_code}")
            assert_handled(response)
            if is_html(response) and refused_forms(response):
                assert rows(case.watch) == before, "a refused form changed rows"
                assert content_version() == version, "a refused form made kept pages stale"
                assert_errors_shown(response)
            elif response.status_code == 302:
                # Where the form sends people shows what was just saved.
                assert_handled(client.get(response["Location"]))

    submit()


def fuzz_filters(case: FilterCase, world: World, count: int = 25) -> None:
    """Open the page `count` times with a hostile query string: never a server error; a
    400 says what was wrong, next to the field."""
    url = reverse(case.name, kwargs=case.kwargs(world))

    @examples(count)
    @given(data=st.data())
    def open_page(data: st.DataObject) -> None:
        query = data.draw(query_data(case.params), label="query")
        with rolled_back():
            response = log_in(Client(), case.persona, world).get(url, query)
            event(f"status {response.status_code}")
            assert_handled(response)
            if response.status_code == 400 and is_html(response):
                assert refused_forms(response), "a 400 that doesn't say what was wrong"
                assert_errors_shown(response)

    open_page()


# URLs -------------------------------------------------------------------------------


def url_routes() -> dict[str, str]:
    """Every named URL of the project but the admin's, namespaced ("sessions:rsvp-create"),
    with its route ("sessions/<slug:slug>/rsvp/"; regular expressions for allauth's few)."""
    routes: dict[str, str] = {}

    def walk(resolver: URLResolver, namespace: str, prefix: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace
                if inner == "admin":
                    continue
                inner_namespace = f"{namespace}{inner}:" if inner else namespace
                walk(entry, inner_namespace, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern) and entry.name:
                routes.setdefault(f"{namespace}{entry.name}", prefix + str(entry.pattern))

    walk(get_resolver(), "", "")
    return routes


def url_names() -> set[str]:
    return set(url_routes())


# Every page a GET can open -------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """Who opens a page, and the rows its address names."""

    persona: str
    kwargs: Callable[[World], dict[str, Any]] = no_kwargs


def _session(world: World) -> dict[str, Any]:
    return {"slug": world.session.slug}


def _guest_token(world: World) -> dict[str, Any]:
    return {"token": world.guest_rsvp.token}


def _own_post(world: World) -> dict[str, Any]:
    return {"code": world.own_question.code}


def _own_reply(world: World) -> dict[str, Any]:
    return {"code": world.others_post.code, "reply_id": world.own_reply.pk}


def _question_pattern(world: World) -> dict[str, Any]:
    return {"slug": world.pattern("question").slug}


# Every named URL that answers a GET, by name. URLs that only take a POST (the buttons)
# are not here: their forms are in the apps' FORMS lists.
PAGES: dict[str, Page] = {
    # Site
    "home": Page("visitor"),
    "about": Page("visitor"),
    "unsubscribe": Page("visitor", lambda world: {"token": world.unsubscribe_token}),
    # Accounts (allauth)
    "account_login": Page("visitor"),
    "account_signup": Page("visitor"),
    "account_inactive": Page("visitor"),
    "account_reset_password": Page("visitor"),
    "account_reset_password_done": Page("visitor"),
    "account_reset_password_from_key": Page(
        "visitor", lambda world: {"uidb36": "1", "key": "not-a-real-key"}
    ),
    "account_reset_password_from_key_done": Page("visitor"),
    "account_request_login_code": Page("visitor"),
    "account_confirm_login_code": Page("visitor"),
    "account_email_verification_sent": Page("visitor"),
    "account_confirm_email": Page("visitor", lambda world: {"key": "not-a-real-key"}),
    "account_email": Page("member"),
    "account_change_password": Page("member"),
    "account_set_password": Page("member"),
    "account_reauthenticate": Page("member"),
    "account_request_reauthentication_code": Page("member"),
    "account_confirm_reauthentication_code": Page("member"),
    "account_logout": Page("member"),
    # Sessions: everyone
    "sessions:session-list": Page("visitor"),
    "sessions:session-past": Page("visitor"),
    "sessions:calendar": Page("visitor"),
    "sessions:calendar-month": Page("visitor", lambda world: {"year": 2026, "month": 12}),
    "sessions:feed-ics": Page("visitor"),
    "sessions:feed-atom": Page("visitor"),
    "sessions:personal-feed": Page("visitor", lambda world: {"key": world.feed_key}),
    "sessions:session-detail": Page("visitor", _session),
    "sessions:session-ics": Page("visitor", _session),
    "sessions:rsvp-sent": Page("visitor", _session),
    "sessions:accessibility": Page("visitor"),
    "sessions:rsvp-manage": Page("visitor", _guest_token),
    "sessions:guest-calendar": Page("visitor", _guest_token),
    "sessions:self-check-in": Page(
        "visitor", lambda world: {"slug": world.session.slug, "code": world.check_in_code}
    ),
    "sessions:self-check-in-thanks": Page(
        "visitor", lambda world: {"slug": world.session.slug, "code": world.check_in_code}
    ),
    # Sessions: members
    "sessions:my-rsvps": Page("member"),
    "sessions:my-calendar": Page("member"),
    # Sessions: organizers
    "sessions:session-attendees": Page("organizer", _session),
    "sessions:session-attendees-csv": Page("organizer", _session),
    "sessions:session-attendees-xlsx": Page("organizer", _session),
    "sessions:session-check-in": Page("organizer", _session),
    "sessions:statistics": Page("organizer"),
    "sessions:statistics-summary": Page("organizer"),
    "sessions:session-edit": Page("organizer", _session),
    "sessions:session-cancel": Page("organizer", _session),
    "sessions:session-message": Page("organizer", _session),
    "sessions:organize-sessions": Page("organizer"),
    "sessions:session-create": Page("organizer"),
    "sessions:series-list": Page("organizer"),
    "sessions:series-create": Page("organizer"),
    "sessions:series-edit": Page("organizer", lambda world: {"slug": world.series.slug}),
    "sessions:series-preview": Page("organizer", lambda world: {"slug": world.series.slug}),
    "sessions:venue-list": Page("organizer"),
    "sessions:venue-create": Page("organizer"),
    "sessions:venue-edit": Page("organizer", lambda world: {"slug": world.venue.slug}),
    # Members
    "members:dashboard": Page("member"),
    "members:welcome": Page("member"),
    "members:account": Page("member"),
    "members:export": Page("member"),
    "members:delete": Page("member"),
    "members:preferences": Page("member"),
    "members:profile-edit": Page("member"),
    "members:directory": Page("member"),
    "members:who-knows-what": Page("member"),
    "members:gaps": Page("member"),
    "members:profile-detail": Page("member", lambda world: {"code": world.profile.code}),
    "members:organize-members": Page("organizer"),
    "members:organize-members-csv": Page("organizer"),
    "mail:outbox": Page("organizer"),
    # Library
    "library:home": Page("visitor"),
    "library:pattern-detail": Page("visitor", _question_pattern),
    "library:search": Page("visitor"),
    "library:tag-list": Page("visitor"),
    "library:tag-detail": Page(
        "visitor", lambda world: {"slug": world.own_question.tags.get().slug}
    ),
    "library:post-detail": Page("visitor", _own_post),
    "library:attachment-download": Page("visitor", lambda world: {"code": world.attachment.code}),
    "library:ask": Page("member"),
    "library:post-create": Page("member", lambda world: {"slug": world.pattern("discussion").slug}),
    "library:post-edit": Page("member", _own_post),
    "library:post-delete": Page("member", _own_post),
    "library:post-report": Page("member", lambda world: {"code": world.others_post.code}),
    "library:reply-edit": Page("member", _own_reply),
    "library:reply-delete": Page("member", _own_reply),
    "library:reply-report": Page("member", _own_reply),
    "library:reports": Page("organizer"),
    "library:pattern-edit": Page("organizer", _question_pattern),
    "library:session-focus": Page("organizer", lambda world: {"session_slug": world.session.slug}),
}
