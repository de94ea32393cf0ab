"""On SQLite, an index of the accounts made inactive (a partial index: a few rows, most
often none), so that the directory's search takes them out of what it found without
reading the account of every member found (members/search.py: 10 ms for a common word
at 50,000 members). PostgreSQL's search joins the accounts anyway; nothing changes there.
Not in the model's Meta: Django's partial indexes can't be made for one database only."""

from django.db import migrations

INDEX = "members_user_inactive"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_user (id) WHERE NOT is_active"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("members", "0010_profile_search_index_topics")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
