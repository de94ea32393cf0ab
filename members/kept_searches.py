"""The directory's search results, kept for every member until what they rank changes.

Ranking a search reads every member it finds (members/search.py): 5,000-7,000 for a
common word at 50,000 members. Every signed-in member who asks the same thing (the
same words, the same filters) gets the same members in the same order: the posts whose
tags count are those any member may find (`Post.objects.visible_to` differs only for
visitors, and the directory is for members), so nothing in a ranking depends on who
asks. A ranking is kept in the "fragments" cache (each worker's memory, like the
directory's cards) under three things:

- the content version (cop_portal.lib.content_version): posts and their tags, topics,
  accounts' names;
- the directory's own version, below: profiles are not in the content version (a
  profile's every save would make every visitor's kept page stale), so the services
  that rewrite what the search reads of a profile change this one instead
  (members/services/search_index.py): an edit, a listing or unlisting, new expertise or
  interests, a new name, an author's posts published or retagged, an account deleted
  or deactivated, a rebuild of the index;
- the search's stems and words and the filters, as the search reads them.

The directory's version lives where the content version does (the "content_version"
cache, shared by every worker), and changes as it does: at once, and again when the
transaction commits, so that a ranking read in between from the old rows is not kept
under the new version. A write around the services (a raw UPDATE) shows once a kept
ranking expires (KEEP_SECONDS).
"""

import hashlib
import secrets
from typing import Any

from django.core.cache import caches
from django.db import transaction

from cop_portal.lib.content_version import CACHE_ALIAS as VERSION_CACHE
from cop_portal.lib.content_version import content_version
from cop_portal.lib.fragments import CACHE_ALIAS as KEPT_CACHE

VERSION_KEY = "directory-search-version"
# How long a kept ranking may outlive a write the versions don't see.
KEEP_SECONDS = 600


def directory_search_version() -> str:
    """The directory's current version; the first caller after a cache flush sets one."""
    cache = caches[VERSION_CACHE]
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, secrets.token_hex(8), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def _new_version() -> None:
    caches[VERSION_CACHE].set(VERSION_KEY, secrets.token_hex(8), timeout=None)


def directory_search_changed() -> None:
    """Make every kept ranking stale: now, and again when the transaction commits.

    Side effects: a new directory version in the shared "content_version" cache.
    """
    _new_version()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_new_version)


def ranking_key(search: tuple[Any, ...]) -> str:
    """Where the ranking of `search` (what the search reads, as a tuple of plain values)
    is kept under the current versions. Read once, before ranking: a ranking is then at
    least as new as the versions it is kept under."""
    versions = f"{content_version()}:{directory_search_version()}"
    digest = hashlib.sha256(repr((versions, search)).encode()).hexdigest()
    return f"directory-search:{digest}"


def kept_ranking(key: str) -> dict[str, Any] | None:
    """The ranking kept under `key`: {"count": how many match, "ids": the first ids, best
    first, "complete": whether `ids` are all of them}; None if none is kept."""
    return caches[KEPT_CACHE].get(key)


def keep_ranking(key: str, ranking: dict[str, Any]) -> None:
    """Keep `ranking` under `key`.

    Side effects: one entry in this worker's "fragments" cache.
    """
    caches[KEPT_CACHE].set(key, ranking, timeout=KEEP_SECONDS)
