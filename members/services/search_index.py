"""The directory search's word index on SQLite: an FTS5 table of what members write about
themselves.

PostgreSQL matches the stored `Profile.search_vector`. SQLite has no such index, and its
fallback matched each word with LIKE and a regular expression over every listed member's
name, organization, role and bio (35,000 rows read per search at 50,000 members).
Migration 0009 makes, on SQLite only, the FTS5 table `members_profile_fts`: one row per
profile, its rowid the profile's (the user's) id, with two columns, in words folded to
lower case without accents (unicode61, remove_diacritics 2):

- `about`: the account's display name, the organization and the role;
- `bio`: the bio.

Topics are not in it: they are matched in the (small) tag table, whose names can change
without the profiles knowing. The index only finds; the search still keeps to listed
members of active accounts (members/search.py), so listing and deactivation need not
touch it. It is derived data, kept like the stored counts: the profile services rewrite
a profile's row in the same transaction as the words it holds (`profiles_search_refresh`,
called by `profile_for` and `profile_update`), the account's deletion drops it
(`profiles_search_forget`), and `counts_recount()` rebuilds it all for rows written
otherwise (`search_index_rebuild`).
"""

from collections.abc import Iterable

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import QuerySet

from members.models import Profile, User

FTS_TABLE = "members_profile_fts"


def _enabled() -> bool:
    return connection.vendor == "sqlite"


def _insert_sql(where: str) -> str:
    """The rows of the profiles matching `where` (SQL on `p`)."""
    profile = Profile._meta.db_table
    user = User._meta.db_table
    return f"""
        INSERT INTO {FTS_TABLE} (rowid, about, bio)
        SELECT p.user_id, u.display_name || ' ' || p.organization || ' ' || p.role, p.bio
        FROM {profile} p INNER JOIN {user} u ON u.id = p.user_id
        WHERE {where}
    """  # noqa: S608 - table names from the models; values are parameters


@transaction.atomic
def profiles_search_index_refresh(*, profiles: QuerySet[Profile]) -> None:
    """Rewrite the index's rows of `profiles` from what they hold now. Does nothing on
    PostgreSQL.

    Side effects: those profiles' rows in the SQLite index.
    """
    if not _enabled():
        return
    try:
        ids_sql, ids_params = profiles.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # `pk__in=[]`: no profile to rewrite
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({ids_sql})", ids_params)  # noqa: S608
        cursor.execute(_insert_sql(f"p.user_id IN ({ids_sql})"), ids_params)


@transaction.atomic
def profiles_search_forget(*, user_ids: Iterable[int]) -> None:
    """Drop the index's rows of these accounts (deleted, or about to be): only theirs.
    Does nothing on PostgreSQL.

    Side effects: those rows of the SQLite index.
    """
    user_ids = [int(user_id) for user_id in user_ids]
    if not _enabled() or not user_ids:
        return
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(user_ids))
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", user_ids)  # noqa: S608


@transaction.atomic
def search_index_rebuild() -> None:
    """Rebuild the whole SQLite index from the profiles. Does nothing on PostgreSQL.

    Side effects: every row of the SQLite index.
    """
    if not _enabled():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
        cursor.execute(_insert_sql("1 = 1"))


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
        return cursor.rowcount
