"""Guest addresses in canonical form (NFKC, case-folded), as the code now compares them.

Rows that would collide with another row of the same session (RSVPs) or of the same
address (guest feeds) once canonical are not merged: one row of each group takes the
canonical form, the others are kept exactly as they were, and the migration prints
their ids so that an organizer can look at them in the admin.
"""

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, migrations, models, transaction


def _canonical(address: str) -> str:
    # Kept here rather than imported, so the migration means the same thing for ever.
    return unicodedata.normalize("NFKC", address.strip()).casefold()


def _canonicalize(
    rows: Iterable[Any],
    *,
    field: str,
    group: Callable[[Any, str], object],
    describe: Callable[[Any], str],
) -> list[str]:
    """Give one row per group the canonical address; returns a line per row kept as is."""
    groups: dict[object, list[Any]] = defaultdict(list)
    for row in rows:
        canonical = _canonical(getattr(row, field))
        groups[group(row, canonical)].append((row, canonical))
    conflicts: list[str] = []
    for members in groups.values():
        # A row already in canonical form keeps it; else the first row takes it.
        members.sort(key=lambda pair: (getattr(pair[0], field) != pair[1], pair[0].pk))
        keeper, canonical = members[0]
        if getattr(keeper, field) != canonical:
            try:
                with transaction.atomic():
                    type(keeper).objects.filter(pk=keeper.pk).update(**{field: canonical})
            except IntegrityError:
                conflicts.append(f"{describe(keeper)}: kept as it was (the database refused).")
        for row, _canonical_form in members[1:]:
            conflicts.append(
                f"{describe(row)}: kept as it was; {describe(keeper)} has the same address."
            )
    return conflicts


def canonical_guest_emails(apps: Any, schema_editor: Any) -> None:
    Rsvp = apps.get_model("sessions_app", "Rsvp")
    FeedToken = apps.get_model("sessions_app", "FeedToken")
    conflicts = _canonicalize(
        Rsvp.objects.filter(user__isnull=True).order_by("pk"),
        field="email",
        group=lambda rsvp, canonical: (rsvp.session_id, canonical),
        describe=lambda rsvp: f"guest RSVP {rsvp.pk} (session {rsvp.session_id})",
    )
    conflicts += _canonicalize(
        FeedToken.objects.filter(user__isnull=True).order_by("pk"),
        field="guest_email",
        group=lambda token, canonical: canonical,
        describe=lambda token: f"guest calendar feed {token.pk}",
    )
    if conflicts:
        # The operator running migrate must see these.
        print(
            "\n  Guest addresses that differ only in case or look-alike letters:\n    "
            + "\n    ".join(conflicts)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("sessions_app", "0004_calendar_feed_tokens"),
    ]

    operations = [
        migrations.AlterField(
            model_name="feedtoken",
            name="guest_email",
            field=models.EmailField(
                blank=True,
                help_text="Guests only: the address they RSVP'd with, in canonical form.",
                max_length=254,
            ),
        ),
        migrations.AlterField(
            model_name="rsvp",
            name="email",
            field=models.EmailField(
                blank=True,
                help_text="Guests only, in canonical form; never shown to members.",
                max_length=254,
            ),
        ),
        migrations.RunPython(canonical_guest_emails, migrations.RunPython.noop, elidable=True),
    ]
