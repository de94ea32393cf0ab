"""The profile form and the directory's search form."""

from typing import Any

from django import forms

from members.models import Profile, User
from members.services.profile import ProfileData
from practice_library.models import Tag

MAX_TAGS = 12
MAX_TAG_LENGTH = 50
NO_NULLS = "Take out the invisible control characters and try again."


def too_long(limit: int) -> str:
    return f"Keep this to {limit} characters (it has %(show_value)d)."


def parse_tag_names(text: str) -> list[str]:
    """Comma-separated names, spaces tidied, repeats (in any letter case) dropped.

    Raises ValidationError, in plain words, for a name that is too long or too many names.
    """
    names: list[str] = []
    seen: set[str] = set()
    for part in text.split(","):
        name = " ".join(part.split())
        if not name:
            continue
        if len(name) > MAX_TAG_LENGTH:
            raise forms.ValidationError(
                "“%(start)s…” is too long: keep each topic to %(limit)d characters.",
                code="tag_too_long",
                params={"start": name[:30], "limit": MAX_TAG_LENGTH},
            )
        if name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    if len(names) > MAX_TAGS:
        raise forms.ValidationError(
            "List at most %(limit)d topics (you gave %(count)d).",
            code="too_many_tags",
            params={"limit": MAX_TAGS, "count": len(names)},
        )
    return names


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


class ProfileForm(forms.ModelForm):
    """What a member tells others. It never saves: the view hands `profile_data()` to
    the profile_update service."""

    display_name = forms.CharField(
        label="Display name",
        max_length=User._meta.get_field("display_name").max_length,
        help_text="How other members see you, for example “Dana R.”",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Please enter the name other members will see."},
    )
    expertise = TagNamesField(
        label="What others can ask you about",
        help_text=(
            f"Topics separated by commas, up to {MAX_TAGS}: for example “grant writing, "
            "tenant rights”."
        ),
    )
    interests = TagNamesField(
        label="What you'd like to learn",
        help_text=f"Topics separated by commas, up to {MAX_TAGS}.",
    )

    field_order = [
        "display_name",
        "pronouns",
        "organization",
        "role",
        "neighborhood",
        "bio",
        "expertise",
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

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not self.is_bound:
            self.initial["display_name"] = user.display_name
            if self.instance.pk:
                self.initial["expertise"] = [tag.name for tag in self.instance.expertise.all()]
                self.initial["interests"] = [tag.name for tag in self.instance.interests.all()]
        for name, field in self.fields.items():
            limit = getattr(field, "max_length", None)
            if limit and name not in ("expertise", "interests"):
                field.error_messages["max_length"] = too_long(limit)
            field.error_messages["null_characters_not_allowed"] = NO_NULLS

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError("Please enter the name other members will see.")
        return name

    def clean_neighborhood(self) -> str:
        # One spelling of spaces, so the directory's neighborhood filter groups people.
        return " ".join(self.cleaned_data["neighborhood"].split())

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
    """

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        help_text="A name, an organization or words from what members say about themselves.",
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={"max_length": too_long(100), "null_characters_not_allowed": NO_NULLS},
    )
    expertise = FilterField(label="Knows about", max_length=60)
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
        self._set_choices("expertise", "Any topic", [(t.slug, t.name) for t in expertise_tags])
        self._set_choices("interest", "Any topic", [(t.slug, t.name) for t in interest_tags])
        self._set_choices("neighborhood", "Anywhere", [(n, n) for n in neighborhoods])

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

    def clean_expertise(self) -> Tag | None:
        return self._clean_tag("expertise")

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
