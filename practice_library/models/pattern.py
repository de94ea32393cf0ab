from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cop_portal.lib.models import TimeStampedModel
from sessions_app.models import ConversationFormat, Session


class PatternKind(models.TextChoices):
    """What posts under a pattern can do beyond title, body and replies."""

    QUESTION = "question", _("Question (open until a reply is marked as the answer)")
    ASSET = "asset", _("Reusable asset (file or link, licence, “I reused this”)")
    COORDINATION = "coordination", _("Coordination (“count me in” sign-ups with a deadline)")
    VISIT = "visit", _("Visit (offer or request, “request a visit”)")
    FEEDBACK = "feedback", _("Feedback request (with a deadline)")
    ARGUMENT = "argument", _("Argument (members add evidence)")
    PROJECT = "project", _("Project write-up (structured template)")
    GAP = "gap", _("Gap (wished-for knowledge and skills)")
    DISCUSSION = "discussion", _("Discussion")


class ActivityPattern(TimeStampedModel):
    """One of the eleven activities of a community of practice, laid out so a
    facilitator can run a session from its page."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(default=0, help_text=_("Order in the library."))
    kind = models.CharField(max_length=20, choices=PatternKind.choices)
    purpose = models.CharField(_("purpose in one line"), max_length=200)
    invitation = models.CharField(
        max_length=300, help_text=_("The question that opens the activity.")
    )
    when_to_use = models.TextField(blank=True)
    online_and_in_room = models.TextField(
        _("online and in the room"), blank=True, help_text=_("What changes between the two.")
    )
    group_size = models.CharField(max_length=120, blank=True)
    materials = models.TextField(blank=True)
    tips_and_traps = models.TextField(_("tips and traps"), blank=True, help_text=_("Markdown."))
    example_prompts = models.TextField(blank=True, help_text=_("One prompt per line."))
    post_template = models.TextField(
        blank=True, help_text=_("Markdown that pre-fills a new post's body, if any.")
    )
    related = models.ManyToManyField("self", blank=True, symmetrical=True)
    sessions = models.ManyToManyField(
        Session,
        blank=True,
        related_name="focus_activities",
        help_text=_("Sessions that run this activity."),
    )
    # Stored counts, kept true by the services that write posts (services/counts.py):
    # posts a member may read (published, not removed), of them those a visitor may
    # (not members-only), and the same two for questions still waiting for an answer.
    member_post_count = models.PositiveIntegerField(default=0, editable=False)
    public_post_count = models.PositiveIntegerField(default=0, editable=False)
    member_open_count = models.PositiveIntegerField(default=0, editable=False)
    public_open_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("library:pattern-detail", kwargs={"slug": self.slug})

    @property
    def prompts(self) -> list[str]:
        return [line.strip() for line in self.example_prompts.splitlines() if line.strip()]


class PatternStep(models.Model):
    """A step of the activity, timed for a brief or an in-depth session."""

    pattern = models.ForeignKey(ActivityPattern, on_delete=models.CASCADE, related_name="steps")
    format = models.CharField(max_length=10, choices=ConversationFormat.choices)
    position = models.PositiveSmallIntegerField(default=0)
    minutes = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["pattern", "format", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=240),
                name="practice_library_step_minutes_range",
                violation_error_message=_("A step lasts between 1 and 240 minutes."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.minutes} min: {self.text}"
