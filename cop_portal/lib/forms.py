"""How every form on the site renders (settings.FORM_RENDERER).

The site's labels have no colon after them ("Your reply", not "Your reply:"). Django
adds the form's `label_suffix` (":" by default) to every label; rather than each form
passing `label_suffix=""`, the renderer's bound fields leave it off, so a new form,
allauth's forms and `{{ form }}` all follow without thinking about it.
"""

from typing import Any

from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import SafeString


class UnsuffixedBoundField(BoundField):
    """A bound field whose <label> and <legend> have no suffix, unless a field or a
    caller asks for one explicitly."""

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
    """Django's own form templates, with labels that have no colon."""

    bound_field_class = UnsuffixedBoundField
