from django import forms


class RepliesSeenForm(forms.Form):
    """ "Mark as read": `until` is when the dashboard read the replies it showed."""

    until = forms.DateTimeField(widget=forms.HiddenInput)


class AccountDeleteForm(forms.Form):
    KEEP = "keep"
    DELETE = "delete"

    posts = forms.ChoiceField(
        label="Your posts and replies in the practice library",
        choices=[
            (KEEP, "Keep them for others to learn from, signed “a former member”"),
            (DELETE, "Delete them, and your replies on other people's posts"),
        ],
        widget=forms.RadioSelect,
        initial=KEEP,
        help_text=(
            "Deleting removes what you wrote. Other people's replies stay: your post "
            "shows as “removed by its author” above them."
        ),
    )
    confirm = forms.BooleanField(
        label="I understand that this deletes my account for good and can't be undone.",
        required=True,
        error_messages={"required": "Tick the box to confirm that you want to leave."},
    )

    @property
    def keep_posts(self) -> bool:
        return self.cleaned_data["posts"] == self.KEEP
