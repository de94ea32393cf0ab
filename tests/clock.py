"""Times as the tests write them: on the wall clocks of Cleveland, where the CoP meets."""

from datetime import datetime
from zoneinfo import ZoneInfo

CLEVELAND = ZoneInfo("America/New_York")
# The en dash between a start and an end time, as pages and emails write them.
DASH = "\N{EN DASH}"


def local(*args: int) -> datetime:
    """A Cleveland wall-clock time: local(2027, 12, 16, 18) is 6 pm on December 16, 2027."""
    return datetime(*args, tzinfo=CLEVELAND)
