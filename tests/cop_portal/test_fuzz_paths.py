"""Hostile values in the addresses themselves: every parameter of every URL (a code, a
slug, an id, a year) replaced in turn by a NUL, a number too big for the database, a
very long or strange text, while the others stay real (see tests/fuzzing.py)."""

import re
from urllib.parse import quote

import pytest
from django.test import Client

from tests.cop_portal.test_fuzz_coverage import ALL_FORMS
from tests.fuzzing import PAGES, World, assert_handled, log_in, rolled_back, url_routes

pytestmark = pytest.mark.django_db

PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
SEGMENTS = {
    "any": ["\x00", "a\x00b", "\u202e\ufeff", "\U0001f600", "x" * 300, "..", "a%2Fb"],
    "int": ["9" * 25, "9223372036854775808", "0"],
}
URL_KWARGS = {case.name: case.kwargs for case in ALL_FORMS} | {
    name: page.kwargs for name, page in PAGES.items()
}
ROUTES = {name: route for name, route in url_routes().items() if PARAMETER.search(route)}


def _paths(route: str, real: dict) -> list[str]:
    """The route with one parameter at a time replaced by each hostile value."""
    paths = []
    for target in PARAMETER.finditer(route):
        segments = SEGMENTS["int" if target["converter"] == "int" else "any"]
        for segment in segments:

            def fill(match: re.Match, segment: str = segment, target: re.Match = target) -> str:
                value = segment if match.start() == target.start() else str(real[match["name"]])
                return quote(value, safe="")

            paths.append("/" + PARAMETER.sub(fill, route))
    return paths


@pytest.mark.parametrize("name", sorted(name for name in ROUTES if "^" not in ROUTES[name]))
def test_hostile_address_parameters_are_never_a_server_error(name, member, other_member, organizer):
    world = World(member=member, other_member=other_member, organizer=organizer)
    paths = _paths(ROUTES[name], URL_KWARGS[name](world))

    for path in paths:
        with rolled_back():
            client = log_in(Client(), "organizer", world)
            assert_handled(client.get(path))
            assert_handled(client.post(path, {"action": "on"}))
