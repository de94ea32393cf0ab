"""The profile form and the directory's search form."""

from typing import Any

from django import forms
from django.conf import settings
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cop_portal.lib.word_stems import topic_key
from members.models import Profile, User
from members.services.profile import ProfileData
from practice_library.forms.tags import NO_NULLS, TagFieldsMixin, TagsField
from practice_library.models import Tag

MAX_TAGS = 12
# How many of the most used topics each topic field offers as chips to tick.
SUGGESTED_TOPICS = 8


def too_long(limit: int) -> str:
    # Django fills in %(show_value)d when the message is shown.
    return format_lazy(_("Keep this to {limit} characters (it has %(show_value)d)."), limit=limit)


class ProfileForm(TagFieldsMixin, forms.ModelForm):
    """What a member tells others. It never saves: the view hands `profile_data()` to
    the profile_update service.

    Expertise and interests are tag fields (practice_library/forms/tags.py) over the one
    vocabulary of topics members and the library share: the member's topics and the most
    used others are chips to tick, and new ones can be typed, with the vocabulary as
    suggestions.
    """

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=User._meta.get_field("display_name").max_length,
        help_text=_("How other members see you, for example “Dana R.”"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Please enter the name other members will see.")},
    )
    # Also on Account settings; here because a member looks for it with the rest of
    # what is theirs. Left out of a post (an older form), the language stays as it is.
    language = forms.ChoiceField(
        label="Language / Idioma",
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("The portal's pages and our emails to you are in this language."),
        error_messages={"invalid_choice": _("Choose English or Spanish.")},
    )
    expertise = TagsField(
        label=_("What others can ask you about"),
        add_label=_("Add topics others can ask you about"),
        help_text=_("Separate topics with commas, for example “grant writing, tenant rights”."),
        limit=MAX_TAGS,
        noun="topic",
        suggested=SUGGESTED_TOPICS,
    )
    interests = TagsField(
        label=_("What you'd like to learn"),
        add_label=_("Add topics you'd like to learn"),
        help_text=_("Separate topics with commas."),
        limit=MAX_TAGS,
        noun="topic",
        suggested=SUGGESTED_TOPICS,
    )

    field_order = [
        "display_name",
        "language",
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
        # The fields whose model field has no verbose name of its own (the labels
        # Django would make from the field names can't be translated).
        labels = {
            "pronouns": _("Pronouns"),
            "organization": _("Organization"),
            "role": _("Role"),
            "neighborhood": _("Neighborhood"),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        if not self.is_bound:
            self.initial["display_name"] = user.display_name
            self.initial["language"] = user.language
        for name in ("expertise", "interests"):
            # The member's topics: ticked at first, and offered again if unticked.
            self.initial[name] = [tag.name for tag in getattr(self.instance, name).all()]
        for field in self.fields.values():
            limit = getattr(field, "max_length", None)
            if limit and not isinstance(field, TagsField):
                field.error_messages["max_length"] = too_long(limit)
            field.error_messages["null_characters_not_allowed"] = NO_NULLS

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter the name other members will see."))
        return name

    def clean_neighborhood(self) -> str:
        # One spelling of spaces, so the directory's neighborhood filter groups people.
        return " ".join(self.cleaned_data["neighborhood"].split())

    def profile_data(self) -> ProfileData:
        data = self.cleaned_data
        return ProfileData(
            display_name=data["display_name"],
            language=data.get("language") or None,
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


class FilterSelect(forms.Select):
    """A select written out in Python: Django renders a template per option, which was
    most of the directory's time (three selects with every topic and neighborhood)."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], flatatt(option["attrs"]), option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options
        )


class FilterField(forms.CharField):
    """A drop-down whose choices the form sets per request; the form's clean_<name>
    checks the value, since a hand-made link can send anything."""

    widget = FilterSelect

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "error_messages",
            {"max_length": _("Pick one from the list."), "null_characters_not_allowed": NO_NULLS},
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
        label=_("Search members"),
        required=False,
        max_length=100,
        help_text=_("A topic such as “housing” or “meetings”, a name or an organization."),
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={"max_length": too_long(100), "null_characters_not_allowed": NO_NULLS},
    )
    expertise = FilterField(label=_("Knows about"), max_length=60)

    FILTERS = ("expertise", "interest", "neighborhood")
    interest = FilterField(label=_("Wants to learn"), max_length=60)
    neighborhood = FilterField(label=_("Neighborhood"), max_length=80)

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
        self._set_choices("expertise", _("Any topic"), [(t.slug, t.name) for t in expertise_tags])
        self._set_choices("interest", _("Any topic"), [(t.slug, t.name) for t in interest_tags])
        self._set_choices("neighborhood", _("Anywhere"), [(n, n) for n in neighborhoods])

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
                _("There is no topic “%(slug)s”. Pick one from the list, or choose “Any topic”."),
                code="unknown_tag",
                params={"slug": slug[:60]},
            )
        # A real tag that no listed member gives: keep it selected (no one matches).
        self._keep_choice(name, tag.slug, tag.name)
        return tag

    def _keep_choice(self, name: str, value: str, label: str) -> None:
        widget = self.fields[name].widget
        if all(choice != value for choice, _label in widget.choices):
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
        for value, _label in self.fields["neighborhood"].widget.choices:
            if value and value.casefold() == neighborhood.casefold():
                return value  # the spelling in the list, so the select shows it chosen
        self._keep_choice("neighborhood", neighborhood, neighborhood)
        return neighborhood
