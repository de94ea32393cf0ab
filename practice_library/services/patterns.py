"""Writes on the eleven activities: an organizer's edits, and a session's focus activities."""

from collections.abc import Iterable, Sequence

from django.db import transaction

from cop_portal.lib.content_version import content_changed
from practice_library.models import ActivityPattern, PatternStep
from sessions_app.models import ConversationFormat, Session

# (minutes, text, the saved step's id or None for a new one), in running order.
Steps = Sequence[tuple[int, str, int | None]]


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

    The texts are the active language's (modeltranslation columns): a step kept from
    before keeps its text in the other language, so an edit in English never wipes the
    Spanish, nor the other way round.

    Side effects: the steps of both formats become the given lists, numbered in order
    (steps left out are deleted); the related activities change on both sides, since the
    relation is symmetrical. Nothing is sent to anyone.
    """
    pattern.save()
    pattern.related.set(related)
    saved = {step.pk: step for step in pattern.steps.all()}
    kept: set[int] = set()
    for format, steps in (
        (ConversationFormat.BRIEF, brief_steps),
        (ConversationFormat.IN_DEPTH, in_depth_steps),
    ):
        for position, (minutes, text, pk) in enumerate(steps, start=1):
            step = saved.get(pk) if pk is not None else None
            if step is None or step.format != format or step.pk in kept:
                step = PatternStep(pattern=pattern, format=format)
            step.position = position
            step.minutes = minutes
            step.text = text  # the active language's column
            step.save()
            kept.add(step.pk)
    pattern.steps.exclude(pk__in=kept).delete()
    content_changed()
    return pattern


@transaction.atomic
def session_focus_set(*, session: Session, activities: Iterable[ActivityPattern]) -> None:
    """Make `activities` the session's focus activities, replacing any earlier choice.

    Side effects: writes the activities' `sessions` relation only; the session itself
    (its sequence, calendar entries) is untouched and nobody is emailed.
    """
    session.focus_activities.set(activities)
