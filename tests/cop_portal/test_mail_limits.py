"""Limits on outgoing mail (cop_portal.mail.limits): exact, also for forty requests at once.

The suite's cache is the database, so most tests count in `SendCounter` rows; the Redis
tests at the end switch the default cache to Redis (skipped without Redis, except under
CI, where a missing Redis fails). The threaded tests run on SQLite and on PostgreSQL
(DATABASE_URL=postgres://…), each thread with its own connection.
"""

import uuid
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.test import RequestFactory
from django.utils import timezone

from cop_portal.mail import limits
from cop_portal.mail.checks import check_mail_rates
from cop_portal.mail.models import SendCounter
from tests.concurrency import at_once
from tests.factories import make_user
from tests.redis_server import REDIS_URL, redis_or_skip

THREADS = 40
# One address, as its owner or someone else might type it: letter case, spaces, the
# Kelvin sign (U+212A) for the K, and full-width letters.
SPELLINGS = [
    "kate@example.org",
    "Kate@Example.org",
    " KATE@EXAMPLE.ORG ",
    "\u212aate@example.org",
    "\uff4b\uff41\uff54\uff45@example.org",
]


# Rates


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        ("20/h", (20, 3600)),
        ("5/m", (5, 60)),
        ("30/d", (30, 86400)),
        ("3/10m", (3, 600)),
        (" 2 / s ", (2, 1)),
        ("0/h", (0, 3600)),
    ],
)
def test_parse_rate_reads_count_and_period(rate, expected):
    assert limits.parse_rate(rate) == expected


@pytest.mark.parametrize("rate", ["", "20", "20/hour", "x/h", "-1/h", "5/0m", "5/h,2/m"])
def test_parse_rate_refuses_anything_else(rate):
    with pytest.raises(ValueError, match=r"count/period|period of zero"):
        limits.parse_rate(rate)


def test_check_names_a_bad_rate_setting(settings):
    settings.MAIL_RATE_PER_SENDER = "lots"

    errors = check_mail_rates()

    assert [(error.id, error.msg.split(":")[0]) for error in errors] == [
        ("mail.E001", "MAIL_RATE_PER_SENDER")
    ]


def test_check_passes_the_default_settings():
    assert check_mail_rates() == []


# Counting in the database


@pytest.mark.django_db
def test_hit_allows_the_limit_then_refuses():
    answers = [limits.hit("test:one", limit=3, period=60) for _ in range(5)]

    assert answers == [True, True, True, False, False]
    assert SendCounter.objects.get(key="test:one").count == 5


@pytest.mark.django_db
def test_hit_with_a_zero_limit_allows_nothing():
    assert limits.hit("test:zero", limit=0, period=60) is False


@pytest.mark.django_db
def test_hit_starts_a_new_window_once_the_period_is_over():
    for _ in range(3):
        limits.hit("test:window", limit=2, period=60)
    SendCounter.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    allowed = limits.hit("test:window", limit=2, period=60)

    counter = SendCounter.objects.get(key="test:window")
    assert allowed is True
    assert counter.count == 1
    assert counter.expires_at > timezone.now() + timedelta(seconds=55)


@pytest.mark.django_db
def test_window_starts_with_its_first_hit_and_keeps_its_end():
    limits.hit("test:end", limit=5, period=600)
    first_end = SendCounter.objects.get().expires_at

    limits.hit("test:end", limit=5, period=600)

    assert SendCounter.objects.get().expires_at == first_end


@pytest.mark.django_db
def test_a_batch_is_counted_in_one_statement(django_assert_num_queries):
    addresses = [f"member{n}@example.org" for n in range(10)]

    with django_assert_num_queries(1):
        allowed = limits.recipients_allowed(addresses)

    assert allowed == set(addresses)
    assert SendCounter.objects.count() == 10


@pytest.mark.django_db
def test_a_batch_leaves_out_the_addresses_past_their_limit(settings, caplog):
    settings.MAIL_RATE_PER_RECIPIENT = "1/h"
    limits.recipient_allowed("full@example.org")

    allowed = limits.recipients_allowed(["full@example.org", "free@example.org"], what="news")

    assert allowed == {"free@example.org"}
    assert "Not sending news to address" in caplog.text
    assert "full@example.org" not in caplog.text


@pytest.mark.django_db
def test_counters_hold_no_address_or_ip():
    limits.recipient_allowed("kate@example.org")
    limits.sender_allowed(RequestFactory().post("/", REMOTE_ADDR="203.0.113.9"), "report")

    keys = list(SendCounter.objects.values_list("key", flat=True))

    assert len(keys) == 2
    assert not any("kate" in key or "203.0.113" in key for key in keys)


@pytest.mark.django_db
def test_counting_a_sender_deletes_ended_windows():
    now = timezone.now()
    SendCounter.objects.create(key="test:ended", count=4, expires_at=now - timedelta(minutes=1))
    SendCounter.objects.create(key="test:current", count=4, expires_at=now + timedelta(hours=1))

    limits.sender_allowed(RequestFactory().post("/"), "report")

    keys = set(SendCounter.objects.values_list("key", flat=True))
    assert "test:ended" not in keys
    assert "test:current" in keys
    assert len(keys) == 2  # and the sender's own


# Per recipient


@pytest.mark.django_db
def test_recipient_allowed_counts_every_spelling_of_one_address_as_one(settings):
    settings.MAIL_RATE_PER_RECIPIENT = "4/h"

    answers = [limits.recipient_allowed(spelling) for spelling in SPELLINGS]

    assert answers == [True, True, True, True, False]
    assert limits.recipient_allowed("kathy@example.org") is True


@pytest.mark.django_db
def test_recipient_budgets_are_counted_apart(settings):
    settings.MAIL_RATE_PER_RECIPIENT = "2/h"
    settings.MAIL_RATE_PER_RECIPIENT_NOTICES = "2/h"
    for _ in range(3):
        limits.recipient_allowed("kate@example.org")

    notice = limits.recipient_allowed("kate@example.org", budget=limits.Budget.NOTICES)

    assert notice is True


@pytest.mark.django_db
def test_recipient_over_the_limit_is_logged_without_the_address(settings, caplog):
    settings.MAIL_RATE_PER_RECIPIENT = "1/h"
    limits.recipient_allowed("kate@example.org")

    allowed = limits.recipient_allowed("kate@example.org", what="rsvp_confirmed for RSVP 7")

    assert allowed is False
    [record] = [r for r in caplog.records if r.name == "cop_portal.mail"]
    assert record.levelname == "WARNING"
    assert record.getMessage().startswith("Not sending rsvp_confirmed for RSVP 7 to address ")
    assert "MAIL_RATE_PER_RECIPIENT" in record.getMessage()
    assert "kate" not in record.getMessage()


# Per sender


@pytest.mark.django_db
def test_sender_is_the_member_when_signed_in_else_the_ip():
    member = make_user()
    signed_in = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    signed_in.user = member
    visitor = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")

    assert limits.sender(signed_in) == f"member:{member.pk}"
    assert limits.sender(visitor) == "ip:203.0.113.9"


def test_sender_ip_follows_ratelimit_ip_meta_key(settings):
    """Behind a proxy, the address comes from the header django-ratelimit is told to
    read, and an IPv6 address counts by its /64 as django-ratelimit does."""
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="2001:db8::1")

    assert limits.sender(request) == "ip:2001:db8::"


@pytest.mark.django_db
def test_sender_allowed_counts_each_action_and_each_sender_apart(settings):
    settings.MAIL_RATE_PER_SENDER = "2/h"
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    other = RequestFactory().post("/", REMOTE_ADDR="203.0.113.10")

    reports = [limits.sender_allowed(request, "report") for _ in range(3)]

    assert reports == [True, True, False]
    assert limits.sender_allowed(request, "reply") is True
    assert limits.sender_allowed(other, "report") is True
    assert limits.sender_allowed(request, "report", rate="5/h") is True


@pytest.mark.django_db
def test_address_allowed_counts_spellings_as_one():
    answers = [limits.address_allowed("rsvp", spelling, rate="3/h") for spelling in SPELLINGS]

    assert answers == [True, True, True, False, False]


@pytest.mark.django_db
# Forty at once


@pytest.mark.django_db(transaction=True)
def test_forty_recipient_checks_at_once_allow_exactly_the_limit(settings):
    settings.MAIL_RATE_PER_RECIPIENT = "7/h"
    spellings = [SPELLINGS[n % len(SPELLINGS)] for n in range(THREADS)]

    results, errors = at_once(
        [lambda spelling=spelling: limits.recipient_allowed(spelling) for spelling in spellings]
    )

    assert errors == []
    assert results.count(True) == 7
    assert results.count(False) == THREADS - 7
    assert SendCounter.objects.get().count == THREADS


@pytest.mark.django_db(transaction=True)
def test_forty_batches_at_once_count_every_address_exactly(settings):
    """Batches (announcements, reply emails) overlapping on their addresses, listed in
    different orders: each address passes exactly its limit, and nobody deadlocks."""
    settings.MAIL_RATE_PER_RECIPIENT = "9/h"
    addresses = [f"member{n}@example.org" for n in range(5)]

    def batch(n: int) -> set[str]:
        ordered = addresses[n % 5 :] + addresses[: n % 5]
        return limits.recipients_allowed(reversed(ordered) if n % 2 else ordered)

    results, errors = at_once([lambda n=n: batch(n) for n in range(THREADS)])

    assert errors == []
    for address in addresses:
        assert sum(address in allowed for allowed in results) == 9


# Redis


@pytest.fixture
def redis_cache(settings):
    """The default cache on Redis, under a prefix of this test's own."""
    redis_or_skip()
    import redis

    prefix = f"test-mail-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        },
    }
    client = redis.Redis.from_url(REDIS_URL)
    yield client, prefix
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.mark.django_db
def test_redis_counts_in_redis_with_the_window_as_expiry(redis_cache):
    client, prefix = redis_cache

    answers = [limits.hit("test:redis", limit=2, period=60) for _ in range(3)]

    [key] = list(client.scan_iter(f"{prefix}:*"))
    assert answers == [True, True, False]
    assert SendCounter.objects.count() == 0
    assert int(client.get(key)) == 3
    assert 55 <= client.ttl(key) <= 60


@pytest.mark.django_db
def test_redis_window_starts_again_after_its_period(redis_cache):
    client, prefix = redis_cache
    limits.hit("test:short", limit=1, period=60)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)  # as Redis does when the window's expiry comes

    assert limits.hit("test:short", limit=1, period=60) is True


@pytest.mark.django_db
def test_redis_batch_counts_each_address(redis_cache, settings):
    settings.MAIL_RATE_PER_RECIPIENT = "1/h"
    limits.recipient_allowed("kate@example.org")

    allowed = limits.recipients_allowed(["KATE@example.org", "sam@example.org"])

    assert allowed == {"sam@example.org"}


@pytest.mark.django_db(transaction=True)
def test_redis_forty_at_once_allow_exactly_the_limit(redis_cache, settings):
    settings.MAIL_RATE_PER_RECIPIENT = "7/h"
    spellings = [SPELLINGS[n % len(SPELLINGS)] for n in range(THREADS)]

    results, errors = at_once(
        [lambda spelling=spelling: limits.recipient_allowed(spelling) for spelling in spellings]
    )

    assert errors == []
    assert results.count(True) == 7
    assert SendCounter.objects.count() == 0
    assert caches["default"].__class__.__name__ == "RedisCache"
