"""The pages around calendar feeds: subscribe blocks on the lists, the personal feed's
page for members and guests, "Add to calendar" on session pages, the dashboard section."""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import AttendanceMode, FeedToken, SessionStatus
from sessions_app.services.feed_tokens import feed_token_for_member, feed_token_note_fetch
from sessions_app.services.rsvps import Guest, rsvp_create
from tests.clock import local
from tests.factories import make_session, make_venue
from tests.outbox import SITE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_url")]

MY_CALENDAR = "/my/calendar/"


def _body(response) -> str:
    """The page as people read it: entities such as &amp; and &#x27; turned back."""
    return unescape(response.content.decode())


def _text(body: str) -> str:
    """The words on the page, tags dropped and white space squeezed (timesince's
    no-break spaces too)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", body))


def _section(body: str, heading_id: str) -> str:
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}">(.*?)</section>', body, re.S)
    assert match, heading_id
    return match.group(1)


def _href(body: str, text: str) -> str:
    """The address of the one link whose text is `text`."""
    hrefs = re.findall(rf'<a [^>]*href="([^"]+)"[^>]*>{re.escape(text)}</a>', body)
    assert len(hrefs) == 1, (text, hrefs)
    return hrefs[0]


def _subscribe(body: str) -> dict[str, str]:
    """The subscribe block's three forms of the feed address."""
    block = _section(body, "subscribe-title")
    field = re.search(r'<input type="text" id="feed-url"[^>]* value="([^"]+)"', block)
    assert field
    return {
        "url": field.group(1),
        "webcal": _href(block, "Subscribe in your calendar app"),
        "google": _href(block, "Add to Google Calendar"),
    }


def _google_cid(url: str) -> str:
    return "https://calendar.google.com/calendar/render?cid=" + quote(
        url.replace("https://", "webcal://", 1), safe=""
    )


def _guest_rsvp(email: str = "ana.guest@example.org", **session_fields):
    session = make_session(**session_fields)
    rsvp, _created = rsvp_create(
        session=session, attend_as="in-person", guest=Guest("Ana Guest", email)
    )
    return rsvp


# The member's feed page ---------------------------------------------------------


def test_my_calendar_sends_visitors_to_log_in(client):
    response = client.get(MY_CALENDAR)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={MY_CALENDAR}"
    assert FeedToken.objects.count() == 0


def test_my_calendar_makes_one_address_and_keeps_it(member_client, member):
    first = _body(member_client.get(MY_CALENDAR))
    second = _body(member_client.get(MY_CALENDAR))

    token = FeedToken.objects.get()
    assert token.user == member
    assert FeedToken.objects.count() == 1
    assert _subscribe(first) == _subscribe(second)


def test_my_calendar_shows_the_private_address_three_ways(member_client, member):
    body = _body(member_client.get(MY_CALENDAR))

    key = FeedToken.objects.get(user=member).key
    feed = _subscribe(body)
    assert feed["url"] == f"{SITE}/calendar/{key}.ics"
    assert feed["webcal"] == f"webcal://cop.example.org/calendar/{key}.ics"
    assert feed["google"] == _google_cid(feed["url"])
    text = _text(body)
    assert "Your calendar feed" in text
    assert "Keep this address private. Anyone who has it can see the sessions you RSVP'd to" in (
        text
    )


def test_my_calendar_copy_button_waits_for_javascript(member_client):
    body = _body(member_client.get(MY_CALENDAR))

    button = re.search(r"<button [^>]*data-copy=\"feed-url\"[^>]*>", body)
    assert button
    assert " hidden" in button.group(0)
    assert '<p class="copy-field__status" id="feed-url-status" aria-live="polite"></p>' in body


def test_my_calendar_says_no_app_has_used_the_address_yet(member_client):
    text = _text(_body(member_client.get(MY_CALENDAR)))

    assert "No calendar app has used this address yet." in text
    assert "last checked" not in text


def test_my_calendar_says_when_and_which_app_last_checked(member_client, member):
    token = feed_token_for_member(user=member)
    feed_token_note_fetch(
        token=token,
        user_agent="Google-Calendar-Importer",
        now=timezone.now() - timedelta(hours=3),
    )

    text = _text(_body(member_client.get(MY_CALENDAR)))

    assert "Your calendar app last checked this feed 3 hours ago (Google Calendar)." in text
    assert "No calendar app has used this address yet." not in text


def test_my_calendar_leaves_out_the_app_when_it_did_not_say(member_client, member):
    token = feed_token_for_member(user=member)
    fetched = timezone.now() - timedelta(minutes=5, seconds=10)
    feed_token_note_fetch(token=token, user_agent="curl/8.0", now=fetched)

    text = _text(_body(member_client.get(MY_CALENDAR)))

    assert "Your calendar app last checked this feed 5 minutes ago." in text


def test_my_calendar_explains_each_calendar_app(member_client):
    help_text = _text(_section(_body(member_client.get(MY_CALENDAR)), "feed-help-title"))

    for words in [
        "Google Calendar",
        "Other calendars",
        "From URL",
        "every several hours",
        "File → New Calendar Subscription",
        "Add Subscribed Calendar",
        "Every hour",
        "Subscribe from web",
        "Thunderbird",
        "On the Network",
    ]:
        assert words in help_text


def test_options_show_every_session_and_back(member_client, member):
    url = reverse("sessions:my-calendar-options")

    response = member_client.post(url, {"include_all": "on"}, follow=True)

    assert FeedToken.objects.get(user=member).include_all is True
    text = _text(_body(response))
    assert "Your feed now shows every session." in text
    assert "Right now: every session" in text

    response = member_client.post(url, {}, follow=True)

    assert FeedToken.objects.get(user=member).include_all is False
    text = _text(_body(response))
    assert "Your feed now shows only the sessions you answered for." in text
    assert "Right now: only the sessions you RSVP'd to." in text


def test_options_need_a_signed_in_member(client):
    response = client.post(reverse("sessions:my-calendar-options"), {"include_all": "on"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert FeedToken.objects.count() == 0


def test_new_address_replaces_the_old_one_at_once(member_client, member, client):
    old_key = feed_token_for_member(user=member).key
    assert client.get(f"/calendar/{old_key}.ics").status_code == 200

    response = member_client.post(reverse("sessions:my-calendar-renew"), follow=True)

    new_key = FeedToken.objects.get(user=member).key
    assert new_key != old_key
    body = _body(response)
    assert "Your calendar feed has a new address. The old one has stopped working" in body
    assert _subscribe(body)["url"] == f"{SITE}/calendar/{new_key}.ics"
    assert client.get(f"/calendar/{old_key}.ics").status_code == 404
    fresh = client.get(f"/calendar/{new_key}.ics")
    assert fresh.status_code == 200
    assert fresh["Content-Type"] == "text/calendar; charset=utf-8"


def test_new_address_page_explains_what_happens(member_client):
    renew = _text(_section(_body(member_client.get(MY_CALENDAR)), "new-address-title"))

    assert "The old address stops working at once" in renew
    assert "Get a new address" in renew


def test_new_address_is_a_post(member_client, member):
    key = feed_token_for_member(user=member).key

    response = member_client.get(reverse("sessions:my-calendar-renew"))

    assert response.status_code == 405
    assert FeedToken.objects.get(user=member).key == key


def test_another_member_only_ever_reaches_their_own_feed(member, other_member):
    mine = feed_token_for_member(user=member)
    other = Client()
    other.force_login(other_member)

    body = _body(other.get(MY_CALENDAR))
    shown_key = FeedToken.objects.get(user=other_member).key
    other.post(reverse("sessions:my-calendar-renew"))
    other.post(reverse("sessions:my-calendar-options"), {"include_all": "on"})

    assert _subscribe(body)["url"] == f"{SITE}/calendar/{shown_key}.ics"
    assert mine.key not in body
    mine_now = FeedToken.objects.get(user=member)
    assert (mine_now.key, mine_now.include_all) == (mine.key, False)
    theirs = FeedToken.objects.get(user=other_member)
    assert (theirs.key != shown_key, theirs.include_all) == (True, True)


# A guest's feed page -------------------------------------------------------------


def test_guest_calendar_shows_the_guest_address_feed(client):
    rsvp = _guest_rsvp(email="Ana.Guest@Example.org")

    response = client.get(reverse("sessions:guest-calendar", kwargs={"token": rsvp.token}))

    token = FeedToken.objects.get(user=None)
    assert token.guest_email == "ana.guest@example.org"
    body = _body(response)
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    feed = _subscribe(body)
    assert feed["url"] == f"{SITE}/calendar/{token.key}.ics"
    assert feed["webcal"] == f"webcal://cop.example.org/calendar/{token.key}.ics"
    text = _text(body)
    assert "This feed is for the email address you used to RSVP as a guest" in text
    assert "No calendar app has used this address yet." in text
    assert "What your feed shows" not in text  # the every-session option is for members
    assert _href(body, "Your RSVP") == rsvp.get_absolute_url()


def test_guest_calendar_is_one_feed_per_guest_address(client):
    first = _guest_rsvp()
    second = _guest_rsvp()

    one = _subscribe(_body(client.get(reverse("sessions:guest-calendar", args=[first.token]))))
    two = _subscribe(_body(client.get(reverse("sessions:guest-calendar", args=[second.token]))))

    assert one == two
    assert FeedToken.objects.count() == 1


def test_guest_calendar_sends_a_members_rsvp_to_their_own_page(client, member):
    rsvp, _ = rsvp_create(session=make_session(), user=member, attend_as="in-person")

    response = client.get(reverse("sessions:guest-calendar", kwargs={"token": rsvp.token}))

    assert response.status_code == 302
    assert response["Location"] == MY_CALENDAR
    assert FeedToken.objects.count() == 0


def test_guest_calendar_with_an_unknown_token_is_not_found(client):
    _guest_rsvp()

    response = client.get(reverse("sessions:guest-calendar", kwargs={"token": "no-such-token"}))

    assert response.status_code == 404
    assert FeedToken.objects.count() == 0


def test_guest_new_address_replaces_the_old_one(client):
    rsvp = _guest_rsvp()
    page = reverse("sessions:guest-calendar", kwargs={"token": rsvp.token})
    client.get(page)
    old_key = FeedToken.objects.get().key

    response = client.post(
        reverse("sessions:guest-calendar-renew", kwargs={"token": rsvp.token}), follow=True
    )

    new_key = FeedToken.objects.get().key
    assert new_key != old_key
    assert response.redirect_chain == [(page, 302)]
    body = _body(response)
    assert "Your calendar feed has a new address." in body
    assert _subscribe(body)["url"] == f"{SITE}/calendar/{new_key}.ics"
    assert f'action="{reverse("sessions:guest-calendar-renew", args=[rsvp.token])}"' in body


def test_guest_new_address_leaves_members_alone(client, member):
    rsvp, _ = rsvp_create(session=make_session(), user=member, attend_as="in-person")
    key = feed_token_for_member(user=member).key

    response = client.post(reverse("sessions:guest-calendar-renew", args=[rsvp.token]))

    assert response.status_code == 302
    assert response["Location"] == MY_CALENDAR
    assert FeedToken.objects.get().key == key


def test_guest_new_address_with_an_unknown_token_is_not_found(client):
    response = client.post(reverse("sessions:guest-calendar-renew", args=["no-such-token"]))

    assert response.status_code == 404


# Links to the feed pages -------------------------------------------------------------


def test_guest_manage_page_links_to_the_guest_calendar(client):
    rsvp = _guest_rsvp()

    body = _body(client.get(rsvp.get_absolute_url()))

    calendar = _section(body, "rsvp-calendar-title")
    assert "Add it to your calendar" in body
    assert _href(calendar, "Subscribe to your calendar feed") == reverse(
        "sessions:guest-calendar", kwargs={"token": rsvp.token}
    )
    assert _href(calendar, 'Download .ics<span class="visually-hidden"> file</span>') == reverse(
        "sessions:session-ics", kwargs={"slug": rsvp.session.slug}
    )


def test_member_manage_page_links_to_my_calendar(member_client, member):
    rsvp, _ = rsvp_create(session=make_session(), user=member, attend_as="in-person")

    calendar = _section(_body(member_client.get(rsvp.get_absolute_url())), "rsvp-calendar-title")

    assert _href(calendar, "Subscribe to your calendar feed") == MY_CALENDAR
    assert "guest" not in calendar


def test_my_sessions_links_to_my_calendar(member_client):
    body = _body(member_client.get(reverse("sessions:my-rsvps")))

    assert _href(body, "Set up your calendar feed") == MY_CALENDAR


# Subscribe blocks on the list pages --------------------------------------------------


@pytest.mark.parametrize(
    "list_url",
    [
        reverse("sessions:session-list"),
        reverse("sessions:session-past"),
        reverse("sessions:calendar"),
        reverse("sessions:calendar-month", kwargs={"year": 2030, "month": 12}),
    ],
)
@pytest.mark.parametrize(
    ("query", "feed_query"),
    [
        ({}, ""),
        ({"time_of_day": "evening"}, "?time_of_day=evening"),
        (
            {"attendance_mode": "online", "format": "in-depth", "time_of_day": "daytime"},
            "?time_of_day=daytime&format=in-depth&attendance_mode=online",
        ),
    ],
)
def test_list_pages_subscribe_to_a_feed_with_their_filters(client, list_url, query, feed_query):
    response = client.get(list_url, query)

    assert response.status_code == 200
    body = _body(response)
    feed = _subscribe(body)
    url = f"{SITE}/sessions/feed.ics{feed_query}"
    assert feed == {
        "url": url,
        "webcal": f"webcal://cop.example.org/sessions/feed.ics{feed_query}",
        "google": _google_cid(url),
    }
    said = "this feed has the same filters as this page" in _text(body)
    assert said is bool(query)


def test_list_page_feed_leaves_out_a_filter_that_makes_no_sense(client):
    response = client.get(
        reverse("sessions:session-list"), {"format": "bogus", "time_of_day": "evening"}
    )

    assert response.status_code == 400
    assert _subscribe(_body(response))["url"] == f"{SITE}/sessions/feed.ics?time_of_day=evening"


def test_subscribe_block_points_members_to_their_own_feed(client, member_client):
    visitor = _text(
        _section(_body(client.get(reverse("sessions:session-list"))), "subscribe-title")
    )
    member = _section(_body(member_client.get(reverse("sessions:session-list"))), "subscribe-title")

    assert "This feed is public and has no meeting links." in visitor
    assert "Your own calendar feed" not in visitor
    assert _href(member, "Your own calendar feed") == MY_CALENDAR


def test_every_page_names_the_feeds_for_feed_readers(client):
    for page in ["/", reverse("about"), reverse("sessions:session-list")]:
        body = client.get(page).content.decode()

        assert (
            '<link rel="alternate" type="text/calendar" title="CoP Portal sessions (calendar)" '
            'href="/sessions/feed.ics">'
        ) in body
        assert (
            '<link rel="alternate" type="application/atom+xml" title="CoP Portal sessions (Atom)" '
            'href="/sessions/feed.atom">'
        ) in body


# Add to calendar on the session page -------------------------------------------------


def _calendar_links(client, session) -> dict[str, str]:
    block = _section(_body(client.get(session.get_absolute_url())), "add-to-calendar-title")
    return {
        "google": _href(block, "Google Calendar"),
        "outlook": _href(block, "Outlook.com"),
        "office": _href(block, "Outlook (Microsoft 365)"),
        "ics": _href(block, 'Download .ics<span class="visually-hidden"> file</span>'),
    }


def _query(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


@pytest.mark.parametrize(
    ("starts_at", "google_dates", "start_utc", "end_utc"),
    [
        # Winter: Cleveland is on EST, UTC-5.
        (
            local(2030, 12, 18, 18),
            "20301218T230000Z/20301219T000000Z",
            "2030-12-18T23:00:00Z",
            "2030-12-19T00:00:00Z",
        ),
        # Summer: EDT, UTC-4.
        (
            local(2030, 7, 17, 11, 30),
            "20300717T153000Z/20300717T163000Z",
            "2030-07-17T15:30:00Z",
            "2030-07-17T16:30:00Z",
        ),
    ],
)
def test_session_page_adds_to_calendar_apps_in_utc(
    client, starts_at, google_dates, start_utc, end_utc
):
    session = make_session(
        topic="Small grants for block clubs", starts_at=starts_at, venue=make_venue(name="Office")
    )

    links = _calendar_links(client, session)

    google = _query(links["google"])
    assert links["google"].startswith("https://calendar.google.com/calendar/render?")
    assert google["action"] == "TEMPLATE"
    assert google["text"] == "Small grants for block clubs"
    assert google["dates"] == google_dates
    assert google["location"] == f"Office, {session.venue.address}, Cleveland, OH 44103"
    for name, host in [("outlook", "outlook.live.com"), ("office", "outlook.office.com")]:
        url = urlsplit(links[name])
        outlook = _query(links[name])
        assert (url.scheme, url.netloc, url.path) == (
            "https",
            host,
            "/calendar/0/deeplink/compose",
        )
        assert outlook["subject"] == "Small grants for block clubs"
        assert (outlook["startdt"], outlook["enddt"]) == (start_utc, end_utc)


def test_session_page_calendar_links_never_carry_the_meeting_link(client, member):
    session = make_session(attendance_mode=AttendanceMode.ONLINE)
    rsvp_create(session=session, user=member, attend_as="online")
    client.force_login(member)

    body = _body(client.get(session.get_absolute_url()))

    block = _section(body, "add-to-calendar-title")
    assert "meet.example.org" not in block
    assert "passcode" not in block
    assert "meet.example.org/secret-room" in body  # while the page itself shows it


def test_session_page_external_calendar_links_open_without_opener(client):
    session = make_session()

    block = _section(_body(client.get(session.get_absolute_url())), "add-to-calendar-title")

    external = re.findall(r'<a [^>]*href="https://[^"]+"[^>]*>', block)
    assert len(external) == 3
    assert all('rel="noopener"' in link for link in external)


def test_session_page_ics_link_downloads_the_session(client):
    session = make_session(topic="Tenant rights basics")

    ics = _calendar_links(client, session)["ics"]
    response = client.get(ics)

    assert ics == f"/sessions/{session.slug}/calendar.ics"
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "SUMMARY:Tenant rights basics" in response.content.decode()


@pytest.mark.parametrize(
    "fields",
    [
        {"status": SessionStatus.CANCELLED, "cancellation_reason": "Snow."},
        {"starts_at": local(2020, 1, 15, 18)},
        {"status": SessionStatus.DRAFT},
    ],
    ids=["cancelled", "past", "draft"],
)
def test_session_page_offers_no_calendar_for_what_you_cannot_attend(organizer_client, fields):
    session = make_session(**fields)

    response = organizer_client.get(session.get_absolute_url())

    assert response.status_code == 200
    assert "Add to calendar" not in _text(_body(response))
    assert "calendar.google.com" not in response.content.decode()


# The member's dashboard ---------------------------------------------------------------


def test_dashboard_offers_to_set_up_a_feed_without_making_one(member_client):
    body = _body(member_client.get(reverse("members:dashboard")))

    section = _section(body, "dashboard-calendar")
    assert "Calendar feed" in body
    assert _href(section, "Set up your calendar feed") == MY_CALENDAR
    assert FeedToken.objects.count() == 0


def test_dashboard_says_no_app_has_checked_the_feed_yet(member_client, member):
    feed_token_for_member(user=member)

    section = _section(_body(member_client.get(reverse("members:dashboard"))), "dashboard-calendar")

    assert "No calendar app has used your feed's address yet." in _text(section)
    assert _href(section, "Calendar feed settings") == MY_CALENDAR


def test_dashboard_says_when_the_calendar_app_last_checked(member_client, member):
    token = feed_token_for_member(user=member)
    feed_token_note_fetch(
        token=token,
        user_agent="iOS/17.4 (21E219) dataaccessd/1.0",
        now=timezone.now() - timedelta(days=2),
    )

    section = _section(_body(member_client.get(reverse("members:dashboard"))), "dashboard-calendar")

    text = _text(section)
    assert "Your calendar app last checked your feed 2 days ago (Apple Calendar)." in text
    assert _href(section, "Calendar feed settings") == MY_CALENDAR


def test_dashboard_shows_only_the_members_own_feed(member_client, other_member):
    token = feed_token_for_member(user=other_member)
    feed_token_note_fetch(token=token, user_agent="Thunderbird/128", now=timezone.now())

    section = _section(_body(member_client.get(reverse("members:dashboard"))), "dashboard-calendar")

    assert "Set up your calendar feed" in section
    assert "Thunderbird" not in section


def test_dashboard_feed_section_costs_no_extra_query(member_client, member):
    with CaptureQueriesContext(connection) as without_feed:
        member_client.get(reverse("members:dashboard"))
    feed_token_for_member(user=member)

    with CaptureQueriesContext(connection) as with_feed:
        body = _body(member_client.get(reverse("members:dashboard")))

    assert "Calendar feed settings" in body
    assert len(with_feed) == len(without_feed)


# Queries: the feed pages read the token only, however many sessions people answered


@pytest.mark.parametrize("answered", [1, 30])
def test_my_calendar_queries_do_not_grow_with_rsvps(
    member_client, member, django_assert_max_num_queries, answered
):
    venue = make_venue()
    for day in range(answered):
        session = make_session(venue=venue, starts_at=timezone.now() + timedelta(days=day + 1))
        rsvp_create(session=session, user=member, attend_as="online")
    member_client.get(MY_CALENDAR)  # the token exists from here on

    with django_assert_max_num_queries(4):
        response = member_client.get(MY_CALENDAR)

    assert response.status_code == 200


@pytest.mark.parametrize("answered", [1, 30])
def test_guest_calendar_queries_do_not_grow_with_rsvps(
    client, django_assert_max_num_queries, answered
):
    venue = make_venue()
    rsvps = [
        rsvp_create(
            session=make_session(venue=venue, starts_at=timezone.now() + timedelta(days=day + 1)),
            guest=Guest("Gail Guest", "gail@example.org"),
            attend_as="online",
        )[0]
        for day in range(answered)
    ]
    url = reverse("sessions:guest-calendar", kwargs={"token": rsvps[0].token})
    client.get(url)

    with django_assert_max_num_queries(2):
        response = client.get(url)

    assert response.status_code == 200
