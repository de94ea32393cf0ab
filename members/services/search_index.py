"""The directory search's word index on SQLite: an FTS5 table of what members know, post
about, want to learn and say about themselves.

PostgreSQL matches the stored `Profile.search_vector` (and post tags on their own).
SQLite has no such index: matching each set (topic holders, post authors, interests,
words) on its own and adding up their points in SQL cost 50-90 ms at 50,000 members
for a common word ("housing": 7,000 members). Migration 0010 makes, on SQLite only,
the FTS5 table `members_profile_fts`: one row per profile, its rowid the profile's
(the user's) id, in words folded to lower case without accents (unicode61,
remove_diacritics 2), with a column per weight of the search (members/search.py):

- `expertise`: the names of the topics the member claims;
- `post_tags`: the names of the tags of their published posts (not removed): what any
  member may find in the library;
- `interests`: the names of the topics they want to learn;
- `about`: the account's display name, the organization and the role;
- `bio`: the bio.

Its companion `members_profile_name_fts` holds the same members' display names in
trigrams (FTS5's trigram tokenizer), so that `LIKE '%dway%'` finds Dwayne through an
index.

Only listed profiles have a row, so the search need not look each member found up to
see whether they are listed (15-20 ms for a common word at 50,000 members): listing
and unlisting rewrite the row (`profile_listing_set`, `profile_update`). The search
still checks the account is active (it reads the name to order the members anyway),
and the page's cards are read from the listed profiles only, so a row left behind by
a write around the services could make a count wrong, never show an unlisted member.
It is derived data, kept like the stored counts, in the same transaction as what it holds: the
profile services rewrite a profile's row (`profiles_search_refresh`, called by
`profile_for` and `profile_update`; the admin on a name change), the library's post
services rewrite the rows of the authors whose posts were published, retagged, hidden,
deleted or removed (`authors_search_refresh`, registered with
`practice_library.services.posts.on_authors_posts_changed`), the account's deletion
drops the row (`profiles_search_forget`), and `counts_recount()` rebuilds it all for
rows written otherwise (`search_index_rebuild`). Tags are never renamed.

Each of these services also makes the directory's kept search results stale
(`directory_search_changed`, members/kept_searches.py), on both databases: they are
the writes that change what a search finds or in what order.
"""

from collections.abc import Iterable

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import QuerySet

from members.kept_searches import directory_search_changed
from members.models import Profile, User
from practice_library.models import Post, Tag
from practice_library.models.post import State

FTS_TABLE = "members_profile_fts"
# The display names of the same (listed) members, in trigrams: a name found by any part
# of it, as typed ("dway": Dwayne), without reading every account.
NAMES_TABLE = "members_profile_name_fts"
# The index's columns, in order (bm25() takes one weight per column, in this order).
COLUMNS = ("expertise", "post_tags", "interests", "about", "bio")


def _enabled() -> bool:
    return connection.vendor == "sqlite"


def _insert_sql(where: str) -> str:
    """The rows of the profiles matching `where` (SQL on `p`)."""
    profile = Profile._meta.db_table
    user = User._meta.db_table
    tag = Tag._meta.db_table
    post = Post._meta.db_table
    post_tags = Post.tags.through._meta.db_table

    def topics(field: str) -> str:
        links = getattr(Profile, field).through._meta.db_table
        return f"""coalesce((
            SELECT group_concat(t.name, ' ; ') FROM {links} l
            INNER JOIN {tag} t ON t.id = l.tag_id WHERE l.profile_id = p.user_id
        ), '')"""  # noqa: S608 - table names from the models

    # The tags of the posts any member may find (Post.objects.visible_to), once each.
    return f"""
        INSERT INTO {FTS_TABLE} (rowid, {", ".join(COLUMNS)})
        SELECT p.user_id,
            {topics("expertise")},
            coalesce((
                SELECT group_concat(name, ' ; ') FROM (
                    SELECT DISTINCT t.name FROM {post} po
                    INNER JOIN {post_tags} pt ON pt.post_id = po.id
                    INNER JOIN {tag} t ON t.id = pt.tag_id
                    WHERE po.author_id = p.user_id AND po.state = '{State.PUBLISHED.value}'
                        AND po.removed_at IS NULL
                )
            ), ''),
            {topics("interests")},
            u.display_name || ' ' || p.organization || ' ' || p.role,
            p.bio
        FROM {profile} p INNER JOIN {user} u ON u.id = p.user_id
        WHERE p.listed AND {where}
    """  # noqa: S608 - table names from the models; values are parameters


def _names_sql(where: str) -> str:
    profile = Profile._meta.db_table
    user = User._meta.db_table
    return f"""
        INSERT INTO {NAMES_TABLE} (rowid, name)
        SELECT p.user_id, u.display_name
        FROM {profile} p INNER JOIN {user} u ON u.id = p.user_id
        WHERE p.listed AND {where}
    """  # noqa: S608 - table names from the models; values are parameters


@transaction.atomic
def profiles_search_index_refresh(*, profiles: QuerySet[Profile]) -> None:
    """Rewrite the index's rows of `profiles` from what they hold now (on PostgreSQL
    there is no such index), and make the kept search results stale.

    Side effects: those profiles' rows in the SQLite index; a new directory version
    (members/kept_searches.py), on both databases.
    """
    directory_search_changed()
    if not _enabled():
        return
    try:
        ids_sql, ids_params = profiles.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # `pk__in=[]`: no profile to rewrite
        return
    with connection.cursor() as cursor:
        for table in (FTS_TABLE, NAMES_TABLE):
            cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({ids_sql})", ids_params)  # noqa: S608
        cursor.execute(_insert_sql(f"p.user_id IN ({ids_sql})"), ids_params)
        cursor.execute(_names_sql(f"p.user_id IN ({ids_sql})"), ids_params)


def authors_search_refresh(*, author_ids: Iterable[int | None]) -> None:
    """Rewrite the index's rows of these authors (their posts were published, retagged,
    hidden, deleted or removed: the tags they post under may have changed). Registered
    with the library's post services (members/apps.py). On PostgreSQL, where post tags
    are matched apart from the stored vectors, only the kept search results go stale.

    Side effects: those members' rows in the SQLite index (none for authors without a
    profile, or gone); a new directory version (members/kept_searches.py).
    """
    ids = {author_id for author_id in author_ids if author_id is not None}
    if ids:
        directory_search_changed()
    if _enabled() and ids:
        profiles_search_index_refresh(profiles=Profile.objects.filter(pk__in=ids))


@transaction.atomic
def profiles_search_forget(*, user_ids: Iterable[int]) -> None:
    """Drop the index's rows of these accounts (deleted, or about to be): only theirs
    (on PostgreSQL there is no such index), and make the kept search results stale.

    Side effects: those rows of the SQLite index; a new directory version
    (members/kept_searches.py), on both databases.
    """
    user_ids = [int(user_id) for user_id in user_ids]
    if user_ids:
        directory_search_changed()
    if not _enabled() or not user_ids:
        return
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(user_ids))
        for table in (FTS_TABLE, NAMES_TABLE):
            cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({marks})", user_ids)  # noqa: S608


@transaction.atomic
def search_index_rebuild() -> None:
    """Rebuild the whole SQLite index from the profiles and posts (on PostgreSQL there
    is no such index), and make the kept search results stale.

    Side effects: every row of the SQLite index; a new directory version
    (members/kept_searches.py), on both databases.
    """
    directory_search_changed()
    if not _enabled():
        return
    with connection.cursor() as cursor:
        for table in (FTS_TABLE, NAMES_TABLE):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute(_insert_sql("1 = 1"))
        cursor.execute(_names_sql("1 = 1"))


def search_index_prune(*, using: str = DEFAULT_DB_ALIAS) -> int:
    """Drop the index's rows of profiles that are gone: `manage.py flush` (and a
    transactional test's flush) empties the model tables but knows nothing of this one,
    and a row left behind would lend its words to a new account given the same id. To
    run after each migrate and flush, as the library's index is (apps.py). Does nothing
    on PostgreSQL, or before migration 0009. Returns how many rows it dropped.

    Side effects: those rows of the SQLite index.
    """
    connection = connections[using]
    if connection.vendor != "sqlite" or FTS_TABLE not in connection.introspection.table_names():
        return 0
    profile = Profile._meta.db_table
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {FTS_TABLE} WHERE rowid NOT IN (SELECT user_id FROM {profile})"  # noqa: S608
        )
        dropped = cursor.rowcount
        if NAMES_TABLE in connection.introspection.table_names():
            cursor.execute(
                f"DELETE FROM {NAMES_TABLE} WHERE rowid NOT IN (SELECT user_id FROM {profile})"  # noqa: S608
            )
        return dropped
