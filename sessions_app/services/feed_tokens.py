"""Personal calendar feed addresses: created on first use, replaced on request."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q

from cop_portal.lib.addresses import canonical_email
from sessions_app.models import FeedToken
from sessions_app.models.rsvp import new_token

# A calendar app polls every few hours; noting every poll would write on every 304.
FETCH_NOTE_EVERY = timedelta(minutes=10)


def feed_token_for_member(*, user: object) -> FeedToken:
    """The member's feed token, made the first time they ask for it.

    Side effects: may create the token row.
    """
    token, _created = FeedToken.objects.get_or_create(user=user)
    return token


def feed_token_for_guest(*, email: str) -> FeedToken:
    """The feed token of a guest address (any spelling of it), made the first time it
    is asked for. Callers must have proved the address: only a manage link sent to it.

    Side effects: may create the token row.
    """
    token, _created = FeedToken.objects.get_or_create(user=None, guest_email=canonical_email(email))
    return token


@transaction.atomic
def feed_token_regenerate(*, token: FeedToken) -> FeedToken:
    """Give the feed a new secret address; the old one answers 404 from now on.

    Side effects: the fetch history is cleared (no app knows the new address yet).
    """
    token.key = new_token()
    token.last_fetched_at = None
    token.last_fetched_by = ""
    token.save(update_fields=["key", "last_fetched_at", "last_fetched_by", "updated"])
    return token


def feed_token_set_include_all(*, token: FeedToken, include_all: bool) -> None:
    """Choose between only the sessions they answered for and every session.

    Side effects: the feed's ETag changes, so calendar apps fetch it again.
    """
    token.include_all = include_all
    token.save(update_fields=["include_all", "updated"])


def printable(text: str) -> str:
    """`text` without control characters (PostgreSQL refuses NUL in text; the page
    that shows the app's name has no use for the others)."""
    return "".join(char for char in text if char.isprintable())


def feed_token_note_fetch(*, token: FeedToken, user_agent: str, now: datetime) -> None:
    """Remember when (and by which app) the feed was last fetched, for its page.

    Side effects: one conditional UPDATE, at most every FETCH_NOTE_EVERY per token,
    so polling costs no write; `updated` is left alone, as the feed has not changed.
    """
    if token.last_fetched_at is not None and now - token.last_fetched_at < FETCH_NOTE_EVERY:
        return
    FeedToken.objects.filter(
        Q(last_fetched_at__isnull=True) | Q(last_fetched_at__lt=now - FETCH_NOTE_EVERY),
        pk=token.pk,
    ).update(last_fetched_at=now, last_fetched_by=printable(user_agent)[:200])


def feed_token_forget_guest(*, email: str) -> int:
    """The guest feed of an address whose RSVPs now belong to a member: its address
    stops working (404), as whoever created it may not be the member. Returns how many
    rows went (0 or 1).

    Side effects: deletes the guest token row.
    """
    deleted, _by_model = FeedToken.objects.filter(
        user__isnull=True, guest_email=canonical_email(email)
    ).delete()
    return deleted
