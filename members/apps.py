from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members"

    def ready(self) -> None:
        # signals connects the receivers; account_mail registers the renderer of
        # allauth's emails with the outbox; topics adds listed members' topics to the
        # vocabulary the tag fields suggest.
        from cop_portal.mail import preferences
        from members import account_mail, signals, topics  # noqa: F401

        # Members' emails link to the page where they choose which emails they get.
        preferences.set_preferences_page("members:preferences")

        # allauth labels this field by its name, a word its catalogue never translates.
        from allauth.account.forms import RequestReauthenticationCodeForm
        from django.utils.translation import gettext_lazy as _

        RequestReauthenticationCodeForm.base_fields["recipient"].label = _("Recipient")
