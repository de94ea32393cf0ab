"""Writes on the eleven activities: an organizer's edits, and a session's focus activities."""

from collections.abc import Iterable, Sequence

from django.db import transaction

from cop_portal.lib.content_version import content_changed
from practice_library.models import ActivityPattern, PatternStep
from sessions_app.models import ConversationFormat, Session

Steps = Sequence[tuple[int, str]]


@transaction.atomic
def pattern_update(
    *,
    pattern: ActivityPattern,
    related: Iterable[ActivityPattern],
    brief_steps: Steps,
    in_depth_steps: Steps,
) -> ActivityPattern:
    """Save an activity's texts (already set on `pattern`), its related activities and
    both lists of steps, all or nothing.

    Side effects: the steps of both formats are replaced by the given (minutes, text)
    lists, numbered in order; the related activities change on both sides, since the
    relation is symmetrical. Nothing is sent to anyone.
    """
    pattern.save()
    pattern.related.set(related)
    pattern.steps.all().delete()
    PatternStep.objects.bulk_create(
        PatternStep(pattern=pattern, format=format, position=position, minutes=minutes, text=text)
        for format, steps in (
            (ConversationFormat.BRIEF, brief_steps),
            (ConversationFormat.IN_DEPTH, in_depth_steps),
        )
        for position, (minutes, text) in enumerate(steps, start=1)
    )
    content_changed()  # bulk_create sends no signals
    return pattern


@transaction.atomic
def session_focus_set(*, session: Session, activities: Iterable[ActivityPattern]) -> None:
    """Make `activities` the session's focus activities, replacing any earlier choice.

    Side effects: writes the activities' `sessions` relation only; the session itself
    (its sequence, calendar entries) is untouched and nobody is emailed.
    """
    session.focus_activities.set(activities)
