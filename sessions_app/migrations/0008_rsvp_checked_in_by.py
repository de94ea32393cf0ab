from django.db import migrations, models


def mark_door_check_ins(apps, schema_editor):
    """Check-ins before self check-in knew RSVPs were all made by organizers at the door."""
    Rsvp = apps.get_model("sessions_app", "Rsvp")
    Rsvp.objects.filter(checked_in_at__isnull=False).update(checked_in_by="door")


class Migration(migrations.Migration):
    dependencies = [
        ("sessions_app", "0007_split_venue_addresses"),
    ]

    operations = [
        migrations.AddField(
            model_name="rsvp",
            name="checked_in_by",
            field=models.CharField(
                blank=True,
                choices=[("door", "At the door"), ("self", "Self check-in")],
                default="",
                max_length=10,
            ),
        ),
        migrations.RunPython(mark_door_check_ins, migrations.RunPython.noop),
    ]
