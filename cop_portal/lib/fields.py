from typing import Any

from django import forms
from django.db import models


class HttpsURLField(models.URLField):
    """A URL field whose forms (site and admin alike) read "meet.example.org" as https://.

    This is Django 6.0's default; saying it now keeps forms from warning.
    """

    def formfield(self, **kwargs: Any) -> forms.Field:
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)
