from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class RepliesSeenForm(forms.Form):
    """ "Mark as read": `until` is when the dashboard read the replies it showed."""

    until = forms.DateTimeField(widget=forms.HiddenInput)


class AccountDeleteForm(forms.Form):
    KEEP = "keep"
    DELETE = "delete"

    posts = forms.ChoiceField(
        label=_("Your posts and replies in the practice library"),
        choices=[
            (KEEP, _("Keep them for others to learn from, signed “a former member”")),
            (DELETE, _("Delete them, and your replies on other people's posts")),
        ],
        widget=forms.RadioSelect,
        initial=KEEP,
        help_text=_(
            "Deleting removes what you wrote. Other people's replies stay: your post "
            "shows as “removed by its author” above them."
        ),
    )
    confirm = forms.BooleanField(
        label=_("I understand that this deletes my account for good and can't be undone."),
        required=True,
        error_messages={"required": _("Tick the box to confirm that you want to leave.")},
    )

    @property
    def keep_posts(self) -> bool:
        return self.cleaned_data["posts"] == self.KEEP


def password_rules() -> str:
    """The password rules as one plain sentence, said from the validators in use
    (AUTH_PASSWORD_VALIDATORS), instead of Django's bullet list of them."""
    said = {
        password_validation.MinimumLengthValidator: _("at least %(min_length)s characters"),
        password_validation.NumericPasswordValidator: _("not only numbers"),
        password_validation.CommonPasswordValidator: _("not a common password"),
        password_validation.UserAttributeSimilarityValidator: _(
            "nothing like your name or email address"
        ),
    }
    validators = password_validation.get_default_password_validators()
    rules = [
        str(words) % vars(validator)
        for kind, words in said.items()
        for validator in validators
        if type(validator) is kind
    ]
    if not rules:
        return ""
    if len(rules) == 1:
        return gettext("Use %(rule)s.") % {"rule": rules[0]}
    if len(rules) == 2:
        return gettext("Use %(first)s and %(second)s.") % {"first": rules[0], "second": rules[1]}
    # A list of three or more: "a, b, and c".
    return gettext("Use %(list)s, and %(last)s.") % {
        "list": ", ".join(rules[:-1]),
        "last": rules[-1],
    }


class VerificationResendForm(forms.Form):
    """ "Resend the email" on the page that says a confirmation email is on its way:
    one button; whom to send it to comes from the sign-up in the browser's session."""


class WelcomeForm(forms.Form):
    """A new member's first choice: to be found in the directory, or not yet."""

    PROFILE = "profile"
    HOME = "home"

    listed = forms.BooleanField(
        label=_("List me in the member directory"),
        required=False,
        help_text=_(
            "Signed-in members can then find you and what you know. "
            "You can change this any time on your profile."
        ),
    )
    # The button pressed: "profile" (Save and fill in my profile) or anything else (home).
    then = forms.CharField(required=False, widget=forms.HiddenInput)

    @property
    def wants_profile(self) -> bool:
        return self.cleaned_data.get("then") == self.PROFILE
