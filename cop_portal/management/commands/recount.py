from typing import Any

from django.core.management.base import BaseCommand

from cop_portal.counts import recount


class Command(BaseCommand):
    help = (
        "Recompute every stored count (posts per activity and tag, replies per post, "
        "members per field of expertise, each session's attendance) from the rows they "
        "count. The site keeps them true by itself; run this after changing rows by hand "
        "in the database. Safe to run at any time."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        recount()
        self.stdout.write(self.style.SUCCESS("Stored counts recomputed."))
