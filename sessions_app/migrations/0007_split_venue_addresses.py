"""Venue addresses in parts: "5000 Euclid Avenue, Cleveland, OH 44103" becomes the street
("5000 Euclid Avenue"), city, state and ZIP code that the previous migration added.

An address that doesn't end in ", City, ST" (and maybe a ZIP code) is left whole in the
street field, with the defaults (Cleveland, OH) and no ZIP code: the venue form asks for
the ZIP code the next time an organizer edits it, and the list of such venues is printed.
Going back joins the parts into one line again.
"""

import re

from django.db import migrations

# "street, City, ST 12345" with the ZIP code optional and "Ohio" spelled out allowed.
ONE_LINE = re.compile(
    r"^\s*(?P<street>.+?)\s*,\s*(?P<city>[^,]+?)\s*,\s*"
    r"(?P<state>[A-Za-z]{2}|Ohio)\.?\s*(?P<postal_code>[0-9]{5}(?:-[0-9]{4})?)?\s*$",
    re.IGNORECASE,
)


def split_address(address: str) -> dict[str, str] | None:
    """The parts of a one-line US address, or None when it isn't one."""
    match = ONE_LINE.match(address)
    if match is None:
        return None
    parts = match.groupdict(default="")
    state = parts["state"].upper()
    parts["state"] = "OH" if state == "OHIO" else state
    return parts


def split_venue_addresses(apps, schema_editor):
    Venue = apps.get_model("sessions_app", "Venue")
    unsplit = []
    for venue in Venue.objects.order_by("pk"):
        parts = split_address(venue.address)
        if parts is None:
            unsplit.append(f"{venue.name}: {venue.address!r}")
            continue
        venue.address = parts["street"]
        venue.city = parts["city"]
        venue.state = parts["state"]
        venue.postal_code = parts["postal_code"]
        venue.save(update_fields=["address", "city", "state", "postal_code"])
    if unsplit:
        print(
            "\n  Venue addresses kept whole in the street field (check them on the venue form):"
            "\n    " + "\n    ".join(unsplit)
        )


def join_venue_addresses(apps, schema_editor):
    Venue = apps.get_model("sessions_app", "Venue")
    for venue in Venue.objects.order_by("pk"):
        region = " ".join(part for part in (venue.state, venue.postal_code) if part)
        venue.address = ", ".join(part for part in (venue.address, venue.city, region) if part)
        venue.save(update_fields=["address"])


class Migration(migrations.Migration):
    dependencies = [
        ("sessions_app", "0006_venue_address_parts_and_transit_notes"),
    ]

    operations = [
        migrations.RunPython(split_venue_addresses, join_venue_addresses, elidable=True),
    ]
