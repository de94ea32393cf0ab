"""Email preferences and one-click unsubscribe links, for every app that sends email.

Preferences are keyed by the lowercased address (members and guests alike), so a
lower app honours them without knowing about accounts. An unsubscribe link carries the
address's random key and the kind of email: the key is the authentication, so the
address never appears in a URL (nor in logs), and it never expires, because an email
from last year must still let its reader stop the next one. Links from before the keys
carried a signed (address, kind) pair; they keep working.
"""

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.validators import slug_re
from django.db import transaction
from django.db.models import Expression, F, QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy

from cop_portal.lib.addresses import canonical_email
from cop_portal.mail.models import DEFAULTS, EmailPreference, Preference

SALT = "cop_portal.unsubscribe"

# How the footer of an email names what its link stops ("Don't want …?").
STOP_WORDS = {
    Preference.ANNOUNCEMENTS: gettext_lazy("emails about newly published sessions"),
    Preference.REMINDERS: gettext_lazy("reminders the day before a session"),
    Preference.REPLIES: gettext_lazy("emails about replies to your posts and to posts you follow"),
    Preference.ORGANIZER_MESSAGES: gettext_lazy(
        "messages from organizers about sessions you're coming to"
    ),
}


class InvalidToken(ValueError):
    """An unsubscribe token that was tampered with, cut short or names no kind."""


def normalize(address: str) -> str:
    return canonical_email(address)


def wants_email(address: str, kind: str) -> bool:
    """Whether this address receives emails of this kind (one query)."""
    kind = Preference(kind)
    value = (
        EmailPreference.objects.filter(email=normalize(address))
        .values_list(kind.value, flat=True)
        .first()
    )
    return DEFAULTS[kind] if value is None else bool(value)


def preferences_for(address: str) -> dict[str, bool]:
    """Every kind's current setting for this address, defaults filled in (one query)."""
    row = EmailPreference.objects.filter(email=normalize(address)).first()
    return {kind.value: row.wants(kind) if row else DEFAULTS[kind] for kind in Preference}


@transaction.atomic
def set_preferences(address: str, choices: Mapping[str, bool]) -> EmailPreference:
    """Save some or all kinds for this address; kinds left out keep their value."""
    defaults = {Preference(kind).value: bool(value) for kind, value in choices.items()}
    preference, _ = EmailPreference.objects.update_or_create(
        email=normalize(address), defaults=defaults
    )
    return preference


@transaction.atomic
def email_preferences_move(*, old: str, new: str) -> None:
    """An address changed: its choices go with it, unless the new one has its own."""
    if normalize(old) == normalize(new):
        return
    if EmailPreference.objects.filter(email=normalize(new)).exists():
        return
    EmailPreference.objects.filter(email=normalize(old)).update(email=normalize(new))


def set_preference(address: str, kind: str, value: bool) -> EmailPreference:
    """Switch one kind of email on or off for this address."""
    return set_preferences(address, {kind: value})


def filter_wanting(
    queryset: QuerySet[Any], kind: str, *, address: str | Expression = "email"
) -> QuerySet[Any]:
    """Narrow `queryset` to rows whose address wants emails of this kind, in the same
    query. `address` is the field (or expression) that holds each row's address."""
    kind = Preference(kind)
    expression = F(address) if isinstance(address, str) else address
    rows = queryset.annotate(preference_address=Lower(expression))
    if DEFAULTS[kind]:  # on unless switched off
        switched_off = EmailPreference.objects.filter(**{kind.value: False}).values("email")
        return rows.exclude(preference_address__in=switched_off)
    switched_on = EmailPreference.objects.filter(**{kind.value: True}).values("email")
    return rows.filter(preference_address__in=switched_on)


# Keys looked up in bulk for a batch of emails (see `unsubscribe_keys_for`).
_batch_keys: ContextVar[Mapping[str, str] | None] = ContextVar("unsubscribe_keys", default=None)


@contextmanager
def unsubscribe_keys_for(addresses: Iterable[str]) -> Iterator[None]:
    """For a batch of emails: every address gets its key in two queries (rows with the
    defaults made where missing), and the links built inside the block use them."""
    wanted = {normalize(address) for address in addresses}
    EmailPreference.objects.bulk_create(
        [EmailPreference(email=address) for address in sorted(wanted)], ignore_conflicts=True
    )
    keys = dict(EmailPreference.objects.filter(email__in=wanted).values_list("email", "key"))
    reset = _batch_keys.set(keys)
    try:
        yield
    finally:
        _batch_keys.reset(reset)


def _key(address: str) -> str:
    batch = _batch_keys.get()
    if batch is not None and address in batch:
        return batch[address]
    preference, _ = EmailPreference.objects.get_or_create(email=address)
    return preference.key


def unsubscribe_token(address: str, kind: str) -> str:
    """`<key>.<kind>`: the address's random key (its preference row is made with the
    defaults if it has none yet) and the kind of email. It does not expire."""
    kind = Preference(kind)
    return f"{_key(normalize(address))}.{kind.value}"


def read_unsubscribe_token(token: str) -> tuple[str, Preference]:
    """The (address, kind) a token was made for; raises InvalidToken otherwise."""
    if ":" in token:
        return _read_signed_token(token)
    key, _dot, kind = token.rpartition(".")
    try:
        kind = Preference(kind)
    except ValueError as error:
        raise InvalidToken("No such kind of email.") from error
    # Keys are URL-safe tokens; anything else (a NUL, which PostgreSQL refuses in a
    # query) is no key at all.
    if not slug_re.match(key):
        raise InvalidToken("No such key.")
    address = EmailPreference.objects.filter(key=key).values_list("email", flat=True).first()
    if address is None:
        raise InvalidToken("No such key.")
    return normalize(address), kind


def _read_signed_token(token: str) -> tuple[str, Preference]:
    """The earlier form: a signed (address, kind) pair, still in old emails."""
    try:
        address, kind = signing.Signer(salt=SALT).unsign_object(token)
        return normalize(address), Preference(kind)
    except (signing.BadSignature, ValueError, TypeError, AttributeError) as error:
        # BadSignature for tampering; the others for a valid signature over a payload
        # of the wrong shape, or a kind that no longer exists.
        raise InvalidToken(str(error)) from error


def unsubscribe_url(address: str, kind: str) -> str:
    token = unsubscribe_token(address, kind)
    return f"{settings.SITE_URL}{reverse('unsubscribe', kwargs={'token': token})}"


def unsubscribe_headers(address: str, kind: str) -> dict[str, str]:
    """List-Unsubscribe headers with one-click POST (RFC 2369 and RFC 8058)."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(address, kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


# The page where a member chooses their emails. The members app, above this module,
# says which one (`set_preferences_page`, from its AppConfig.ready); until it does,
# emails carry only the unsubscribe link.
_preferences_page: str | None = None


def set_preferences_page(url_name: str) -> None:
    global _preferences_page
    _preferences_page = url_name


def preferences_url() -> str:
    if _preferences_page is None:
        return ""
    return f"{settings.SITE_URL}{reverse(_preferences_page)}"


def footer_context(
    address: str, kind: str | None, *, optional: bool, member: bool
) -> dict[str, Any]:
    """What the email bases' footer shows: this kind's unsubscribe link (none without
    a kind: a transactional email), whether this email itself could be switched off,
    and (for members) the preferences page."""
    if kind is None:
        return {
            "unsubscribe_url": "",
            "unsubscribe_what": "",
            "email_is_optional": False,
            "preferences_url": preferences_url() if member else "",
        }
    kind = Preference(kind)
    return {
        "unsubscribe_url": unsubscribe_url(address, kind),
        "unsubscribe_what": STOP_WORDS[kind],
        "email_is_optional": optional,
        "preferences_url": preferences_url() if member else "",
    }


def mask(address: str) -> str:
    """ "d•••@example.org": enough for people to recognise their own address."""
    local, at, domain = address.partition("@")
    if not at or not local:
        return "•••"
    return f"{local[0]}•••@{domain}"
