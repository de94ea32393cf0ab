"""Email addresses in one canonical form, so that one inbox is one key everywhere.

Two spellings of an address that reach the same person must never be two people to
the portal (two RSVPs, two rate-limit counters, two calendar feeds), nor may a
look-alike spelling reach someone else's: `.lower()` alone turns the Kelvin sign
"K" (U+212A) into "k" on one side of a comparison and not on the other, and a
full-width "kate" (U+FF4B...) is a different string from "kate" although both stand
for one inbox. So addresses are NFKC-normalized (compatibility letters become
the plain ones) and case-folded before they are stored, compared or used as a key,
and addresses that mix scripts in a way that imitates another address are refused.
"""

import contextlib
import unicodedata
from typing import Any

from confusable_homoglyphs import confusables
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 320
CONFUSABLE_MESSAGE = _(
    "This address mixes letters from different alphabets that look alike. "
    "Type it with the letters your email provider uses."
)


def canonical_email(address: str) -> str:
    """The form every address is stored and compared in: trimmed, the domain's
    punycode labels decoded (browsers send "xn--" for a domain typed in other letters),
    NFKC-normalized and case-folded."""
    local, at, domain = address.strip().rpartition("@")
    if at:
        address = f"{local}@{_decoded_domain(domain)}"
    return unicodedata.normalize("NFKC", address.strip()).casefold()


def _decoded_domain(domain: str) -> str:
    labels = []
    for label in domain.split("."):
        # Invalid punycode is kept as it is, for the format check to judge.
        if label.lower().startswith("xn--"):
            with contextlib.suppress(UnicodeError):
                label = label.lower().encode("ascii").decode("idna")
        labels.append(label)
    return ".".join(labels)


def is_confusable_email(address: str) -> bool:
    """True when the local part or the domain mixes scripts with look-alike letters
    (a Cyrillic "a", U+0430, among Latin letters, say)."""
    local, _at, domain = address.rpartition("@")
    return any(bool(confusables.is_dangerous(part)) for part in (local, domain) if part)


def validate_email_letters(address: str) -> None:
    """Form validator: refuse confusably mixed scripts."""
    if is_confusable_email(address):
        raise ValidationError(CONFUSABLE_MESSAGE, code="confusable")


class CanonicalEmailField(forms.EmailField):
    """An email field whose cleaned value is the canonical form. Normalizing comes
    before Django's checks, so a full-width address is checked (and accepted) as the
    plain one it stands for."""

    def to_python(self, value: Any) -> str:
        address = super().to_python(value)
        if len(address) > MAX_LENGTH:
            # No address is longer (RFC 3696 errata); refused before any work on it.
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        address = canonical_email(address)
        # Before the format check, so a look-alike address gets the one message that
        # says what is wrong with it.
        validate_email_letters(address)
        return address
