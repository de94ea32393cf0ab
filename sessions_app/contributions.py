"""What the apps above sessions_app add to a session's page.

The practice library runs activities in sessions and links posts (notes, questions) to
them, but sessions_app sits below the library: it may not import its models or name its
URLs, not even as strings. So the library contributes: at start-up it registers a
function that, given the request and the session, returns a template of its own and the
context for it, and the session page includes what it gets in the place (slot) the
function was registered for.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from django.http import HttpRequest

from sessions_app.models import Session

# main: sections in the page's main column, after the session's own details.
# organizer: links in the organizers' tools box.
Slot = Literal["main", "organizer"]
SLOTS: tuple[Slot, ...] = ("main", "organizer")


@dataclass(frozen=True)
class Contribution:
    """A template of the contributing app and the context it is rendered with (as
    `contribution` inside it)."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)


Contributor = Callable[[HttpRequest, Session], Contribution | None]

_contributors: dict[Slot, list[Contributor]] = {slot: [] for slot in SLOTS}


def contributes_to_session_page(slot: Slot) -> Callable[[Contributor], Contributor]:
    """Register a function (request, session) -> Contribution | None for a slot. Call it
    from an AppConfig.ready(); registering the same function twice keeps one."""

    def register(function: Contributor) -> Contributor:
        if function not in _contributors[slot]:
            _contributors[slot].append(function)
        return function

    return register


class SessionPageContributions:
    """What each slot shows for this viewer, asked of the contributors only when the page
    reads the slot: the main slot is a kept part of the session page (fragments), so its
    contributors run only when it is rendered afresh.

    The main slot is kept for every viewer alike, varied only on the session, whether it
    is over and whether the viewer is signed in: a main contribution shows nothing else
    about the viewer (no name, no follow, no form that posts). The organizer slot is
    rendered for each organizer.
    """

    def __init__(self, request: HttpRequest, session: Session, *, organizer: bool) -> None:
        self._request, self._session, self._organizer = request, session, organizer

    def _parts(self, slot: Slot) -> list[Contribution]:
        parts = (contributor(self._request, self._session) for contributor in _contributors[slot])
        return [part for part in parts if part is not None]

    @cached_property
    def main(self) -> list[Contribution]:
        return self._parts("main")

    @cached_property
    def organizer(self) -> list[Contribution]:
        return self._parts("organizer") if self._organizer else []


def session_page_contributions(
    request: HttpRequest, session: Session, *, organizer: bool
) -> SessionPageContributions:
    """What each slot shows for this viewer; the organizer slot only for organizers."""
    return SessionPageContributions(request, session, organizer=organizer)
