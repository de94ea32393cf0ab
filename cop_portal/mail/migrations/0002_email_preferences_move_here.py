"""Email preferences move from the project package to the mail app, which every app may
import from. The table keeps its name: only Django's record of which app owns it moves."""

import django.db.models.functions.text
from django.db import migrations, models

import cop_portal.lib.tokens


class Migration(migrations.Migration):
    dependencies = [
        ("mail", "0001_initial"),
        ("cop_portal", "0003_email_preference_keys"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="EmailPreference",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("created", models.DateTimeField(auto_now_add=True)),
                        ("updated", models.DateTimeField(auto_now=True)),
                        ("email", models.EmailField(max_length=254, unique=True)),
                        (
                            "key",
                            models.CharField(
                                default=cop_portal.lib.tokens.random_token,
                                editable=False,
                                max_length=64,
                                unique=True,
                            ),
                        ),
                        ("announcements", models.BooleanField(default=False)),
                        ("reminders", models.BooleanField(default=True)),
                        ("replies", models.BooleanField(default=True)),
                    ],
                    options={
                        "db_table": "cop_portal_emailpreference",
                        "constraints": [
                            models.UniqueConstraint(
                                django.db.models.functions.text.Lower("email"),
                                name="cop_portal_emailpreference_ci_unique",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
