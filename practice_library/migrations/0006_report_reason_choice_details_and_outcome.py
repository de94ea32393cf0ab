"""Reports get a reason from a short list plus details, an outcome, who resolved them,
and when the organizers' email listed them.

Existing reports: their free-text reason becomes the details, under "Something else"
(the column is renamed, so nothing is copied). Resolved ones get the outcome their
post or reply shows today (hidden, or left up) and count as already emailed about;
open ones go out in the organizers' first hourly email.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Q

# A frozen copy of practice_library.models.post.State.HIDDEN.
HIDDEN = "hidden"


def give_resolved_reports_an_outcome(apps, schema_editor):
    # PostgreSQL won't ALTER a table with foreign-key checks still waiting for the end
    # of the transaction (the constraints below follow these updates): check them now.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    Report = apps.get_model("practice_library", "Report")
    resolved = Report.objects.filter(resolved_at__isnull=False)
    hidden = Q(reply__isnull=True, post__state=HIDDEN) | Q(reply__state=HIDDEN)
    resolved.filter(hidden).update(outcome="hidden")
    resolved.exclude(hidden).update(outcome="dismissed")
    resolved.update(notified_at=models.F("resolved_at"))


def keep_a_reason_in_the_text(apps, schema_editor):
    """Back to one free-text reason, which may not be blank: the choice's words."""
    Report = apps.get_model("practice_library", "Report")
    labels = dict(Report._meta.get_field("reason").choices)
    for reason, label in labels.items():
        Report.objects.filter(reason=reason, details="").update(details=label)


class Migration(migrations.Migration):
    dependencies = [
        ("practice_library", "0005_post_and_reply_removed_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="report",
            name="practice_library_report_has_reason",
        ),
        migrations.RenameField(model_name="report", old_name="reason", new_name="details"),
        migrations.AlterField(
            model_name="report",
            name="details",
            field=models.TextField(blank=True, max_length=1000),
        ),
        migrations.AddField(
            model_name="report",
            name="reason",
            field=models.CharField(
                choices=[
                    ("spam", "Spam or advertising"),
                    ("harassment", "Harassment or a personal attack"),
                    ("private", "Private information shared"),
                    ("off_topic", "Off-topic or misleading"),
                    ("other", "Something else"),
                ],
                default="other",
                max_length=20,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="report",
            name="outcome",
            field=models.CharField(
                blank=True,
                choices=[("hidden", "Hidden"), ("dismissed", "Left up")],
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="report",
            name="resolved_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="report",
            name="notified_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(give_resolved_reports_an_outcome, keep_a_reason_in_the_text),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.CheckConstraint(
                condition=models.Q(("details", ""), ("reason", "other"), _negated=True),
                name="practice_library_report_other_has_details",
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("outcome", ""), ("resolved_at__isnull", True)),
                    models.Q(
                        ("resolved_at__isnull", False),
                        models.Q(("outcome", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="practice_library_report_outcome_when_resolved",
            ),
        ),
    ]
