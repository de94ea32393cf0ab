"""The directory search on PostgreSQL reads a stored tsvector per profile (see
members/search.py): this adds the column, and fills it on PostgreSQL with what
`profile_search_vector` computes (written out here, so the migration never changes).
SQLite keeps it NULL and searches with a fallback.
"""

import django.contrib.postgres.search
from django.db import migrations

FILL = """
UPDATE members_profile AS p SET search_vector =
    setweight(to_tsvector('english', COALESCE((
        SELECT array_to_string(array_agg(t.name), ' ') FROM practice_library_tag t
        JOIN members_profile_expertise e ON e.tag_id = t.id WHERE e.profile_id = p.user_id
    ), '')), 'A')
    || setweight(to_tsvector('english', COALESCE((
        SELECT array_to_string(array_agg(t.name), ' ') FROM practice_library_tag t
        JOIN members_profile_interests i ON i.tag_id = t.id WHERE i.profile_id = p.user_id
    ), '') || ' ' || p.organization || ' ' || p.role), 'B')
    || setweight(to_tsvector('english', p.bio), 'C')
"""


def fill_search_vectors(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FILL)


class Migration(migrations.Migration):
    dependencies = [("members", "0004_fold_profile_topics_by_stem")]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(fill_search_vectors, migrations.RunPython.noop, elidable=False),
    ]
