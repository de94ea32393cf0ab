"""The search index on SQLite: an FTS5 table of the posts a member may find, filled
from the posts there are (see practice_library/services/search_index.py). PostgreSQL
has its own (migration 0003): nothing happens there."""

from django.db import migrations

FTS_TABLE = "practice_library_post_fts"


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
        "document, facets, tokenize = 'unicode61 remove_diacritics 2', detail = column)"
    )
    schema_editor.execute(
        """
        INSERT INTO practice_library_post_fts (rowid, document, facets)
        SELECT p.id, p.search_document,
               (CASE WHEN p.members_only THEN 'members' ELSE 'public' END)
               || ' pattern' || p.pattern_id
               || COALESCE(
                   (SELECT ' tag' || group_concat(l.tag_id, ' tag')
                    FROM practice_library_post_tags l WHERE l.post_id = p.id),
                   '')
        FROM practice_library_post p
        WHERE p.state = 'published' AND p.removed_at IS NULL
        """
    )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("practice_library", "0011_stored_post_counts"),
    ]

    operations = [
        migrations.RunPython(create_search_index, drop_search_index, elidable=False),
    ]
