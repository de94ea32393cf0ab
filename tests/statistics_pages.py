"""Reading the statistics page and the funder summary as people read them (helpers for
their tests; no test module imports another)."""

import re

# A range of the known data set (tests/sessions_app/conftest.py, first_half_2024).
FIRST_HALF_2024 = {"from": "2024-01", "to": "2024-06"}


def text(html: str) -> str:
    """The page's words without tags, spaces squeezed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def headline(body: str, label: str) -> str:
    """A card of the numbers at a glance, as words: "People reached 8 1 member and…"."""
    cards = re.findall(r'<div class="headline__item">(.*?)</div>', body, re.S)
    return next(text(card) for card in cards if f"<dt>{label}</dt>" in card)


def table_rows(body: str, caption: str) -> list[str]:
    """The rows of the table with this caption, each as its words."""
    table = re.search(rf"<caption[^>]*>{caption}</caption>(.*?)</table>", body, re.S)[1]
    return [text(row) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
