"""Everything organizers wrote before the portal spoke Spanish was written in English:
it becomes the English version of each title, topic and agenda."""

from django.db import migrations
from django.db.models import F


def copy_into_english(apps, schema_editor):
    Session = apps.get_model("sessions_app", "Session")
    Series = apps.get_model("sessions_app", "Series")
    Session.objects.update(title_en=F("title"), topic_en=F("topic"), agenda_en=F("agenda"))
    Series.objects.update(title_en=F("title"))


class Migration(migrations.Migration):
    dependencies = [("sessions_app", "0010_languages_of_rsvps_and_session_texts")]

    operations = [migrations.RunPython(copy_into_english, migrations.RunPython.noop)]
