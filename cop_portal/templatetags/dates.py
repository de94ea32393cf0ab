from datetime import date, datetime

from django import template

from cop_portal.lib.dates import date_as

register = template.Library()


@register.filter(name="date_as")
def date_as_filter(value: datetime | date | None, name: str) -> str:
    """{{ session.starts_at|date_as:"WEEKDAY_DAY" }}: the portal's named formats, in the
    active language (cop_portal/formats/<lang>/formats.py)."""
    return date_as(value, name)
