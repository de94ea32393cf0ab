"""The profile form and the directory's search form."""

from collections.abc import Iterable
from typing import Any

from django import forms

from cop_portal.lib.word_stems import topic_key
from members.models import Profile, User
from members.selectors import Topic, popular_topics, topic_vocabulary
from members.services.profile import ProfileData
from practice_library.models import Tag

MAX_TAGS = 12
MAX_TAG_LENGTH = 50
NO_NULLS = "Take out the invisible control characters and try again."


def too_long(limit: int) -> str:
    return f"Keep this to {limit} characters (it has %(show_value)d)."


def parse_tag_names(text: str) -> list[str]:
    """Comma-separated names, spaces tidied, repeats of a topic dropped ("Meetings" and
    "meeting" are one). Raises ValidationError, in plain words, for a name that is too
    long or too many names."""
    return clean_topic_names(text.split(","))


def clean_topic_names(names: Iterable[str]) -> list[str]:
    """`names` with spaces tidied, blanks and repeats of a topic dropped (the first
    spelling stays). Raises ValidationError, in plain words, for a name that is too long
    or too many names."""
    kept: list[str] = []
    seen: set[str] = set()
    for part in names:
        name = " ".join(part.split())
        if not name:
            continue
        if len(name) > MAX_TAG_LENGTH:
            raise forms.ValidationError(
                "“%(start)s…” is too long: keep each topic to %(limit)d characters.",
                code="tag_too_long",
                params={"start": name[:30], "limit": MAX_TAG_LENGTH},
            )
        key = topic_key(name) or name.casefold()
        if key not in seen:
            seen.add(key)
            kept.append(name)
    check_topic_count(kept)
    return kept


def check_topic_count(names: list[str]) -> None:
    if len(names) > MAX_TAGS:
        raise forms.ValidationError(
            "List at most %(limit)d topics (you gave %(count)d).",
            code="too_many_tags",
            params={"limit": MAX_TAGS, "count": len(names)},
        )


class TagNamesField(forms.CharField):
    """Topics as comma-separated text; cleans to a list of names."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        # Room for MAX_TAGS names and their commas; parse_tag_names says what is wrong.
        kwargs.setdefault("max_length", MAX_TAGS * (MAX_TAG_LENGTH + 2))
        kwargs.setdefault(
            "error_messages",
            {
                "max_length": too_long(MAX_TAGS * (MAX_TAG_LENGTH + 2)),
                "null_characters_not_allowed": NO_NULLS,
            },
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[str]:
        return parse_tag_names(super().clean(value))

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(item) for item in value)
        return value


class TopicChoicesField(forms.MultipleChoiceField):
    """Topics as chips: a checkbox for each of the member's topics (ticked) and for a few
    suggested ones. Any topic name is accepted, since the suggestions change as members
    write; cleans to a list of names."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def valid_value(self, value: str) -> bool:
        return True  # clean_topic_names says what is wrong

    def clean(self, value: Any) -> list[str]:
        names = super().clean(value)
        if any("\x00" in name for name in names):
            raise forms.ValidationError(NO_NULLS, code="null_characters_not_allowed")
        return clean_topic_names(names)


# How many suggested topics are offered as chips under each list.
SUGGESTED_TOPICS = 8


class ProfileForm(forms.ModelForm):
    """What a member tells others. It never saves: the view hands `profile_data()` to
    the profile_update service.

    Expertise and interests come from one vocabulary of topics (members' and the
    library's, `topic_vocabulary`): the member's topics and the most used others are
    chips to tick, and new ones can be typed, with the vocabulary as suggestions.
    """

    display_name = forms.CharField(
        label="Display name",
        max_length=User._meta.get_field("display_name").max_length,
        help_text="How other members see you, for example “Dana R.”",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Please enter the name other members will see."},
    )
    expertise_picked = TopicChoicesField(label="What others can ask you about")
    expertise = TagNamesField(
        label="Add topics others can ask you about",
        help_text="Separate topics with commas, for example “grant writing, tenant rights”.",
        widget=forms.TextInput(attrs={"list": "topic-suggestions", "autocomplete": "off"}),
    )
    interests_picked = TopicChoicesField(label="What you'd like to learn")
    interests = TagNamesField(
        label="Add topics you'd like to learn",
        help_text="Separate topics with commas.",
        widget=forms.TextInput(attrs={"list": "topic-suggestions", "autocomplete": "off"}),
    )

    field_order = [
        "display_name",
        "pronouns",
        "organization",
        "role",
        "neighborhood",
        "bio",
        "expertise_picked",
        "expertise",
        "interests_picked",
        "interests",
        "preferred_contact",
        "listed",
        "contact_ok",
    ]

    class Meta:
        model = Profile
        fields = [
            "pronouns",
            "organization",
            "role",
            "neighborhood",
            "bio",
            "preferred_contact",
            "listed",
            "contact_ok",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, user: User, topics: list[Topic] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        self.topics = topic_vocabulary() if topics is None else topics
        popular = popular_topics(self.topics)
        for name in ("expertise", "interests"):
            current = [tag.name for tag in getattr(self.instance, name).all()]
            if not self.is_bound:
                self.initial["display_name"] = user.display_name
                self.initial[f"{name}_picked"] = current
            self._set_topic_choices(name, current, [topic.name for topic in popular])
        for name, field in self.fields.items():
            limit = getattr(field, "max_length", None)
            if limit and name not in ("expertise", "interests"):
                field.error_messages["max_length"] = too_long(limit)
            field.error_messages["null_characters_not_allowed"] = NO_NULLS

    def _set_topic_choices(self, name: str, current: list[str], popular: list[str]) -> None:
        """The chips: the member's topics, what they just ticked, then suggestions."""
        posted = self.data.getlist(f"{name}_picked") if hasattr(self.data, "getlist") else []
        # Re-shown after an error as they were ticked; anything odd is left to clean().
        posted = [t for t in posted[:MAX_TAGS] if len(t) <= MAX_TAG_LENGTH and "\x00" not in t]
        chips: dict[str, str] = {}
        for topic in [*current, *posted]:
            chips.setdefault(topic_key(topic) or topic, topic)
        suggested = 0
        for topic in popular:
            if suggested == SUGGESTED_TOPICS:
                break
            if (topic_key(topic) or topic) not in chips:
                chips[topic_key(topic) or topic] = topic
                suggested += 1
        self.fields[f"{name}_picked"].choices = [(topic, topic) for topic in chips.values()]

    @property
    def topic_names(self) -> list[str]:
        """The whole vocabulary, for the <datalist> of suggestions."""
        return [topic.name for topic in self.topics]

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError("Please enter the name other members will see.")
        return name

    def clean_neighborhood(self) -> str:
        # One spelling of spaces, so the directory's neighborhood filter groups people.
        return " ".join(self.cleaned_data["neighborhood"].split())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("expertise", "interests"):
            if name not in data or f"{name}_picked" not in data:
                continue
            try:
                data[name] = clean_topic_names([*data[f"{name}_picked"], *data[name]])
            except forms.ValidationError as error:
                self.add_error(name, error)
        return data

    def profile_data(self) -> ProfileData:
        data = self.cleaned_data
        return ProfileData(
            display_name=data["display_name"],
            pronouns=data["pronouns"],
            organization=data["organization"],
            role=data["role"],
            neighborhood=data["neighborhood"],
            bio=data["bio"],
            expertise=data["expertise"],
            interests=data["interests"],
            preferred_contact=data["preferred_contact"],
            listed=data["listed"],
            contact_ok=data["contact_ok"],
        )


class FilterField(forms.CharField):
    """A drop-down whose choices the form sets per request; the form's clean_<name>
    checks the value, since a hand-made link can send anything."""

    widget = forms.Select

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "error_messages",
            {"max_length": "Pick one from the list.", "null_characters_not_allowed": NO_NULLS},
        )
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {}  # no maxlength on a <select>


class DirectoryForm(forms.Form):
    """The directory's search and filters, read from the query string.

    Tag filters name a tag by its slug; one that doesn't exist is an error next to its
    field (the page answers 400). Choices list what listed members actually give.
    `expertise` cleans to every spelling of its topic listed members claim.
    """

    q = forms.CharField(
        label="Search members",
        required=False,
        max_length=100,
        help_text="A topic such as “housing” or “meetings”, a name or an organization.",
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={"max_length": too_long(100), "null_characters_not_allowed": NO_NULLS},
    )
    expertise = FilterField(label="Knows about", max_length=60)

    FILTERS = ("expertise", "interest", "neighborhood")
    interest = FilterField(label="Wants to learn", max_length=60)
    neighborhood = FilterField(label="Neighborhood", max_length=80)

    def __init__(
        self,
        *args: Any,
        expertise_tags: list[Tag],
        interest_tags: list[Tag],
        neighborhoods: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.expertise_tags = expertise_tags
        self._set_choices("expertise", "Any topic", [(t.slug, t.name) for t in expertise_tags])
        self._set_choices("interest", "Any topic", [(t.slug, t.name) for t in interest_tags])
        self._set_choices("neighborhood", "Anywhere", [(n, n) for n in neighborhoods])

    @property
    def filtering(self) -> bool:
        """Whether a filter is chosen or wrong (the filters then show open)."""
        return any(self[name].value() or self.errors.get(name) for name in self.FILTERS)

    def _set_choices(self, name: str, blank: str, choices: list[tuple[str, str]]) -> None:
        self.fields[name].widget.choices = [("", blank), *choices]

    def _clean_tag(self, name: str) -> Tag | None:
        slug = self.cleaned_data[name]
        if not slug:
            return None
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            raise forms.ValidationError(
                "There is no topic “%(slug)s”. Pick one from the list, or choose “Any topic”.",
                code="unknown_tag",
                params={"slug": slug[:60]},
            )
        # A real tag that no listed member gives: keep it selected (no one matches).
        self._keep_choice(name, tag.slug, tag.name)
        return tag

    def _keep_choice(self, name: str, value: str, label: str) -> None:
        widget = self.fields[name].widget
        if all(choice != value for choice, _ in widget.choices):
            widget.choices = [*widget.choices, (value, label)]

    def clean_expertise(self) -> list[Tag]:
        tag = self._clean_tag("expertise")
        if tag is None:
            return []
        key = topic_key(tag.name)
        return [tag, *(t for t in self.expertise_tags if t != tag and topic_key(t.name) == key)]

    def clean_interest(self) -> Tag | None:
        return self._clean_tag("interest")

    def clean_neighborhood(self) -> str:
        neighborhood = " ".join(self.cleaned_data["neighborhood"].split())
        if not neighborhood:
            return ""
        for value, _ in self.fields["neighborhood"].widget.choices:
            if value and value.casefold() == neighborhood.casefold():
                return value  # the spelling in the list, so the select shows it chosen
        self._keep_choice("neighborhood", neighborhood, neighborhood)
        return neighborhood
