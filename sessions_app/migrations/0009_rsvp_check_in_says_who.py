from django.db import migrations, models


def mend_check_ins(apps, schema_editor):
    """Before the constraint: a check-in that doesn't say who made it was made at the door
    (as 0008 assumed), and a "who" left on an RSVP that isn't checked in is cleared."""
    Rsvp = apps.get_model("sessions_app", "Rsvp")
    Rsvp.objects.filter(checked_in_at__isnull=False, checked_in_by="").update(checked_in_by="door")
    Rsvp.objects.filter(checked_in_at__isnull=True).exclude(checked_in_by="").update(
        checked_in_by=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("sessions_app", "0008_rsvp_checked_in_by"),
    ]

    operations = [
        migrations.RunPython(mend_check_ins, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="rsvp",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("checked_in_at__isnull", True), ("checked_in_by", "")),
                    models.Q(
                        ("checked_in_at__isnull", False),
                        models.Q(("checked_in_by", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="sessions_app_rsvp_checked_in_by_who",
                violation_error_message="A check-in says who made it, and only a check-in does.",
            ),
        ),
    ]
