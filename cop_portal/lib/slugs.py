from collections.abc import Iterable

from django.db import models
from django.utils.text import slugify


def unique_slug(
    model: type[models.Model],
    text: str,
    *,
    fallback: str,
    max_length: int = 80,
    reserved: Iterable[str] = (),
) -> str:
    """A slug made from `text` that no row of `model` (nor `reserved`) uses yet.

    Clashes get -2, -3… One query, however many clashes there are.
    """
    base = slugify(text)[: max_length - 4].strip("-") or fallback
    taken = set(model._default_manager.filter(slug__startswith=base).values_list("slug", flat=True))
    taken.update(reserved)
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
