"""Tags as chips, wherever people name topics: a post's tags (the post form and "Ask the
CoP") and a member's expertise and interests (the profile form). One vocabulary, so one
field, one parser and one look: templates/includes/tags_field.html, static/css/tags.css
and static/js/tags.js.

A tag field is a group of chips, each a checkbox (ticked: the tag is in), and a box to
type more, comma-separated, with the vocabulary as suggestions (a <datalist>). The chips
are the field's tags so far, then a few of the most used topics to tick. The form posts
`<name>_picked` (the ticked chips) and `<name>` (what is typed); the field cleans both to
one list of names, repeats of a topic dropped ("Meetings" and "meeting" are one). Saving
maps names to tags (`services.posts.tags_for_names`), reusing the vocabulary's spelling.

Without JavaScript, typed names become ticked chips whenever the form comes back (a
preview or an error); static/js/tags.js makes them chips as you type.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy

from cop_portal.lib.word_stems import topic_key
from practice_library.selectors import Topic, popular_topics

MAX_TAG_LENGTH = 50
NO_NULLS = gettext_lazy("Take out the invisible control characters and try again.")
# What the messages call one name, in the words of each field ("tag", "topic").
TOO_LONG = {
    "tag": gettext_lazy("“%(start)s…” is too long: keep each tag to %(limit)d characters."),
    "topic": gettext_lazy("“%(start)s…” is too long: keep each topic to %(limit)d characters."),
}
TOO_MANY = {
    "tag": gettext_lazy("Use at most %(limit)d tags (you gave %(count)d)."),
    "topic": gettext_lazy("Use at most %(limit)d topics (you gave %(count)d)."),
}
# How many of the vocabulary's topics, most used first, a field suggests as you type.
LISTED_SUGGESTIONS = 100
PICKED = "_picked"


def tidy(name: str) -> str:
    return " ".join(name.split())


def _key(name: str) -> str:
    return topic_key(name) or name.casefold()


def unique_topics(names: Iterable[str]) -> list[str]:
    """The names in order, the first spelling of each topic."""
    kept: dict[str, str] = {}
    for name in names:
        kept.setdefault(_key(name), name)
    return list(kept.values())


def parse_tag_names(names: Iterable[str], *, limit: int, noun: str = "tag") -> list[str]:
    """`names` with spaces tidied, blanks and repeats of a topic dropped (the first
    spelling stays). Raises ValidationError, in plain words, for a name with control
    characters or longer than MAX_TAG_LENGTH, or for more than `limit` names."""
    kept: list[str] = []
    for part in names:
        name = tidy(part)
        if not name:
            continue
        if "\x00" in name:
            raise ValidationError(NO_NULLS, code="null_characters_not_allowed")
        if len(name) > MAX_TAG_LENGTH:
            raise ValidationError(
                TOO_LONG.get(noun, TOO_LONG["tag"]),
                code="tag_too_long",
                params={"start": name[:30], "noun": noun, "limit": MAX_TAG_LENGTH},
            )
        kept.append(name)
    kept = unique_topics(kept)
    if len(kept) > limit:
        raise ValidationError(
            TOO_MANY.get(noun, TOO_MANY["tag"]),
            code="too_many_tags",
            params={"limit": limit, "noun": noun, "count": len(kept)},
        )
    return kept


@dataclass(frozen=True)
class PostedTags:
    """What a tag field posts: the ticked chips and the typed text."""

    picked: list[str] = field(default_factory=list)
    typed: str = ""


@dataclass(frozen=True)
class Chip:
    name: str
    ticked: bool
    id: str


class TagsInput(forms.TextInput):
    """The box for typing tags; it reads the ticked chips (`<name>_picked`) too."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> PostedTags:
        picked = data.getlist(name + PICKED) if hasattr(data, "getlist") else []
        typed = data.get(name)
        return PostedTags(
            picked=[value for value in picked if isinstance(value, str)],
            typed=typed if isinstance(typed, str) else "",
        )

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and name + PICKED not in data


class TagsBoundField(BoundField):
    """A tag field as its template shows it: `chips`, the typed text left (`value()`),
    and `suggestions` for the <datalist>."""

    @cached_property
    def _shown(self) -> tuple[list[str], str]:
        if self.form.is_bound:
            return self.field.fold(self.field.to_python(self.data))
        return unique_topics(self.field.to_python(self.initial).picked), ""

    @property
    def ticked(self) -> list[str]:
        """The names the chips show ticked: the tags as they will be saved."""
        return self._shown[0]

    @property
    def picked_name(self) -> str:
        return self.html_name + PICKED

    @property
    def datalist_id(self) -> str:
        return f"{self.auto_id}_suggestions" if self.auto_id else ""

    @property
    def vocabulary(self) -> list[Topic]:
        """The topics to suggest, most used first (read once per form, when shown)."""
        return getattr(self.form, "tag_vocabulary", [])

    @property
    def suggestions(self) -> list[str]:
        return [topic.name for topic in self.vocabulary[:LISTED_SUGGESTIONS]]

    @cached_property
    def chips(self) -> list[Chip]:
        """Ticked: the tags so far. Unticked: the field's own tags someone unticked (to
        tick again), then up to `field.suggested` of the most used topics."""
        chips: dict[str, tuple[str, bool]] = {}
        for name in self.ticked:
            chips.setdefault(_key(name), (name, True))
        if self.form.is_bound:
            for name in self.field.to_python(self.initial).picked:
                chips.setdefault(_key(name), (name, False))
        suggested = 0
        for topic in self.vocabulary:
            if suggested >= self.field.suggested:
                break
            if _key(topic.name) not in chips:
                chips[_key(topic.name)] = (topic.name, False)
                suggested += 1
        return [
            Chip(name, ticked, f"{self.auto_id}{PICKED}_{n}" if self.auto_id else "")
            for n, (name, ticked) in enumerate(chips.values())
        ]

    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        if self.datalist_id:
            attrs["list"] = self.datalist_id
        return attrs


class TagsField(forms.Field):
    """Tags as chips and typed names; cleans to a list of names (at most `limit`).

    `add_label` names the typing box (the field's label names the group), `noun` is what
    messages call one ("tag", "topic"), `suggested` how many popular topics are offered
    as chips to tick. The initial value is a list of names."""

    widget = TagsInput
    bound_field_class = TagsBoundField

    def __init__(
        self,
        *,
        limit: int,
        add_label: str,
        noun: str = "tag",
        suggested: int = 0,
        **kwargs: Any,
    ) -> None:
        self.limit = limit
        self.add_label = add_label
        self.noun = noun
        self.suggested = suggested
        # Room for `limit` names and their commas; the parser says what is wrong.
        self.max_length = limit * (MAX_TAG_LENGTH + 2)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "autocomplete": "off"}

    def to_python(self, value: Any) -> PostedTags:
        if isinstance(value, PostedTags):
            return value
        if isinstance(value, str):
            return PostedTags(typed=value)
        if isinstance(value, list | tuple):
            return PostedTags(picked=[str(name) for name in value])
        return PostedTags()

    def clean(self, value: Any) -> list[str]:
        posted = self.to_python(value)
        if len(posted.typed) > self.max_length:
            raise ValidationError(
                gettext_lazy("Keep this to %(limit)d characters (it has %(count)d)."),
                code="max_length",
                params={"limit": self.max_length, "count": len(posted.typed)},
            )
        names = parse_tag_names(
            [*posted.picked, *posted.typed.split(",")], limit=self.limit, noun=self.noun
        )
        if self.required and not names:
            raise ValidationError(self.error_messages["required"], code="required")
        return names

    def fold(self, posted: PostedTags) -> tuple[list[str], str]:
        """A form shown again: the names to show ticked, and the text left to type.
        Typed names join the ticked chips when they are fine on their own; otherwise they
        stay typed, beside their error."""
        showable = [
            tidy(name)
            for name in posted.picked[: self.limit * 2]
            if tidy(name) and len(tidy(name)) <= MAX_TAG_LENGTH and "\x00" not in name
        ]
        typed = posted.typed
        try:
            if len(typed) > self.max_length:
                raise ValidationError("too long")
            names = parse_tag_names(typed.split(","), limit=self.limit, noun=self.noun)
        except ValidationError:
            return unique_topics(showable), typed
        return unique_topics([*showable, *names]), ""

    def prepare_value(self, value: Any) -> str | None:
        """The typing box shows what is left to type (nothing at first)."""
        if isinstance(value, PostedTags):
            return self.fold(value)[1]
        return None

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.clean(data) != self.to_python(initial).picked
        except ValidationError:
            return True


class TagFieldsMixin:
    """For a form with tag fields: the vocabulary they suggest, most used first, read
    once and only when a field is shown (a form that saves and redirects never reads it)."""

    @cached_property
    def tag_vocabulary(self) -> list[Topic]:
        return popular_topics()
