"""Email preferences now belong to the mail app (mail.0002); the table stays as it is."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cop_portal", "0003_email_preference_keys"),
        ("mail", "0002_email_preferences_move_here"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="EmailPreference")],
            database_operations=[],
        ),
    ]
