"""The activity guides in each of settings.LANGUAGES (django-modeltranslation): a
`<field>_<lang>` column per language, read through the field's own name in the active
language, English when the Spanish is missing."""

from modeltranslation.translator import TranslationOptions, register

from practice_library.models import ActivityPattern, PatternStep


@register(ActivityPattern)
class ActivityPatternTranslation(TranslationOptions):
    fields = (
        "name",
        "purpose",
        "invitation",
        "when_to_use",
        "online_and_in_room",
        "group_size",
        "materials",
        "tips_and_traps",
        "example_prompts",
        "post_template",
    )


@register(PatternStep)
class PatternStepTranslation(TranslationOptions):
    fields = ("text",)
