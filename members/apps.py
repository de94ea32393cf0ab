from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _search_index_prune_after_migrate(sender: AppConfig, using: str, **kwargs: Any) -> None:
    """`manage.py flush` sends post_migrate too: the directory's search index (not a
    model's table, so never flushed) loses the rows of profiles that are gone."""
    from members.services.search_index import search_index_prune

    search_index_prune(using=using)


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
        post_migrate.connect(
            _search_index_prune_after_migrate, sender=self, dispatch_uid="members-search-index"
        )
        # The directory's search index holds the tags of each member's posts: the
        # library's post services tell it whose posts changed.
        from members.services.search_index import authors_search_refresh
        from practice_library.services.posts import on_authors_posts_changed

        on_authors_posts_changed(authors_search_refresh)
