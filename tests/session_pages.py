"""Helpers for tests of the public session pages (no test module imports another)."""

import re

_ICON = re.compile(r"<svg\b.*?</svg>\s*", re.S)


def without_icons(html: str) -> str:
    """The page with its decorative format icons (inline SVG) left out, so that tests can
    match a badge's or a fact's words as people read them."""
    return _ICON.sub("", html)
