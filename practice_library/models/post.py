import html
import secrets
import uuid
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import connection, models
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cop_portal.lib.fields import HttpsURLField
from cop_portal.lib.markdown import render_markdown
from cop_portal.lib.models import TimeStampedModel
from cop_portal.lib.urls import reverse_slug
from practice_library.models.pattern import ActivityPattern, PatternKind
from sessions_app.models import Session

# The post page shows its replies in pages of this many, oldest first.
REPLIES_PER_PAGE = 50


def new_code() -> str:
    """A short opaque id for public URLs (about 48 random bits)."""
    return secrets.token_urlsafe(6)


class Tag(models.Model):
    """A topic: on posts, and (from the members app) as expertise and interests."""

    name = models.CharField(max_length=50)
    slug = models.SlugField(max_length=60, unique=True)
    # Stored counts, kept true by the services that write posts (services/counts.py):
    # posts with this tag a member may read (published, not removed), and of them those
    # a visitor may (not members-only).
    member_post_count = models.PositiveIntegerField(default=0, editable=False)
    public_post_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="practice_library_tag_name_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("library:tag-detail", kwargs={"slug": self.slug})


class State(models.TextChoices):
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden by an organizer")
    DELETED = "deleted", _("Deleted by its author")


class VisitKind(models.TextChoices):
    OFFER = "offer", _("Come and see us (an offer)")
    REQUEST = "request", _("We'd like to visit (a request)")


def walk_newest(field: str) -> Combinable:
    """`field` for a filter on a list of the newest posts, written so that the database
    walks the newest posts (library_post_state_created) and keeps the matching ones
    rather than looking the filter up in `field`'s index and sorting all it finds.

    SQLite picks an index by the filters alone, so there it is `field + 0`, which no
    index holds. PostgreSQL weighs both plans from its statistics and walks the newest
    posts itself when that is cheaper; `+ 0` only blinds it (no statistics on the sum,
    no index either): it read the whole table, 200 ms for the open questions at 50,000
    posts against 1 ms, so there it is the column itself.
    """
    return F(field) + 0 if connection.vendor == "sqlite" else F(field)


class PostQuerySet(models.QuerySet["Post"]):
    def published(self) -> "PostQuerySet":
        return self.filter(state=State.PUBLISHED)

    def visible_to(self, user: object) -> "PostQuerySet":
        """Published posts this person may find in lists and search: members-only ones
        need an account. Posts their author removed on leaving are left out: only their
        own URL still shows them (as a placeholder above the replies others wrote)."""
        posts = self.published().filter(removed_at__isnull=True)
        if not getattr(user, "is_authenticated", False):
            posts = posts.filter(members_only=False)
        return posts

    def open_questions(self) -> "PostQuerySet":
        """Questions still waiting for an answer.

        Written so SQLite can't look `answer` and `pattern` up in their indexes
        (`walk_newest`): with them, it gathers every unanswered post (most of them:
        only questions get answers) and sorts them all, 30 ms at 5,000 posts and 300 ms
        at 50,000; without them, it walks the newest posts (library_post_state_created)
        and stops at the first few open questions, well under a millisecond.
        """
        questions = ActivityPattern.objects.filter(kind=PatternKind.QUESTION).values("pk")
        return self.alias(
            answer_unindexed=walk_newest("answer_id"), pattern_unindexed=walk_newest("pattern_id")
        ).filter(answer_unindexed__isnull=True, pattern_unindexed__in=questions)

    def with_reply_counts(self) -> "PostQuerySet":
        """Adds `reply_count` (every reply, placeholders included: they take a place on
        the page), `published_reply_count`, and `answer_position` (how many replies come
        before the answer; 0 without one), as subqueries of the post's own query."""
        replies = Reply.objects.filter(post=OuterRef("pk"))
        before_answer = replies.filter(
            _earlier_than(OuterRef("answer__created"), OuterRef("answer_id"))
        )
        return self.annotate(
            reply_count=_count(replies),
            published_reply_count=_count(replies.published()),
            answer_position=_count(before_answer),
        )

    def with_marks(self, kind: str, user: object) -> "PostQuerySet":
        """For a reusable asset (reuses) or a coordination post (sign-ups), adds
        `mark_count`, how many people left that mark, and `viewer_marked`, whether
        `user` did, as subqueries of the post's own query; other kinds have no marks."""
        model = {PatternKind.ASSET: Reuse, PatternKind.COORDINATION: Signup}.get(kind)
        if model is None:
            return self
        marks = model.objects.filter(post=OuterRef("pk"))
        posts = self.annotate(mark_count=_count(marks))
        if getattr(user, "is_authenticated", False):
            posts = posts.annotate(viewer_marked=Exists(marks.filter(user=user)))
        return posts


# Read by the search alone, and long: a thread's document holds every reply (the longest
# run to hundreds of kilobytes at the benchmarks' scale 10), so lists of posts and the
# post page leave them in the database (Post.objects defers them; the search asks).
SEARCH_FIELDS = ("search_document", "search_vector")


class PostManager(models.Manager.from_queryset(PostQuerySet)):  # type: ignore[misc]
    def get_queryset(self) -> PostQuerySet:
        return super().get_queryset().defer(*SEARCH_FIELDS)


class Post(TimeStampedModel):
    """Something a member shares under one of the activity patterns."""

    code = models.CharField(max_length=16, unique=True, default=new_code, editable=False)
    pattern = models.ForeignKey(ActivityPattern, on_delete=models.PROTECT, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
        help_text=_("Empty when the author left and chose to keep their posts."),
    )
    title = models.CharField(max_length=160)
    body = models.TextField(max_length=20_000, blank=True, help_text=_("Markdown."))
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts")
    sessions = models.ManyToManyField(Session, blank=True, related_name="related_posts")
    members_only = models.BooleanField(
        default=False, help_text=_("Only signed-in members can read it.")
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PUBLISHED)
    is_locked = models.BooleanField(_("locked"), default=False, help_text=_("No new replies."))
    # Questions: open until the author marks a reply as the answer.
    answer = models.ForeignKey(
        "Reply", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Coordination and feedback requests.
    deadline = models.DateField(null=True, blank=True)
    # Reusable assets.
    asset_url = HttpsURLField(_("link to the asset"), max_length=500, blank=True)
    licence_note = models.CharField(
        _("permission or licence"),
        max_length=300,
        blank=True,
        help_text=_("How others may reuse it."),
    )
    # Visits.
    site_name = models.CharField(_("program or site"), max_length=160, blank=True)
    neighborhood = models.CharField(max_length=80, blank=True)
    visit_kind = models.CharField(max_length=10, choices=VisitKind.choices, blank=True)
    # Project write-ups (documenting projects).
    context = models.TextField(max_length=5000, blank=True)
    problem = models.TextField(max_length=5000, blank=True)
    tried = models.TextField(_("what we tried"), max_length=5000, blank=True)
    outcome = models.TextField(max_length=5000, blank=True)
    reusable = models.TextField(_("what others can reuse"), max_length=5000, blank=True)
    # Title, body, tags and replies in one text, for search (kept up to date by the services).
    search_document = models.TextField(blank=True, editable=False)
    # On PostgreSQL, search_document as a stored tsvector with a GIN index (migration
    # 0003), kept in step by the services; unused (NULL) on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    # Set when the author left and took their words along ("delete my posts"): the text
    # is blank, the thread and its moderation state stay (see contributions_remove).
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PostManager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["pattern", "state", "-created"]),
            # The library home's newest posts. SQLite needs its statistics (ANALYZE, run
            # by migrate and seed_demo) not to use it for one tag's or session's posts.
            models.Index(fields=["state", "-created", "-id"], name="library_post_state_created"),
        ]

    def __str__(self) -> str:
        return self.title or gettext("A post removed by its author")

    def get_absolute_url(self) -> str:
        return reverse_slug("library:post-detail", self.code, kwarg="code")

    @property
    def is_published(self) -> bool:
        return self.state == State.PUBLISHED

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def is_answered(self) -> bool:
        return self.answer_id is not None

    def get_reply_url(self, reply_id: int, *, position: int) -> str:
        """The link to a reply with `position` replies before it: its page, its anchor."""
        page = position // REPLIES_PER_PAGE + 1
        query = f"?page={page}" if page > 1 else ""
        return f"{self.get_absolute_url()}{query}#reply-{reply_id}"


def _earlier_than(created: object, pk: object) -> Q:
    """Replies before the one with this `created` and `pk`, in the page's order."""
    return Q(created__lt=created) | Q(created=created, pk__lt=pk)


def _count(rows: QuerySet[Any]) -> Coalesce:
    """How many rows `rows` holds, as a subquery (0 when none) for an annotation."""
    counted = rows.order_by().values("post").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


class ReplyQuerySet(models.QuerySet["Reply"]):
    def published(self) -> "ReplyQuerySet":
        return self.filter(state=State.PUBLISHED)

    def before(self, reply: "Reply") -> "ReplyQuerySet":
        """The replies shown before `reply` on its post's page (placeholders included)."""
        return self.filter(post_id=reply.post_id).filter(_earlier_than(reply.created, reply.pk))

    def with_position(self) -> "ReplyQuerySet":
        """Adds `position`, how many replies come before each, so that
        `get_absolute_url()` needs no query of its own in a list."""
        earlier = Reply.objects.filter(post=OuterRef("post")).filter(
            _earlier_than(OuterRef("created"), OuterRef("pk"))
        )
        return self.annotate(position=_count(earlier))


class Reply(TimeStampedModel):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
    )
    body = models.TextField(max_length=10_000, help_text=_("Markdown."))
    state = models.CharField(max_length=10, choices=State.choices, default=State.PUBLISHED)
    # Set when the author left and took their words along: the body is blank, the row
    # keeps its place in the thread, its reports and its moderation state.
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ReplyQuerySet.as_manager()

    class Meta:
        ordering = ["created", "id"]
        verbose_name_plural = _("replies")
        # One page of a post's replies, and the count of those before a reply.
        indexes = [
            models.Index(fields=["post", "created", "id"], name="library_reply_post_created")
        ]

    def __str__(self) -> str:
        return f"Reply to {self.post}"

    def get_absolute_url(self) -> str:
        """The reply on the post page: the page it falls on, and its anchor. Counts the
        replies before it (one query) unless fetched `with_position()`; reads `post`,
        so select it along in lists."""
        position = getattr(self, "position", None)
        if position is None:
            position = Reply.objects.before(self).count()
        return self.post.get_reply_url(self.pk, position=position)

    @property
    def is_published(self) -> bool:
        return self.state == State.PUBLISHED

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


def attachment_path(instance: "Attachment", filename: str) -> str:
    """A generated storage name: nothing of the uploader's file name reaches the disk."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"library/{uuid.uuid4().hex}{suffix}"


class Attachment(TimeStampedModel):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    code = models.CharField(max_length=16, unique=True, default=new_code, editable=False)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("library:attachment-download", kwargs={"code": self.code})


class PostLink(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="links")
    url = HttpsURLField(max_length=500)
    label = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label or self.url


class _PersonOnPost(models.Model):
    """One member's mark on a post (a reuse, a sign-up, a follow): once per person."""

    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} by {self.user_id} on {self.post_id}"  # type: ignore[attr-defined]


class Reuse(_PersonOnPost):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reuses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="practice_library_reuse_once"),
        ]


class Signup(_PersonOnPost):
    """ "Count me in" on a coordination post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signups"
    )

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="practice_library_signup_once"),
        ]


class Follow(_PersonOnPost):
    """Email me about replies to this post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="practice_library_follow_once"),
        ]


class VisitRequest(TimeStampedModel):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="visit_requests")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="visit_requests"
    )
    message = models.TextField(max_length=2000)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"Visit request for {self.post}"


class EvidenceItem(TimeStampedModel):
    """A piece of evidence for a building-an-argument post: where it's from, what it shows."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="evidence")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    source = models.CharField(max_length=300, help_text=_("A report, a link, a person, a count."))
    shows = models.TextField(_("what it shows"), max_length=2000)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PUBLISHED)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return self.source


class ReportReason(models.TextChoices):
    """What a member says is wrong, in a few words; `details` says the rest."""

    SPAM = "spam", _("Spam or advertising")
    HARASSMENT = "harassment", _("Harassment or a personal attack")
    PRIVATE = "private", _("Private information shared")
    OFF_TOPIC = "off_topic", _("Off-topic or misleading")
    OTHER = "other", _("Something else")


class ReportOutcome(models.TextChoices):
    HIDDEN = "hidden", _("Hidden")
    DISMISSED = "dismissed", _("Left up")


class ReportQuerySet(models.QuerySet["Report"]):
    def open(self) -> "ReportQuerySet":
        return self.filter(resolved_at__isnull=True)

    def about(self, *, post: Post, reply_id: int | None = None) -> "ReportQuerySet":
        """Reports about the post itself (no `reply_id`) or about one of its replies."""
        if reply_id is None:
            return self.filter(post=post, reply__isnull=True)
        return self.filter(post=post, reply_id=reply_id)

    def for_review(self) -> "ReportQuerySet":
        """With what the reports list and the organizers' email show: the post, the
        reporter, and the reply with its author and position (for its link)."""
        replies = Reply.objects.select_related("author", "post").with_position()
        return self.select_related("post", "reporter", "resolved_by").prefetch_related(
            models.Prefetch("reply", queryset=replies)
        )


class Report(TimeStampedModel):
    """A member flags a post or reply for the organizers."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=ReportReason.choices)
    details = models.TextField(max_length=1000, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(max_length=10, choices=ReportOutcome.choices, blank=True)
    # When the organizers' hourly email listed it (practice_library.notifications):
    # set in the transaction that queues that email, so each report is listed once.
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["resolved_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=ReportReason.values),
                name="practice_library_report_reason_is_a_choice",
            ),
            models.CheckConstraint(
                condition=~Q(reason=ReportReason.OTHER, details=""),
                name="practice_library_report_other_has_details",
            ),
            # Open with no outcome, or resolved with one.
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True, outcome="")
                | (Q(resolved_at__isnull=False) & ~Q(outcome="")),
                name="practice_library_report_outcome_when_resolved",
            ),
        ]

    def __str__(self) -> str:
        return f"Report on {self.reported}"

    @property
    def reported(self) -> Post | Reply:
        """What the report is about: the reply if there is one, else the post. Reads
        `reply` or `post`: select them along in lists."""
        return self.reply if self.reply_id is not None else self.post

    @property
    def excerpt(self) -> str:
        """The start of the reported words as plain text; blank when their author
        removed them."""
        return plain_excerpt(self.reported.body, EXCERPT_CHARS)


# How much of a reported post or reply the reports list and the organizers' email quote.
EXCERPT_CHARS = 200


def plain_excerpt(markdown: str, limit: int) -> str:
    """Markdown as one line of plain text, at most `limit` characters (ending in "…"
    when cut)."""
    text = " ".join(html.unescape(strip_tags(render_markdown(markdown))).split())
    return Truncator(text).chars(limit)
