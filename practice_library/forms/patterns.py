"""Organizer forms: an activity's texts and timed steps, and a session's focus activities."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from cop_portal.lib.fields import InRangeModelMultipleChoiceField
from practice_library.models import ActivityPattern, PatternStep
from sessions_app.models import ConversationFormat

MAX_STEP_MINUTES = 240


def own_language_texts(form: forms.ModelForm, names: Iterable[str]) -> None:
    """Show each translated field's text in the active language only, never the other
    language's fallback (which saving would copy into this language's column); the
    other language's text, when this one has none, is the placeholder to translate from."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    for name in names:
        localized = build_localized_fieldname(name, language)
        if name not in form.fields or not hasattr(form.instance, localized):
            continue  # not a translated text
        own = getattr(form.instance, localized)
        fallback = getattr(form.instance, name, "")
        form.initial[name] = own or ""
        if not own and fallback:
            form.fields[name].widget.attrs["placeholder"] = fallback


class PatternForm(forms.ModelForm):
    """Everything an organizer may reword. The name, slug and kind stay as the data
    migration installed them: the eleven activities are a fixed set."""

    class Meta:
        model = ActivityPattern
        fields = [
            "purpose",
            "invitation",
            "when_to_use",
            "online_and_in_room",
            "group_size",
            "materials",
            "tips_and_traps",
            "example_prompts",
            "post_template",
            "related",
        ]
        labels = {
            "purpose": _("Purpose, in one line"),
            "invitation": _("The invitation"),
            "when_to_use": _("When to use it"),
            "online_and_in_room": _("Online and in the room"),
            "group_size": _("Group size"),
            "materials": _("What to bring"),
            "tips_and_traps": _("Tips and traps"),
            "example_prompts": _("Example prompts"),
            "post_template": _("Template for new posts"),
            "related": _("Related activities"),
        }
        help_texts = {
            "purpose": _("What people get out of it, in a sentence."),
            "invitation": _("The question the facilitator opens with."),
            "online_and_in_room": _("What changes between meeting in the room, online and hybrid."),
            "tips_and_traps": _(
                "A list works best: start each line with “- ”. Markdown: **bold**, links."
            ),
            "example_prompts": _("One prompt per line."),
            "post_template": _(
                "Fills the body of a new post under this activity. Markdown "
                "headings (“## Context”) give people a structure. Leave empty for none."
            ),
            "related": _("Shown on both activities' pages."),
        }
        error_messages = {
            "purpose": {
                "required": _("Write the purpose in one line."),
                "max_length": _(
                    "Keep the purpose to %(limit_value)d characters (it has %(show_value)d)."
                ),
            },
            "invitation": {
                "required": _("Write the question that opens the activity."),
                "max_length": _(
                    "Keep the invitation to %(limit_value)d characters (it has %(show_value)d)."
                ),
            },
            "group_size": {
                "max_length": _(
                    "Keep the group size to %(limit_value)d characters (it has %(show_value)d)."
                ),
            },
        }
        field_classes = {"related": InRangeModelMultipleChoiceField}
        widgets = {
            "purpose": forms.TextInput(),
            "invitation": forms.Textarea(attrs={"rows": 2}),
            "when_to_use": forms.Textarea(attrs={"rows": 4}),
            "online_and_in_room": forms.Textarea(attrs={"rows": 5}),
            "materials": forms.Textarea(attrs={"rows": 2}),
            "tips_and_traps": forms.Textarea(attrs={"rows": 8}),
            "example_prompts": forms.Textarea(attrs={"rows": 5}),
            "post_template": forms.Textarea(attrs={"rows": 8}),
            "related": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            own_language_texts(self, self.Meta.fields)
        related: forms.ModelMultipleChoiceField = self.fields["related"]  # type: ignore[assignment]
        related.queryset = ActivityPattern.objects.exclude(pk=self.instance.pk).order_by(
            "position", "id"
        )
        related.error_messages["invalid_choice"] = _("Pick related activities from the list.")


class StepForm(forms.ModelForm):
    minutes = forms.IntegerField(
        label=_("Minutes"),
        min_value=1,
        max_value=MAX_STEP_MINUTES,
        error_messages={
            "required": _("How many minutes does this step take?"),
            "invalid": _("Write the minutes as a whole number, like 10."),
            "min_value": _("A step takes at least 1 minute."),
            "max_value": _("A step takes at most %(limit_value)s minutes."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "step-minutes"}),
    )

    class Meta:
        model = PatternStep
        fields = ["minutes", "text"]
        labels = {"text": _("What happens")}
        error_messages = {
            "text": {
                "required": _("Say what happens in this step."),
                "max_length": _(
                    "Keep a step to %(limit_value)d characters "
                    "(it has %(show_value)d). Split it in two if it needs more."
                ),
            },
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            own_language_texts(self, ["text"])


class BaseStepFormSet(BaseInlineFormSet):
    """The steps of one format (brief or in-depth), in running order."""

    format: str = ConversationFormat.BRIEF

    def get_queryset(self) -> QuerySet[PatternStep]:
        return super().get_queryset().filter(format=self.format).order_by("position", "id")

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("Step number")
        form.fields["ORDER"].widget.attrs["class"] = "step-order"
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this step")

    def cleaned_steps(self) -> list[tuple[int, str, int | None]]:
        """(minutes, text, saved step's id or None) of each step to keep, in the order
        the organizer gave.

        Call after is_valid(). Blank extra rows and rows ticked for deletion are left out.
        """
        return [
            (form.cleaned_data["minutes"], form.cleaned_data["text"], form.instance.pk)
            for form in self.ordered_forms
        ]

    @property
    def saved_total(self) -> int:
        """Minutes of the steps as saved, for the heading (no extra query)."""
        # A tampered form can name no saved step (its instance is new, without minutes).
        return sum(form.instance.minutes for form in self.initial_forms if form.instance.pk)


class BriefStepFormSetBase(BaseStepFormSet):
    format = ConversationFormat.BRIEF


class InDepthStepFormSetBase(BaseStepFormSet):
    format = ConversationFormat.IN_DEPTH


def _step_formset(base: type[BaseStepFormSet]) -> type[BaseStepFormSet]:
    return inlineformset_factory(
        ActivityPattern,
        PatternStep,
        form=StepForm,
        formset=base,
        extra=2,
        can_delete=True,
        can_order=True,
    )


BriefStepFormSet = _step_formset(BriefStepFormSetBase)
InDepthStepFormSet = _step_formset(InDepthStepFormSetBase)


def step_formsets(
    data: Any, *, pattern: ActivityPattern
) -> tuple[BaseStepFormSet, BaseStepFormSet]:
    """The brief and in-depth formsets for one activity, bound to `data` if given."""
    return (
        BriefStepFormSet(data, instance=pattern, prefix="brief"),
        InDepthStepFormSet(data, instance=pattern, prefix="in_depth"),
    )


class SessionFocusForm(forms.Form):
    activities = InRangeModelMultipleChoiceField(
        label=_("Activities for this session"),
        queryset=ActivityPattern.objects.order_by("position", "id"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick what the session will practice. Leave all unticked for none."),
        error_messages={"invalid_choice": _("Pick activities from the list.")},
    )


class PostStatusForm(forms.Form):
    """The filter on a question activity's posts: ?status=open or ?status=answered."""

    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("All questions")), ("open", _("Still open")), ("answered", _("Answered"))],
        error_messages={
            "invalid_choice": _("“%(value)s” is not a choice here. Showing all questions instead.")
        },
    )

    def chosen(self) -> str:
        """The valid status, or "" for all. Call after is_valid()."""
        return getattr(self, "cleaned_data", {}).get("status", "")
