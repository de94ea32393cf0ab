"""What organizers may give in each of settings.LANGUAGES (django-modeltranslation): a
session's title, topic and agenda, and a series' title (copied into its sessions). The
field's own name reads the active language, falling back to the other one."""

from modeltranslation.translator import TranslationOptions, register

from sessions_app.models import Series, Session


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("title", "topic", "agenda")


@register(Series)
class SeriesTranslation(TranslationOptions):
    fields = ("title",)
