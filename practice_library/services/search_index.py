"""The library's search index on SQLite: an FTS5 table of the posts a member may find.

PostgreSQL searches the stored `search_vector` (GIN index, migration 0003). SQLite has
no such index, and its fallback (`LIKE '%word%'` over every post's document) read the
whole table: 180 ms over 50,000 posts. Migration 0012 makes, on SQLite only, the FTS5
table `practice_library_post_fts`: one row per post a member may find (published, not
removed by its author), its rowid the post's id, with two columns:

- `document`: the post's `search_document`, in words folded to lower case without
  accents (unicode61, remove_diacritics 2);
- `facets`: words to narrow by without touching the posts table: `public` (visitors
  may read it) or `members`, `pattern<id>`, and `tag<id>` for each of its tags.

The index only finds; `Post.objects.visible_to` still decides what is shown. It is
derived data, kept like the stored counts: the services that change a post's document,
visibility, activity or tags refresh its row in the same transaction (through
`post_refresh_search_document`, `posts_refresh_search_vectors` and the counts'
`post_counts_refresh`); `counts_recount()` rebuilds it all for rows written otherwise.
"""

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import QuerySet

from practice_library.models import Post
from practice_library.models.post import State

FTS_TABLE = "practice_library_post_fts"


def _enabled() -> bool:
    return connection.vendor == "sqlite"


def _insert_sql(where: str) -> str:
    """Each post's row, for the posts matching `where` (SQL on `p`) that a member may find."""
    post = Post._meta.db_table
    links = Post.tags.through._meta.db_table
    return f"""
        INSERT INTO {FTS_TABLE} (rowid, document, facets)
        SELECT p.id, p.search_document,
               (CASE WHEN p.members_only THEN 'members' ELSE 'public' END)
               || ' pattern' || p.pattern_id
               || COALESCE(
                   (SELECT ' tag' || group_concat(l.tag_id, ' tag')
                    FROM {links} l WHERE l.post_id = p.id),
                   '')
        FROM {post} p
        WHERE {where} AND p.state = %s AND p.removed_at IS NULL
    """  # noqa: S608 - table names from the models; values are parameters


@transaction.atomic
def posts_search_index_refresh(*, posts: QuerySet[Post]) -> None:
    """Rewrite the search index's rows of `posts` from what they are now: gone if a
    member may no longer find them. Does nothing on PostgreSQL.

    Side effects: those posts' rows in the SQLite search index.
    """
    if not _enabled():
        return
    try:
        ids_sql, ids_params = posts.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # `pk__in=[]`: no post to rewrite
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({ids_sql})", ids_params)  # noqa: S608
        cursor.execute(_insert_sql(f"p.id IN ({ids_sql})"), [*ids_params, State.PUBLISHED])


@transaction.atomic
def search_index_rebuild() -> None:
    """Rebuild the whole SQLite search index from the posts (about 10 s for 50,000
    posts). Does nothing on PostgreSQL.

    Side effects: every row of the SQLite search index.
    """
    if not _enabled():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
        cursor.execute(_insert_sql("1 = 1"), [State.PUBLISHED])


def search_index_prune(*, using: str = DEFAULT_DB_ALIAS) -> int:
    """Drop the SQLite search index's rows of posts a member can no longer find, or
    that are gone: `manage.py flush` (and a transactional test's flush) empties the
    model tables but knows nothing of this one, and rows left behind would be counted
    as matches (or, ids reused, match another post's words). Run after each migrate
    and flush (apps.py); a single pass over the index's ids. Does nothing on
    PostgreSQL, or before migration 0012. Returns how many rows it dropped.

    Side effects: those rows of the SQLite search index.
    """
    connection = connections[using]
    if connection.vendor != "sqlite" or FTS_TABLE not in connection.introspection.table_names():
        return 0
    post = Post._meta.db_table
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {FTS_TABLE} WHERE rowid NOT IN ("  # noqa: S608 - our tables' names
            f"SELECT id FROM {post} WHERE state = %s AND removed_at IS NULL)",
            [State.PUBLISHED],
        )
        return cursor.rowcount
