"""What organizers may give in each of settings.LANGUAGES (django-modeltranslation): a
session's title, topic, summary and agenda, a series' title and description (copied into
its sessions), and a venue's notes for finding and reaching it. The field's own name
reads the active language, falling back to the other one."""

from modeltranslation.translator import TranslationOptions, register

from sessions_app.models import Series, Session, Venue


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("title", "topic", "summary", "agenda")


@register(Series)
class SeriesTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Venue)
class VenueTranslation(TranslationOptions):
    fields = ("directions", "accessibility_notes", "transit_notes", "parking_notes")
