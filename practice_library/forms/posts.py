"""Forms for posts, replies, what each activity adds, reports and moderation buttons."""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cop_portal.lib.dates import date_as
from cop_portal.lib.fields import InRangeModelMultipleChoiceField
from cop_portal.lib.markdown import render_markdown
from practice_library.forms.tags import TagFieldsMixin, TagsField
from practice_library.models import ActivityPattern, Attachment, EvidenceItem, PatternKind, Post
from practice_library.models.post import ReportReason, VisitKind
from practice_library.selectors import linkable_sessions
from practice_library.services.posts import (
    KIND_FIELDS,
    PROJECT_SECTIONS,
    LinkData,
    editable_fields,
)
from practice_library.uploads import (
    ALLOWED,
    MAX_FILES_PER_POST,
    CheckedUpload,
    check_upload,
    limits_in_words,
)
from sessions_app.models import Session

MAX_LINKS = 5
MAX_TAGS = 8
# How many of the most used topics the tags offer as chips to tick.
SUGGESTED_TAGS = 6
WEB_URL = URLValidator(schemes=["http", "https"])
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def _with_limit(message: str, limit: int) -> str:
    return message % {"limit": limit}


# A class-level help text with a number in it, translated when shown (a lazy string's
# own `%` would translate it once, at import, in English).
with_limit = lazy(_with_limit, str)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none were chosen)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        clean_one = super().clean
        if isinstance(data, list | tuple):
            return [clean_one(item, initial) for item in data if item]
        return [clean_one(data, initial)] if data else []


class SessionChoiceField(InRangeModelMultipleChoiceField):
    def label_from_instance(self, obj: Session) -> str:
        starts = timezone.localtime(obj.starts_at)
        return f"{obj.headline}, {date_as(starts, 'SHORT_WEEKDAY_DATE_LABEL')}"


def outline(template: str) -> list[str]:
    """The headings of an activity's post template ("## The situation"), as a hint."""
    return [line.lstrip("#").strip() for line in template.splitlines() if line.startswith("#")]


def parse_links(text: str) -> list[LinkData]:
    """One link a line, "label | https://…" or just the address."""
    links: list[LinkData] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        label, _bar, url = line.rpartition("|")
        label, url = label.strip(), url.strip()
        if SCHEME.match(url) and not url.lower().startswith(("http://", "https://")):
            raise ValidationError(
                _("Line %(number)s: links must start with https:// or http://.")
                % {"number": number}
            )
        if not SCHEME.match(url):
            url = f"https://{url}"
        try:
            WEB_URL(url)
        except ValidationError:
            raise ValidationError(
                _("Line %(number)s: “%(url)s” isn't a web address we can link to.")
                % {"number": number, "url": url[:60]}
            ) from None
        if len(url) > 500 or len(label) > 120:
            raise ValidationError(
                _("Line %(number)s is too long: labels up to 120 characters, addresses up to 500.")
                % {"number": number}
            )
        links.append(LinkData(url=url, label=label))
    if len(links) > MAX_LINKS:
        raise ValidationError(
            _("Add at most %(limit)s links (you gave %(count)s).")
            % {"limit": MAX_LINKS, "count": len(links)}
        )
    return links


class PostForm(TagFieldsMixin, forms.ModelForm):
    """A post under one pattern: the common fields plus those of the pattern's kind.

    It never saves: the view hands `post_fields()` and the cleaned extras to the
    services. Pass `instance` to edit. The "Preview" button posts `preview`: the view
    then shows `preview_parts()` and saves nothing.
    """

    tags = TagsField(
        label=gettext_lazy("Tags"),
        add_label=gettext_lazy("Add tags"),
        limit=MAX_TAGS,
        suggested=SUGGESTED_TAGS,
        help_text=with_limit(
            gettext_lazy("Up to %(limit)s, separated by commas: for example “volunteers, youth”."),
            MAX_TAGS,
        ),
    )
    links = forms.CharField(
        label=gettext_lazy("Links"),
        required=False,
        max_length=3500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=with_limit(
            gettext_lazy("Up to %(limit)s, one a line: “Label | https://example.org/page”."),
            MAX_LINKS,
        ),
    )
    sessions = SessionChoiceField(
        label=gettext_lazy("Related sessions"),
        queryset=Session.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Sessions where this came up, or where it will."),
    )
    remove_attachments = InRangeModelMultipleChoiceField(
        label=gettext_lazy("Remove files"),
        queryset=Attachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attachments = MultipleFileField(
        label=gettext_lazy("Files"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": ",".join(f".{ext}" for ext in ALLOWED), "class": "file-picker"}
        ),
    )
    preview = forms.BooleanField(required=False)

    field_order = [
        "title",
        "body",
        *(name for names in KIND_FIELDS.values() for name in names),
        "tags",
        "links",
        "attachments",
        "remove_attachments",
        "sessions",
        "members_only",
    ]

    class Meta:
        model = Post
        fields = [
            "title",
            "body",
            "asset_url",
            "licence_note",
            "deadline",
            "site_name",
            "neighborhood",
            "visit_kind",
            *PROJECT_SECTIONS,
            "members_only",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 14}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "visit_kind": forms.RadioSelect,
            **{field: forms.Textarea(attrs={"rows": 4}) for field in PROJECT_SECTIONS},
        }
        # The model's own names for the rest ("title"), said here to be translated.
        labels = {
            "title": gettext_lazy("Title"),
            "body": gettext_lazy("Text"),
            "deadline": gettext_lazy("Deadline"),
            "neighborhood": gettext_lazy("Neighborhood"),
            "visit_kind": gettext_lazy("Visit kind"),
            "context": gettext_lazy("Context"),
            "problem": gettext_lazy("Problem"),
            "outcome": gettext_lazy("Outcome"),
            "members_only": gettext_lazy("Members only"),
        }
        help_texts = {
            "body": gettext_lazy(
                "Markdown: **bold**, lists, [links](https://example.org). "
                "Press Preview to see how it will look."
            )
        }
        error_messages = {
            "title": {
                "required": gettext_lazy("Give your post a title."),
                "max_length": gettext_lazy("Keep the title to %(limit_value)d characters."),
            },
            "body": {"max_length": gettext_lazy("Keep the text to %(limit_value)d characters.")},
        }

    def __init__(self, *args: Any, pattern: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pattern = pattern
        self.kind = pattern.kind
        editing = self.instance.pk is not None
        keep = set(editable_fields(self.kind))
        for name in list(self.Meta.fields):
            if name not in keep:
                del self.fields[name]
        self._set_kind_rules()
        chosen = (
            list(self.instance.sessions.values_list("pk", flat=True))
            if editing
            else list(self.initial.get("sessions", []))
        )
        self.fields["sessions"].queryset = linkable_sessions(chosen=chosen)
        self.fields["attachments"].help_text = limits_in_words()
        if editing:
            self.fields["tags"].initial = [tag.name for tag in self.instance.tags.all()]
            self.fields["links"].initial = "\n".join(
                f"{link.label} | {link.url}" if link.label else link.url
                for link in self.instance.links.all()
            )
            self.fields["sessions"].initial = chosen
            self.fields["remove_attachments"].queryset = self.instance.attachments.all()
        else:
            del self.fields["remove_attachments"]
        self._set_guidance(pattern)

    def _set_guidance(self, pattern: ActivityPattern) -> None:
        """The activity's post template as guidance to write over, never as text to
        delete: the placeholder shows it in the empty box, the hint names its parts."""
        template = pattern.post_template.strip()
        if not template:
            return
        self.fields["body"].widget.attrs["placeholder"] = template
        parts = outline(template)
        if parts:
            self.fields["body"].help_text = (
                _("A shape that helps: %(parts)s.") % {"parts": " · ".join(parts)}
                + " "
                + str(self.fields["body"].help_text)
            )

    def _set_kind_rules(self) -> None:
        if self.kind in (PatternKind.COORDINATION, PatternKind.FEEDBACK):
            self.fields["deadline"].required = True
            self.fields["deadline"].error_messages["required"] = _("Choose the deadline.")
            self.fields["deadline"].help_text = (
                _("Sign-ups close after this day.")
                if self.kind == PatternKind.COORDINATION
                else _("Replies (the feedback) close after this day.")
            )
        if self.kind == PatternKind.VISIT:
            self.fields["site_name"].required = True
            self.fields["site_name"].error_messages["required"] = _("Name the program or site.")
            self.fields["visit_kind"].required = True
            self.fields["visit_kind"].choices = VisitKind.choices
            self.fields["visit_kind"].error_messages["required"] = _(
                "Say whether you offer or ask."
            )
        if self.kind == PatternKind.PROJECT:
            for name in ("problem", "outcome"):
                self.fields[name].required = True
                self.fields[name].error_messages["required"] = _("Every write-up needs this part.")
        if self.kind == PatternKind.GAP:
            tags = self.fields["tags"]
            tags.label = _("Wished-for skills")
            tags.add_label = _("Add skills")
            tags.help_text = _(
                "The wished-for skills: what the community is missing, as tags separated by "
                "commas (at least one, up to %(limit)s): for example “grant writing, Spanish”."
            ) % {"limit": MAX_TAGS}
        if self.kind == PatternKind.ASSET:
            self.fields["asset_url"].validators.append(WEB_URL)

    def clean_deadline(self) -> Any:
        deadline = self.cleaned_data.get("deadline")
        unchanged = self.instance.pk is not None and deadline == self.instance.deadline
        if deadline and not unchanged and deadline < timezone.localdate():
            raise ValidationError(_("The deadline can't be in the past."))
        return deadline

    def clean_links(self) -> list[LinkData]:
        return parse_links(self.cleaned_data.get("links", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.kind == PatternKind.GAP and "tags" not in self.errors and not cleaned.get("tags"):
            self.add_error("tags", _("Name at least one wished-for skill."))
        files = cleaned.get("attachments") or []
        checked: list[CheckedUpload] = []
        for file in files:
            try:
                checked.append(check_upload(file))
            except ValidationError as error:
                self.add_error("attachments", error)
        kept = 0
        if self.instance.pk is not None:
            removed = {a.pk for a in cleaned.get("remove_attachments") or []}
            kept = sum(1 for a in self.instance.attachments.all() if a.pk not in removed)
        if kept + len(files) > MAX_FILES_PER_POST:
            self.add_error(
                "attachments",
                ngettext(
                    "A post can carry at most %(limit)s file.",
                    "A post can carry at most %(limit)s files.",
                    MAX_FILES_PER_POST,
                )
                % {"limit": MAX_FILES_PER_POST},
            )
        if "attachments" not in self.errors:
            cleaned["attachments"] = checked
        return cleaned

    def post_fields(self) -> dict[str, Any]:
        """The model fields for the services (title, body, members-only, kind fields)."""
        return {name: self.cleaned_data[name] for name in editable_fields(self.kind)}

    @property
    def wants_preview(self) -> bool:
        """The Preview button was pressed (whatever else the form holds)."""
        return self.is_bound and bool(self["preview"].data)

    def preview_parts(self) -> list[tuple[str, str]]:
        """(label, HTML) of each Markdown field written so far, rendered by the same
        sanitizer as the post page: the text, and a write-up's sections."""
        names = [name for name in ("body", *PROJECT_SECTIONS) if name in self.fields]
        parts = []
        for name in names:
            text = getattr(self, "cleaned_data", {}).get(name)
            if isinstance(text, str) and text.strip():
                label = "" if name == "body" else str(self.fields[name].label)
                parts.append((label, render_markdown(text)))
        return parts


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your reply"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Markdown: **bold**, lists, [links](https://example.org)."),
        error_messages={
            "required": gettext_lazy("Write something before you send the reply."),
            "max_length": gettext_lazy(
                "Keep the reply to %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )


class ToggleForm(forms.Form):
    """A one-button form that sets something on or off: explicit, so a double tap is harmless."""

    ON = "on"
    OFF = "off"

    action = forms.ChoiceField(choices=[(ON, gettext_lazy("On")), (OFF, gettext_lazy("Off"))])

    @property
    def on(self) -> bool:
        return self.cleaned_data["action"] == self.ON


class ConfirmForm(forms.Form):
    """A confirmation button (delete, resolve) still goes through a form."""


class VisitRequestForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Your message to the host"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Who you are, what you'd like to see, and when suits you. "
            "Your email address will be shared with the host, so they can answer you."
        ),
        error_messages={
            "required": gettext_lazy("Write a short message for the host."),
            "max_length": gettext_lazy("Keep the message to %(limit_value)d characters."),
        },
    )


class EvidenceForm(forms.ModelForm):
    class Meta:
        model = EvidenceItem
        fields = ["source", "shows"]
        labels = {"source": gettext_lazy("Source")}
        widgets = {"shows": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "source": {
                "required": gettext_lazy("Say where the evidence comes from."),
                "max_length": gettext_lazy("Keep the source to %(limit_value)d characters."),
            },
            "shows": {
                "required": gettext_lazy("Say what the evidence shows."),
                "max_length": gettext_lazy("Keep this to %(limit_value)d characters."),
            },
        }


class ReportForm(forms.Form):
    """What's wrong, from a short list, and anything else the organizers should know
    (needed for "Something else")."""

    reason = forms.ChoiceField(
        label=gettext_lazy("What's wrong?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose what's wrong."),
            "invalid_choice": gettext_lazy("Choose one of the reasons listed."),
        },
    )
    details = forms.CharField(
        label=gettext_lazy("Anything the organizers should know?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Only the organizers see this. Needed for “Something else”."),
        error_messages={"max_length": gettext_lazy("Keep it to %(limit_value)d characters.")},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("reason") == ReportReason.OTHER and not cleaned.get("details", "").strip():
            self.add_error("details", _("Tell the organizers what the problem is."))
        return cleaned


class ReportActionForm(forms.Form):
    """The buttons on each open report: hide what it is about, or leave it up."""

    HIDE = "hide"
    DISMISS = "dismiss"

    # Sent by the button pressed, not typed: a hidden field as far as errors go.
    action = forms.ChoiceField(
        choices=[(HIDE, gettext_lazy("Hide it")), (DISMISS, gettext_lazy("Dismiss"))],
        widget=forms.HiddenInput,
        error_messages={
            "required": gettext_lazy("Choose Hide it or Dismiss."),
            "invalid_choice": gettext_lazy("Choose Hide it or Dismiss."),
        },
    )


class PostModerationForm(forms.Form):
    HIDE = "hide"
    RESTORE = "restore"
    LOCK = "lock"
    UNLOCK = "unlock"

    action = forms.ChoiceField(
        choices=[
            (HIDE, gettext_lazy("Hide")),
            (RESTORE, gettext_lazy("Restore")),
            (LOCK, gettext_lazy("Lock")),
            (UNLOCK, gettext_lazy("Unlock")),
        ]
    )


class ReplyModerationForm(forms.Form):
    HIDE = "hide"
    RESTORE = "restore"

    action = forms.ChoiceField(
        choices=[(HIDE, gettext_lazy("Hide")), (RESTORE, gettext_lazy("Restore"))]
    )
