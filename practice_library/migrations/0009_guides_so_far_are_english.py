"""The eleven activity guides as installed were written in English: that text becomes
their English version (their Spanish one is 0010)."""

from django.db import migrations
from django.db.models import F

PATTERN_FIELDS = (
    "name",
    "purpose",
    "invitation",
    "when_to_use",
    "online_and_in_room",
    "group_size",
    "materials",
    "tips_and_traps",
    "example_prompts",
    "post_template",
)


def copy_into_english(apps, schema_editor):
    ActivityPattern = apps.get_model("practice_library", "ActivityPattern")
    PatternStep = apps.get_model("practice_library", "PatternStep")
    ActivityPattern.objects.update(**{f"{name}_en": F(name) for name in PATTERN_FIELDS})
    PatternStep.objects.update(text_en=F("text"))


class Migration(migrations.Migration):
    dependencies = [("practice_library", "0008_activity_guides_in_each_language")]

    operations = [migrations.RunPython(copy_into_english, migrations.RunPython.noop)]
