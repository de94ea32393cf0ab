from datetime import date
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from modeltranslation.admin import TranslationAdmin

from cop_portal.lib.slugs import unique_slug
from sessions_app.models import RotationSlot, Series, Session, Venue
from sessions_app.models.session import local_zone
from sessions_app.services.counts import month_people_refresh, session_counts_refresh
from sessions_app.services.sessions import CALENDAR_FIELDS, session_slug_text

# What the statistics' stored months add up a session by (sessions_app.services.counts).
STATS_FIELDS = {"status", "starts_at", "time_of_day", "format", "attendance_mode"}

CALENDAR_FORM_FIELDS = {name.removesuffix("_id") for name in CALENDAR_FIELDS}


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "neighborhood", "capacity", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "address", "neighborhood"]
    prepopulated_fields = {"slug": ["name"]}


class RotationSlotInline(admin.TabularInline):
    model = RotationSlot
    extra = 0
    fields = [
        "position",
        "time_of_day",
        "start_time",
        "duration_minutes",
        "format",
        "attendance_mode",
        "venue",
    ]


@admin.register(Series)
class SeriesAdmin(TranslationAdmin):
    """Raw access for the site's keepers; organizers use the series pages instead. Texts
    given per language show one field each (modeltranslation's TranslationAdmin).

    Saving here does not publish: sessions follow the new rotation the next time the
    series is published (by an organizer or the generate_sessions job).
    """

    list_display = ["title", "starts_on", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["title_en", "title_es"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [RotationSlotInline]


@admin.register(Session)
class SessionAdmin(TranslationAdmin):
    """Raw access; saves bypass the services (no emails), but SEQUENCE still grows."""

    list_display = ["title", "local_start", "status", "attendance_mode", "venue"]
    list_filter = ["status", "format", "time_of_day", "attendance_mode", "series"]
    search_fields = ["title_en", "title_es", "topic_en", "topic_es"]
    list_select_related = ["venue"]
    date_hierarchy = "starts_at"
    readonly_fields = ["uid", "slug", "sequence", "occurrence_date", "edited"]

    @admin.display(description="starts (Cleveland time)", ordering="starts_at")
    def local_start(self, session: Session) -> str:
        return f"{timezone.localtime(session.starts_at, local_zone()):%Y-%m-%d %H:%M}"

    def save_model(self, request: HttpRequest, obj: Session, form: Any, change: bool) -> None:
        # The slug is read-only here, so a session added by hand needs one made for it.
        if not obj.slug:
            obj.slug = unique_slug(Session, session_slug_text(obj), fallback="session")
        if change and set(form.changed_data) & CALENDAR_FORM_FIELDS:
            obj.sequence += 1  # calendars only take the change when SEQUENCE grows
        super().save_model(request, obj, form, change)
        if not change or STATS_FIELDS & set(form.changed_data):
            # The statistics' stored people and sessions of the month it left and of its
            # own, as the session services keep them.
            session_counts_refresh(session_ids=[obj.pk])
            was = form.initial.get("starts_at") if change else None
            if was is not None:
                month_people_refresh(months=[timezone.localtime(was, local_zone()).date()])

    def delete_model(self, request: HttpRequest, obj: Session) -> None:
        months = _months_of(Session.objects.filter(pk=obj.pk))
        super().delete_model(request, obj)
        month_people_refresh(months=months)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Session]) -> None:
        months = _months_of(queryset)
        super().delete_queryset(request, queryset)
        month_people_refresh(months=months)


def _months_of(sessions: QuerySet[Session]) -> list[date]:
    """The local days these sessions start on: the months whose stored people they are in."""
    return [
        timezone.localtime(starts_at, local_zone()).date()
        for starts_at in sessions.values_list("starts_at", flat=True)
    ]
