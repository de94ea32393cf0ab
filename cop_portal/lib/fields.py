from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models


class HttpsURLField(models.URLField):
    """A URL field whose forms (site and admin alike) read "meet.example.org" as https://.

    This is Django 6.0's default; saying it now keeps forms from warning.
    """

    def formfield(self, **kwargs: Any) -> forms.Field:
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)


# What a 64-bit integer primary key can hold.
BIGINT_RANGE = range(-(2**63), 2**63)


def _out_of_range(pk: Any) -> bool:
    try:
        return int(pk) not in BIGINT_RANGE
    except (TypeError, ValueError):
        return False  # not a number: the field itself refuses it


class InRangeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's ModelMultipleChoiceField, refusing ids too big for any row as it refuses
    any other unknown id. Django's own looks them up, and SQLite raises OverflowError
    instead of finding nothing (PostgreSQL finds nothing)."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else ():
            if _out_of_range(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)
