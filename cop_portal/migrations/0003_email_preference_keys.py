"""Give every email preference a random key, for unsubscribe links without the address."""

from django.db import migrations, models

import cop_portal.lib.tokens


def fill_keys(apps, schema_editor):
    EmailPreference = apps.get_model("cop_portal", "EmailPreference")
    for preference in EmailPreference.objects.filter(key__isnull=True).only("pk"):
        preference.key = cop_portal.lib.tokens.random_token()
        preference.save(update_fields=["key"])


class Migration(migrations.Migration):
    dependencies = [
        ("cop_portal", "0002_email_preferences"),
    ]

    operations = [
        migrations.AddField(
            model_name="emailpreference",
            name="key",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="emailpreference",
            name="key",
            field=models.CharField(
                default=cop_portal.lib.tokens.random_token,
                editable=False,
                max_length=64,
                unique=True,
            ),
        ),
    ]
