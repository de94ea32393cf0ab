""" "Ask the CoP": a question in three fields, filed under the right question activity."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from practice_library.forms.posts import PostForm
from practice_library.models import ActivityPattern
from practice_library.selectors import patterns_by_slug

# The question activities a question is filed under, each in the asker's words, in the
# order the form offers them: the first is the most asked, and preselected.
NEEDS = {
    "requests-for-information": gettext_lazy("I'm looking for information"),
    "problem-solving": gettext_lazy("I need help with a problem"),
    "seeking-experience": gettext_lazy("Who has done this before?"),
}


class AskForm(PostForm):
    """The post form cut down to a question: what kind of help, the question (the post's
    title), optional details and tags. The chosen activity comes back as `chosen_pattern()`;
    like the post form, it never saves."""

    need = forms.ChoiceField(
        label=gettext_lazy("What do you need?"),
        widget=forms.RadioSelect,
        help_text=gettext_lazy("It files your question with others like it. Any choice is fine."),
        error_messages={"required": gettext_lazy("Choose what kind of help you need.")},
    )

    field_order = ["title", "need", "body", "tags", "members_only"]
    DROPPED = ("links", "attachments", "sessions")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.patterns = patterns = patterns_by_slug(NEEDS)
        # Every choice is a question activity: their rules are the same.
        default = next(iter(patterns.values()))
        kwargs.setdefault("initial", {}).setdefault("need", default.slug)
        super().__init__(*args, pattern=default, **kwargs)
        for name in self.DROPPED:
            del self.fields[name]
        self.order_fields(self.field_order)
        self.fields["need"].choices = [(slug, NEEDS[slug]) for slug in patterns]
        title = self.fields["title"]
        title.label = _("Your question")
        title.widget.attrs["placeholder"] = _("Who can translate our flyer into Spanish?")
        title.error_messages["required"] = _("Write your question.")
        body = self.fields["body"]
        body.label = _("Details (optional)")
        body.widget.attrs.update(
            rows=6,
            placeholder=_(
                "What it's for, what you've tried, by when. Anything that helps people answer."
            ),
        )
        body.help_text = _("Markdown works: **bold**, lists, [links](https://example.org).")
        members_only = self.fields["members_only"]
        members_only.label = _("Only signed-in members can read it")
        members_only.help_text = _(
            "Leave it unticked and anyone who opens the library can read your question "
            "(members reply either way)."
        )

    def chosen_pattern(self) -> ActivityPattern:
        return self.patterns[self.cleaned_data["need"]]

    def post_fields(self) -> dict[str, Any]:
        return {
            "title": self.cleaned_data["title"],
            "body": self.cleaned_data["body"],
            "members_only": self.cleaned_data["members_only"],
        }
