"""Helpers for tests that search the member directory (no test module imports another)."""

from django.test import Client
from django.urls import reverse


def found(client: Client, q: str) -> list[str]:
    """The names on the first page of the directory's results for `q`, best first."""
    response = client.get(reverse("members:directory"), {"q": q})
    assert response.status_code == 200
    return [profile.user.display_name for profile in response.context["page"].object_list]
