"""How every form on the site renders (settings.FORM_RENDERER).

The site's labels have no colon after them ("Your reply", not "Your reply:"). Django
adds the form's `label_suffix` (":" by default) to every label; rather than each form
passing `label_suffix=""`, the renderer's bound fields leave it off, so a new form,
allauth's forms and `{{ form }}` all follow without thinking about it.

The same goes for empty choices: Django offers "---------" in a select whose model field
may be blank or has no default; the renderer's bound fields say "Choose…" instead. A form
that means something by its empty choice ("No venue (online only)") sets its own label,
which is kept.
"""

from typing import Any

from django.db.models.fields import BLANK_CHOICE_DASH
from django.forms import BaseForm, ChoiceField, Field, Form, ModelChoiceField
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.choices import BlankChoiceIterator
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

EMPTY_CHOICE_LABEL = _("Choose…")
DJANGO_EMPTY_LABEL = BLANK_CHOICE_DASH[0][1]  # "---------"


def name_empty_choice(field: Field, label: str = EMPTY_CHOICE_LABEL) -> None:
    """Replace Django's "---------" in the field's choices with `label`.

    Touches only what costs nothing: a model choice field's `empty_label`, a model
    field's choices with Django's blank in front, and plain lists of choices. Choices
    from a callable or a query are left as they are (they would be computed or fetched
    just to look at their labels).
    """
    if isinstance(field, ModelChoiceField):
        if field.empty_label == DJANGO_EMPTY_LABEL:
            field.empty_label = label
        return
    if not isinstance(field, ChoiceField):
        return
    choices = field.choices
    if isinstance(choices, BlankChoiceIterator):
        # A model field's choices with Django's blank put in front (lazily, kept so).
        if list(choices.blank_choice) == BLANK_CHOICE_DASH:
            field.choices = BlankChoiceIterator(choices.choices, [("", label)])
        return
    if not isinstance(choices, list):
        return
    if any(value == "" and name == DJANGO_EMPTY_LABEL for value, name in field.choices):
        field.choices = [
            (value, label if value == "" and name == DJANGO_EMPTY_LABEL else name)
            for value, name in field.choices
        ]


class UnsuffixedBoundField(BoundField):
    """A bound field whose <label> and <legend> have no suffix, unless a field or a
    caller asks for one explicitly, and whose empty choice reads "Choose…"."""

    def __init__(self, form: Form, field: Field, name: str) -> None:
        # Each form holds its own copy of its fields, so this changes no other form.
        name_empty_choice(field)
        super().__init__(form, field, name)

    def label_tag(
        self,
        contents: str | None = None,
        attrs: dict[str, Any] | None = None,
        label_suffix: str | None = None,
        tag: str | None = None,
    ) -> SafeString:
        if label_suffix is None and self.field.label_suffix is None:
            label_suffix = ""
        return super().label_tag(contents, attrs, label_suffix, tag)


class FormRenderer(DjangoTemplates):
    """Django's own form templates, with labels that have no colon and empty choices
    that say "Choose…"."""

    bound_field_class = UnsuffixedBoundField


def mark_input_languages(form: BaseForm, columns: dict[str, str]) -> None:
    """Give each box of a text written per language (form field -> "<field>_<lang>"
    column) that language's `lang`, so browsers spell-check and screen readers speak
    what is typed there in it; the labels stay in the page's language."""
    for name, column in columns.items():
        form.fields[name].widget.attrs["lang"] = column.rsplit("_", 1)[1]
