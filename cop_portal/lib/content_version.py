"""A token that changes whenever what public pages show may have changed.

Pages kept for visitors and public feed states are stored under it, so one change makes
every one of them stale at once: there is no list of pages to work out for each change.

The token lives in the "content_version" cache, shared by every worker process: Redis
when REDIS_URL is set (and so by every app server), else a small file cache on the one
server. It changes only when content that public pages show is written:

- a row of a model listed with `Shown` (SHOWN_ON_PUBLIC_PAGES in cop_portal/apps.py) is
  saved or deleted, or one of its many-to-many relations changes (signals);
- a service that writes such rows in bulk (bulk_create, QuerySet.update, which send no
  signals) calls `content_changed()` itself, as publishing a series does.

Nothing else changes it: a log-in, a sign-up, a rejected form, a 404, a 403 or a CSRF
failure writes no such row, so no stranger can make every kept page stale at will. Rows
no public page shows (calendar-feed fetch notes, email preferences, profiles, log-in
sessions, rate-limit counters) don't count either. Anything else (a raw SQL edit, say)
shows once kept pages expire (PAGE_CACHE_SECONDS).
"""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.cache import caches
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

CACHE_ALIAS = "content_version"
KEY = "content-version"
# Where a model with only some fields shown keeps their values as last read or saved.
_SNAPSHOT = "_content_version_shown"
_MISSING = object()


def content_version() -> str:
    """The current token; the first caller after a cache flush sets a new one."""
    cache = caches[CACHE_ALIAS]
    version = cache.get(KEY)
    if version is None:
        cache.add(KEY, secrets.token_hex(8), timeout=None)
        version = cache.get(KEY)
    return version


def _new_version() -> None:
    caches[CACHE_ALIAS].set(KEY, secrets.token_hex(8), timeout=None)


def content_changed() -> None:
    """Make everything stored under the current token stale: now, and again when the
    transaction commits, as a page rendered in between from the old rows would
    otherwise be kept under the new token. (A write that is rolled back costs one
    re-render of each page, nothing more.)"""
    _new_version()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_new_version)


@dataclass(frozen=True)
class Shown:
    """A model whose rows public pages show.

    `fields`: when public pages show only these fields (names, as on the model), a save
    changes the content version only if one of them took a new value; None means every
    field is shown (and so are the model's many-to-many relations). `new_rows`: False
    when a new row shows nowhere until it is changed (a new account has no posts yet).
    """

    model: str  # "app_label.ModelName"
    fields: frozenset[str] | None = None
    new_rows: bool = True


def _values(instance: Model, attnames: tuple[str, ...]) -> tuple[Any, ...]:
    # Only what is loaded: a deferred field would cost a query.
    loaded = instance.__dict__
    return tuple(loaded.get(name, _MISSING) for name in attnames)


class _Receivers:
    """The signal receivers for one Shown model (kept alive by the signals' registry,
    which holds them strongly: weak=False)."""

    def __init__(self, shown: Shown, model: type[Model]) -> None:
        self.shown = shown
        self.attnames: tuple[str, ...] = tuple(
            model._meta.get_field(name).attname for name in sorted(shown.fields or ())
        )

    def initialized(self, instance: Model, **kwargs: Any) -> None:
        instance.__dict__[_SNAPSHOT] = _values(instance, self.attnames)

    def saved(
        self,
        instance: Model,
        created: bool,
        update_fields: frozenset[str] | None = None,
        **kwargs: Any,
    ) -> None:
        shown = self.shown
        if shown.fields is None:
            changed = True
        else:
            before = instance.__dict__.get(_SNAPSHOT)
            after = _values(instance, self.attnames)
            instance.__dict__[_SNAPSHOT] = after
            if created:
                changed = shown.new_rows
            elif update_fields is not None and shown.fields.isdisjoint(update_fields):
                changed = False
            else:
                changed = before is None or before != after or _MISSING in before
        if changed:
            content_changed()

    def deleted(self, **kwargs: Any) -> None:
        content_changed()

    def related(self, action: str, **kwargs: Any) -> None:
        if action in ("post_add", "post_remove", "post_clear"):
            content_changed()


def watch_content(shown_models: Iterable[Shown]) -> None:
    """Connect the receivers that change the content version when these models' rows
    change. post_delete receivers make Django delete these rows one by one (with
    signals) rather than in one fast query, which is what makes deletes count."""
    for shown in shown_models:
        model = apps.get_model(shown.model)
        receivers = _Receivers(shown, model)
        uid = f"content-version:{shown.model}"
        if shown.fields is not None:
            post_init.connect(receivers.initialized, sender=model, weak=False, dispatch_uid=uid)
        post_save.connect(receivers.saved, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(receivers.deleted, sender=model, weak=False, dispatch_uid=uid)
        if shown.fields is None:
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    receivers.related,
                    sender=field.remote_field.through,
                    weak=False,
                    dispatch_uid=f"{uid}.{field.name}",
                )
