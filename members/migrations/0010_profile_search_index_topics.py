"""The directory's word index on SQLite keeps listed profiles only, and gets each
one's topics and the tags of its member's published posts, in columns of their own, so that one full-text query finds,
weighs and orders the matches (members/search.py) instead of joining the tag table,
the profiles' topics and every post under a matching tag (see
members/services/search_index.py; the statements are written out here, so the
migration never changes). A second FTS5 table, of listed members' names in trigrams,
finds a name by any part of it ("dway": Dwayne) without reading every account (8 ms
at 50,000). Also an index on (user, listed): the search checks each
member found is listed without reading their (wide) profile row."""

from django.db import migrations, models

FTS_TABLE = "members_profile_fts"
NAMES_TABLE = "members_profile_name_fts"


def _topics(link_table: str) -> str:
    return f"""coalesce((
        SELECT group_concat(t.name, ' ; ') FROM {link_table} l
        INNER JOIN practice_library_tag t ON t.id = l.tag_id WHERE l.profile_id = p.user_id
    ), '')"""  # noqa: S608 - our tables


FILL = f"""
    INSERT INTO {FTS_TABLE} (rowid, expertise, post_tags, interests, about, bio)
    SELECT p.user_id,
        {_topics("members_profile_expertise")},
        coalesce((
            SELECT group_concat(name, ' ; ') FROM (
                SELECT DISTINCT t.name FROM practice_library_post po
                INNER JOIN practice_library_post_tags pt ON pt.post_id = po.id
                INNER JOIN practice_library_tag t ON t.id = pt.tag_id
                WHERE po.author_id = p.user_id AND po.state = 'published'
                    AND po.removed_at IS NULL
            )
        ), ''),
        {_topics("members_profile_interests")},
        u.display_name || ' ' || p.organization || ' ' || p.role,
        p.bio
    FROM members_profile p INNER JOIN members_user u ON u.id = p.user_id
    WHERE p.listed
"""  # noqa: S608 - our tables


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
        "expertise, post_tags, interests, about, bio, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    schema_editor.execute(FILL)
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE {NAMES_TABLE} USING fts5(name, tokenize = 'trigram')"
    )
    schema_editor.execute(
        f"""
        INSERT INTO {NAMES_TABLE} (rowid, name)
        SELECT p.user_id, u.display_name
        FROM members_profile p INNER JOIN members_user u ON u.id = p.user_id
        WHERE p.listed
        """  # noqa: S608 - our tables
    )


def back_to_0009(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(f"DROP TABLE IF EXISTS {NAMES_TABLE}")
    schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
        "about, bio, tokenize = 'unicode61 remove_diacritics 2')"
    )
    schema_editor.execute(
        f"""
        INSERT INTO {FTS_TABLE} (rowid, about, bio)
        SELECT p.user_id, u.display_name || ' ' || p.organization || ' ' || p.role, p.bio
        FROM members_profile p INNER JOIN members_user u ON u.id = p.user_id
        """  # noqa: S608 - our tables
    )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0009_profile_search_index"),
        ("practice_library", "0012_sqlite_search_index"),
    ]

    operations = [
        migrations.RunPython(create_index, back_to_0009, elidable=False),
        migrations.AddIndex(
            model_name="profile",
            index=models.Index(fields=["user", "listed"], name="members_profile_listed_by_id"),
        ),
    ]
