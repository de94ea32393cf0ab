"""Summaries, series descriptions and venue notes written before they could be given per
language were written in English: they become the English version."""

from django.db import migrations
from django.db.models import F

VENUE_NOTES = ("directions", "accessibility_notes", "transit_notes", "parking_notes")


def copy_into_english(apps, schema_editor):
    apps.get_model("sessions_app", "Session").objects.update(summary_en=F("summary"))
    apps.get_model("sessions_app", "Series").objects.update(description_en=F("description"))
    apps.get_model("sessions_app", "Venue").objects.update(
        **{f"{name}_en": F(name) for name in VENUE_NOTES}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("sessions_app", "0013_summaries_descriptions_and_venue_notes_in_each_language")
    ]

    operations = [migrations.RunPython(copy_into_english, migrations.RunPython.noop)]
