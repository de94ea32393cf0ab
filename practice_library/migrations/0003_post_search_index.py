"""Full-text search on PostgreSQL: a stored tsvector column with a GIN index.

The column exists on every database (SQLite keeps it NULL and searches with a plain
fallback); the index and the filling happen only on PostgreSQL, since SQLite has
no GIN indexes. Keeping the vector stored means ranking reads it instead of parsing
every matching post again.
"""

import django.contrib.postgres.search
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX_NAME = "practice_library_post_search"


def _index() -> GinIndex:
    return GinIndex(fields=["search_vector"], name=INDEX_NAME)


def add_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    post = apps.get_model("practice_library", "Post")
    post.objects.update(search_vector=SearchVector("search_document", config="english"))
    schema_editor.add_index(post, _index())


def remove_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    post = apps.get_model("practice_library", "Post")
    schema_editor.remove_index(post, _index())


class Migration(migrations.Migration):
    dependencies = [
        ("practice_library", "0002_the_eleven_activities"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(add_search_index, remove_search_index, elidable=False),
    ]
