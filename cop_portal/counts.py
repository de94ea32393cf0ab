"""Every stored count, recomputed from the rows they count.

The apps keep counts that pages would otherwise compute by scanning tables (posts per
activity and tag, replies per post, members per field of expertise, each session's
attendance): their services update them in the same transaction as the rows they count.
Rows written another way (seed_demo's bulk loads, an edit made by hand in the database)
leave them behind; `recount()` (the `recount` command) makes them true again.
"""

from members.services.counts import counts_recount as members_recount
from practice_library.services.counts import counts_recount as library_recount
from sessions_app.services.counts import counts_recount as sessions_recount


def recount() -> None:
    """Recompute every stored count in every app, each app in its own transaction.

    Side effects: rewrites the stored counts; marks public pages stale (through the
    apps' services, where what they count is shown).
    """
    library_recount()
    members_recount()
    sessions_recount()
