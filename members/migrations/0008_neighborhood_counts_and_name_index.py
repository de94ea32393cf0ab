"""Listed members per neighborhood, stored (members/models/neighborhood_count.py), filled
from the profiles as they are (written out here, so the migration never changes); and
an index on members' names folded for case, the directory's order."""

import django.db.models.functions.text
from django.db import migrations, models
from django.db.models import Count


def fill_neighborhood_counts(apps, schema_editor) -> None:
    Profile = apps.get_model("members", "Profile")
    NeighborhoodCount = apps.get_model("members", "NeighborhoodCount")
    rows = (
        Profile.objects.filter(listed=True, user__is_active=True)
        .order_by()
        .values("neighborhood")
        .annotate(n=Count("pk"))
        .values_list("neighborhood", "n")
    )
    counts = {}
    for name, n in rows:
        row = counts.setdefault(name.casefold(), NeighborhoodCount(key=name.casefold(), name=name))
        row.member_count += n
        row.name = min(row.name, name, key=lambda spelling: (spelling.lower(), spelling))
    NeighborhoodCount.objects.bulk_create(counts.values())


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("members", "0007_topic_counts"),
    ]

    operations = [
        migrations.CreateModel(
            name="NeighborhoodCount",
            fields=[
                ("key", models.CharField(max_length=320, primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=80)),
                ("member_count", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.AddIndex(
            model_name="user",
            index=models.Index(
                django.db.models.functions.text.Lower("display_name"),
                models.F("id"),
                name="members_user_lower_name",
            ),
        ),
        migrations.RunPython(fill_neighborhood_counts, migrations.RunPython.noop, elidable=False),
    ]
