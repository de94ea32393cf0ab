from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sessions_app.attendee_messages import Attending, Audience
from sessions_app.models import Session
from sessions_app.services.attendee_messages import DRAFT_REFUSED


class ActionField(forms.Field):
    """Which button was pressed: "send", or anything else for "preview" (a preview
    changes nothing, so an odd value is one)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> str:
        return "send" if value == "send" else "preview"


class AttendeeMessageForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("Send to"),
        choices=Audience.choices,
        initial=Audience.GOING,
        widget=forms.RadioSelect,
    )
    attend_as = forms.ChoiceField(
        label=_("Attending"),
        choices=Attending.choices,
        initial=Attending.EVERYONE,
        widget=forms.RadioSelect,
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=150,
        help_text=_("Say what it's about, as people will see it in their inbox."),
        error_messages={"required": _("Write a subject, so people know what it's about.")},
    )
    body = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Plain text; links work. Leave an empty line between paragraphs."),
        error_messages={"required": _("Write your message.")},
    )
    action = ActionField()
    # The preview's digest of the message (attendee_messages.message_digest), carried to
    # Send: a message changed since its preview is shown again rather than sent.
    digest = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, session: Session, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session = session
        if not (session.in_room and session.online):
            # One way to attend: the choice would only ever be "Everyone".
            del self.fields["attend_as"]

    @property
    def sending(self) -> bool:
        return self.cleaned_data.get("action") == "send"

    def clean_subject(self) -> str:
        # One line: it becomes an email header.
        return " ".join(self.cleaned_data["subject"].split())

    def clean(self) -> dict[str, Any] | None:
        if self.session.is_draft:
            raise forms.ValidationError(DRAFT_REFUSED, code="draft")
        cleaned = super().clean()
        if cleaned is not None:
            cleaned.setdefault("attend_as", Attending.EVERYONE.value)
        return cleaned
