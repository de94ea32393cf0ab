from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cop_portal.lib.models import TimeStampedModel
from practice_library.models import Tag
from practice_library.models.post import new_code


class Profile(TimeStampedModel):
    """What a member tells others about themselves. Their email is never part of it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="profile"
    )
    code = models.CharField(
        max_length=16, unique=True, default=new_code, editable=False, help_text=_("Public id.")
    )
    pronouns = models.CharField(max_length=40, blank=True, help_text=_("For example “she/her”."))
    organization = models.CharField(
        max_length=120, blank=True, help_text=_("Block club, association, group or employer.")
    )
    role = models.CharField(max_length=120, blank=True, help_text=_("What you do there."))
    neighborhood = models.CharField(max_length=80, blank=True)
    bio = models.TextField(_("about you"), max_length=1000, blank=True)
    expertise = models.ManyToManyField(
        Tag, blank=True, related_name="experts", help_text=_("What others can ask you about.")
    )
    interests = models.ManyToManyField(
        Tag, blank=True, related_name="interested", help_text=_("What you'd like to learn.")
    )
    preferred_contact = models.CharField(
        _("how to reach you"),
        max_length=200,
        blank=True,
        help_text=_(
            "Shown to signed-in members, e.g. “message me after a session” or a phone "
            "number. Your email address is never shown."
        ),
    )
    listed = models.BooleanField(
        _("list me in the member directory"),
        default=False,
        help_text=_("Signed-in members can then find you by expertise and neighborhood."),
    )
    contact_ok = models.BooleanField(
        _("organizers may contact me"),
        default=False,
        help_text=_("About the CoP's work, e.g. to invite you to present at a session."),
    )
    replies_seen_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the member last looked at replies to their posts.")
    )
    # On PostgreSQL, the profile's topics and words as one weighted tsvector for the
    # directory search (members/search.py), kept in step by the profile services; NULL
    # on SQLite, which searches with a fallback.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["listed"]),
            # The directory search checks that each member it found is listed: by id,
            # without reading their (wide) profile row.
            models.Index(fields=["user", "listed"], name="members_profile_listed_by_id"),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("members:profile-detail", kwargs={"code": self.code})
