"""Rate limits on outgoing mail, counted atomically in Redis or in the database.

Every path that emails someone asks here first, so that nobody can make the portal send
unlimited mail, whether by one request repeated or by forty sent at once:

- per recipient (`recipient_allowed`, `recipients_allowed` for a batch), once per
  message, just before it is sent: the last line, which holds whoever or whatever
  asked for the message. Over the limit the message is dropped and logged;
- per sender (`sender_allowed`), in the views whose action sends mail: one member
  (signed in) or one IP address (not signed in) may do that action so often, and a
  request over the limit gets a 429 before anything is saved;
- per typed address (`address_allowed`), for forms where a visitor names the address
  that mail goes to (guest RSVPs);

The counters are fixed windows that start with their first hit, and every hit is one
atomic step, so that of any number of simultaneous requests exactly `limit` pass:

- with Redis (the default cache is Django's RedisCache when REDIS_URL is set): one
  MULTI of `SET key 0 EX period NX` and `INCR key`;
- otherwise one `SendCounter` row per key, counted by a single INSERT … ON CONFLICT DO
  UPDATE … RETURNING statement (PostgreSQL, and SQLite 3.35+), which the database runs
  one at a time per row: PostgreSQL locks the row for the update; SQLite takes its
  write lock before the statement reads anything. A window that has ended starts again
  in the same statement. (The ORM has no upsert with an expression, hence the SQL.)

django-ratelimit's and allauth's counters on the database cache read and then write in
two steps, so requests that overlap can read the same count and all pass.

Keys hold a SHA-256 digest of the address or sender, never the address itself. Rates
are written as django-ratelimit's "count/period": "20/h", "5/m", "3/10m", "30/d"; "0/h"
sends nothing, and there is no "unlimited".
"""

import enum
import hashlib
import logging
import re
from collections.abc import Iterable
from datetime import timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from django_ratelimit.core import _get_ip

from cop_portal.lib.addresses import canonical_email
from cop_portal.mail.models import SendCounter

logger = logging.getLogger("cop_portal.mail")

PERIODS = {"s": 1, "m": 60, "h": 60 * 60, "d": 24 * 60 * 60}
RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
KEY_MAX_LENGTH = SendCounter._meta.get_field("key").max_length


class Rate(NamedTuple):
    limit: int
    period: int  # seconds


class Budget(enum.StrEnum):
    """The two per-recipient budgets (see `recipient_allowed`)."""

    # Mail that someone's action on the site asked for: RSVP confirmations and changes,
    # private links, sign-up, log-in codes, password resets, replies, visit requests.
    # Anyone can trigger these, by typing an address or by acting where it is followed.
    REQUESTED = "requested"
    # News from organizers: a session changed or cancelled, a place opened up, new
    # sessions announced, messages. Only organizers (or one promotion per RSVP) cause
    # these, so they have a budget of their own that a flood of the first kind can't
    # use up: nobody misses "tonight's session is cancelled" because of it.
    NOTICES = "notices"


RECIPIENT_RATE_SETTINGS = {
    Budget.REQUESTED: "MAIL_RATE_PER_RECIPIENT",
    Budget.NOTICES: "MAIL_RATE_PER_RECIPIENT_NOTICES",
}


def parse_rate(rate: str) -> Rate:
    """ "count/period" → Rate. The period is s, m, h or d, optionally with a multiple
    ("3/10m": three per ten minutes). Raises ValueError for anything else."""
    match = RATE_RE.match(rate or "")
    if match is None:
        raise ValueError(
            f'{rate!r} is not a rate: write "count/period", such as "20/h", "5/m" or "3/10m".'
        )
    count, multiple, unit = match.groups()
    period = PERIODS[unit] * int(multiple or 1)
    if period == 0:
        raise ValueError(f"{rate!r} has a period of zero.")
    return Rate(int(count), period)


def hit(key: str, *, limit: int, period: int) -> bool:
    """Count one hit on `key` in its current window of `period` seconds; True when it is
    within the first `limit` hits of that window (and so allowed). Atomic: of any number
    of simultaneous callers, exactly `limit` per window get True."""
    return hit_many([key], limit=limit, period=period)[key]


def hit_many(keys: Iterable[str], *, limit: int, period: int) -> dict[str, bool]:
    """`hit` for several keys in one step (one statement, or one Redis round trip);
    each key is counted once however often it is listed."""
    unique = sorted(set(keys))  # one order for everyone: no deadlock between batches
    if not unique:
        return {}
    stored = {key: _storable(key) for key in unique}
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        counts = _count_redis(cache, list(stored.values()), period=period)
    else:
        counts = _count_database(list(stored.values()), period=period)
    return {key: counts[stored[key]] <= limit for key in unique}


def allowed(key: str, rate: str) -> bool:
    """`hit` with a "count/period" rate."""
    limit, period = parse_rate(rate)
    return hit(key, limit=limit, period=period)


def recipient_allowed(
    email: str, *, what: str = "an email", budget: Budget = Budget.REQUESTED
) -> bool:
    """Count one message to this address; False (and a log line) when it must not go.

    Call it once per message, at the moment the message is sent or queued, after every
    other reason not to send (preferences, "still applies"), so that only mail that
    would really go is counted. The address is compared in canonical form: "Kate@X",
    "kate@x", its full-width letters and a Kelvin sign for the K share one count.
    `what` names the message in the log ("rsvp_confirmed for RSVP 12"). A message over
    the limit is dropped, never raised: the caller's action has already happened.
    """
    return email in recipients_allowed([email], what=what, budget=budget)


def recipients_allowed(
    emails: Iterable[str], *, what: str = "an email", budget: Budget = Budget.REQUESTED
) -> set[str]:
    """`recipient_allowed` for a batch of messages, one per address, counted in one
    step: the addresses (as given) whose message may go. Two spellings of one address
    in the same batch count once (a batch lists distinct people)."""
    setting = RECIPIENT_RATE_SETTINGS[budget]
    rate = parse_rate(getattr(settings, setting))
    keys = {email: f"mail:to:{budget}:{_digest(canonical_email(email))}" for email in emails}
    counted = hit_many(keys.values(), limit=rate.limit, period=rate.period)
    held_back = [key for key, ok in counted.items() if not ok]
    for key in held_back:
        logger.warning(
            "Not sending %s to address %s: it has had its %s emails (%s).",
            what,
            key.rsplit(":", 1)[1][:12],
            getattr(settings, setting),
            setting,
        )
    return {email for email, key in keys.items() if counted[key]}


def sender(request: HttpRequest) -> str:
    """Who is asking: "member:<id>" when signed in, else "ip:<address>", read the way
    django-ratelimit reads it (RATELIMIT_IP_META_KEY behind a proxy; IPv6 by /64)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"member:{user.pk}"
    return f"ip:{_get_ip(request)}"


def sender_allowed(request: HttpRequest, action: str, *, rate: str | None = None) -> bool:
    """Count one `action` (a short name: "reply", "visit-request", "report",
    "rsvp-create", "rsvp-change", "account") by whoever sent this request; False when
    they have done it `rate` times in its window (default MAIL_RATE_PER_SENDER). Each
    action has its own count. Call it before anything is saved and answer 429.

    Also deletes the database counters whose window has ended (one indexed DELETE):
    senders act at a person's pace, so this keeps the table small without a cron job.
    """
    rate = rate or settings.MAIL_RATE_PER_SENDER
    who = sender(request)
    ok = allowed(f"mail:from:{action}:{_digest(who)}", rate)
    if not isinstance(caches["default"], RedisCache):
        SendCounter.objects.filter(expires_at__lt=timezone.now()).delete()
    if not ok:
        logger.warning("Refused %s from %s: over %s.", action, _masked(who), rate)
    return ok


def address_allowed(action: str, email: str, *, rate: str) -> bool:
    """Count one `action` naming this address (in canonical form), whoever asks; False
    past `rate`. For forms where a visitor types the address mail goes to."""
    if allowed(f"mail:address:{action}:{_digest(canonical_email(email))}", rate):
        return True
    logger.warning("Refused %s for one address: over %s.", action, rate)
    return False


# Counting


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:40]


def _masked(who: str) -> str:
    """A sender for the log: a member's id is fine; an IP address only as a digest."""
    return who if who.startswith("member:") else f"ip {_digest(who)[:12]}"


def _storable(key: str) -> str:
    """Keys as both stores take them: short, ASCII, no spaces (memcached-safe, which
    Django's cache key validation checks); longer or stranger keys become a digest."""
    if len(key) <= KEY_MAX_LENGTH and key.isascii() and key.isprintable() and " " not in key:
        return key
    return f"mail:key:{hashlib.sha256(key.encode()).hexdigest()}"


def _count_redis(cache: Any, keys: list[str], *, period: int) -> dict[str, int]:
    """Each key's count in its window after this hit."""
    full_keys = [cache.make_and_validate_key(key) for key in keys]
    client = cache._cache.get_client(full_keys[0], write=True)
    # One MULTI: the window's expiry is set by whoever creates the key, in the same
    # step, so no key ever lives on without one (INCR keeps the existing TTL).
    pipe = client.pipeline(transaction=True)
    for full_key in full_keys:
        pipe.set(full_key, 0, ex=period, nx=True)
        pipe.incr(full_key)
    answers = pipe.execute()
    return dict(zip(keys, answers[1::2], strict=True))


def _count_database(keys: list[str], *, period: int) -> dict[str, int]:
    """Each key's count in its window after this hit: one statement, so atomic without
    a transaction of its own (inside the caller's, rows stay locked until it ends)."""
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    table = connection.ops.quote_name(SendCounter._meta.db_table)
    key, count, expires_at = (
        connection.ops.quote_name(SendCounter._meta.get_field(name).column)
        for name in ("key", "count", "expires_at")
    )
    rows = ", ".join(["(%s, 1, %s)"] * len(keys))
    # Only names from the model and placeholders go into the text; values are parameters.
    sql = (
        f"INSERT INTO {table} ({key}, {count}, {expires_at}) VALUES {rows} "  # noqa: S608
        f"ON CONFLICT ({key}) DO UPDATE SET "
        f"{count} = CASE WHEN {table}.{expires_at} <= %s THEN 1 "
        f"ELSE {table}.{count} + 1 END, "
        f"{expires_at} = CASE WHEN {table}.{expires_at} <= %s THEN excluded.{expires_at} "
        f"ELSE {table}.{expires_at} END "
        f"RETURNING {key}, {count}"
    )
    ends = adapt(now + timedelta(seconds=period))
    params: list[Any] = [value for stored in keys for value in (stored, ends)]
    params += [adapt(now), adapt(now)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())
