"""Listed members per topic, stored (members/models/topic_count.py), filled from the
profiles as they are (written out here, so the migration never changes)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count


def fill_topic_counts(apps, schema_editor) -> None:
    Profile = apps.get_model("members", "Profile")
    TopicCount = apps.get_model("members", "TopicCount")
    counts = {}
    for field, attribute in (("expertise", "expert_count"), ("interests", "interest_count")):
        through = getattr(Profile, field).through
        rows = (
            through.objects.filter(profile__listed=True, profile__user__is_active=True)
            .order_by()
            .values("tag_id")
            .annotate(n=Count("pk"))
            .values_list("tag_id", "n")
        )
        for tag_id, n in rows:
            setattr(counts.setdefault(tag_id, TopicCount(tag_id=tag_id)), attribute, n)
    TopicCount.objects.bulk_create(counts.values())


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0006_user_language"),
        ("practice_library", "0010_activity_guides_in_spanish"),
    ]

    operations = [
        migrations.CreateModel(
            name="TopicCount",
            fields=[
                (
                    "tag",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="member_counts",
                        serialize=False,
                        to="practice_library.tag",
                    ),
                ),
                ("expert_count", models.PositiveIntegerField(default=0)),
                ("interest_count", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(fill_topic_counts, migrations.RunPython.noop, elidable=False),
    ]
