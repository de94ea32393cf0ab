"""The directory search's word index on SQLite: an FTS5 table of each profile's name,
organization, role and bio, filled from the profiles there are (see
members/services/search_index.py; written out here, so the migration never changes).
On PostgreSQL, a GIN index on the stored vectors instead, which the search reads as a
set of ids of its own (members/search.py)."""

from django.db import migrations

FTS_TABLE = "members_profile_fts"
GIN_INDEX = "members_profile_search"


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {GIN_INDEX} ON members_profile USING gin (search_vector)"
        )
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
        "about, bio, tokenize = 'unicode61 remove_diacritics 2')"
    )
    schema_editor.execute(
        """
        INSERT INTO members_profile_fts (rowid, about, bio)
        SELECT p.user_id, u.display_name || ' ' || p.organization || ' ' || p.role, p.bio
        FROM members_profile p INNER JOIN members_user u ON u.id = p.user_id
        """
    )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0008_neighborhood_counts_and_name_index"),
    ]

    operations = [
        migrations.RunPython(create_search_index, drop_search_index, elidable=False),
    ]
