"""Tags as chips: the tags a form already has, each with a remove box, and a text input
to add more (comma-separated, with suggestions from a <datalist>).

Without JavaScript, typed names become chips whenever the form comes back (a preview or
an error); static/js/tags.js makes them chips as you type. Either way the form posts
`current_tags` (hidden, one per chip), `remove_tags` (the ticked boxes) and `tags` (what
is still typed), and cleans them to one list in `cleaned_data["tags"]`.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator

MAX_TAGS = 8
MAX_TAG_LENGTH = 50
SUGGESTIONS_ID = "tag-suggestions"


def tidy(name: str) -> str:
    return " ".join(name.split())


def check_tag(name: str) -> None:
    if len(name) > MAX_TAG_LENGTH:
        raise ValidationError(
            f"“{name[:30]}…” is too long: keep each tag to {MAX_TAG_LENGTH} characters."
        )


def parse_tags(text: str) -> list[str]:
    """Comma-separated names, spaces tidied, duplicates (in any letter case) dropped."""
    names: list[str] = []
    for part in text.split(","):
        name = tidy(part)
        if name:
            check_tag(name)
            names.append(name)
    names = unique(names)
    if len(names) > MAX_TAGS:
        raise ValidationError(f"Use at most {MAX_TAGS} tags (you gave {len(names)}).")
    return names


def unique(names: list[str]) -> list[str]:
    """The names in order, the first of each in any letter case."""
    seen: set[str] = set()
    kept = []
    for name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            kept.append(name)
    return kept


def _values(data: Any, key: str) -> list[str]:
    values = data.getlist(key) if hasattr(data, "getlist") else data.get(key, [])
    if isinstance(values, str):
        values = [values]
    return [value for value in values if isinstance(value, str)]


class TagNamesField(forms.Field):
    """Several tag names, one per value (the chips); each tidied and checked."""

    widget = forms.MultipleHiddenInput
    default_validators = [ProhibitNullCharactersValidator()]

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [tidy(str(v)) for v in values if tidy(str(v))]

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        for name in value:
            check_tag(name)

    def run_validators(self, value: list[str]) -> None:
        for name in value:
            super().run_validators(name)


class NamesField(forms.Field):
    """Any number of strings, never refused: the chips to drop are only ever compared
    with the chips, so a stray value just matches nothing."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value: Any) -> list[str]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        return [str(v) for v in values]


class TagChipsForm(forms.Form):
    """The tag fields, for a form to inherit (before ModelForm when it is one)."""

    tags = forms.CharField(
        label="Tags",
        required=False,
        max_length=600,
        help_text=f"Up to {MAX_TAGS}, separated by commas: for example “volunteers, youth”.",
        widget=forms.TextInput(attrs={"list": SUGGESTIONS_ID, "autocomplete": "off"}),
    )
    current_tags = TagNamesField(required=False)
    remove_tags = NamesField(required=False)

    # Fields the tag fragment renders itself, which a template's loop over fields skips.
    TAG_FIELDS = ("tags", "current_tags", "remove_tags")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self._fold_typed_tags()

    def _fold_typed_tags(self) -> None:
        """Typed names that pass the checks join the chips, and ticked chips go, so a
        form that comes back shows the tags as they will be saved."""
        data = self.data.copy()
        typed = data.get(self.add_prefix("tags"), "")
        if not isinstance(typed, str) or "\x00" in typed or len(typed) > 600:
            return
        try:
            names = parse_tags(typed)
        except ValidationError:
            return
        removed = {name.casefold() for name in _values(data, self.add_prefix("remove_tags"))}
        current = [tidy(name) for name in _values(data, self.add_prefix("current_tags"))]
        chips = unique([name for name in current if name.casefold() not in removed] + names)
        if hasattr(data, "setlist"):
            data.setlist(self.add_prefix("current_tags"), chips)
            data.setlist(self.add_prefix("remove_tags"), [])
        else:
            data[self.add_prefix("current_tags")] = chips
            data[self.add_prefix("remove_tags")] = []
        data[self.add_prefix("tags")] = ""
        self.data = data

    def chips(self) -> list[str]:
        """The tags shown as chips: those posted back, or the initial ones."""
        if self.is_bound:
            return [tidy(name) for name in _values(self.data, self.add_prefix("current_tags"))]
        return list(self["current_tags"].value() or [])

    def clean_tags(self) -> list[str]:
        return parse_tags(self.cleaned_data.get("tags", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "tags" in self.errors or "current_tags" in self.errors:
            return cleaned
        removed = {name.casefold() for name in cleaned.get("remove_tags") or []}
        kept = [
            name for name in cleaned.get("current_tags") or [] if name.casefold() not in removed
        ]
        names = unique(kept + cleaned.get("tags", []))
        if len(names) > MAX_TAGS:
            self.add_error("tags", f"Use at most {MAX_TAGS} tags (you gave {len(names)}).")
        else:
            cleaned["tags"] = names
        return cleaned
