"""Writes on posts and what each activity adds: replies, answers, reuses, sign-ups,
follows, visit requests and evidence.

Every function here is keyword-only and atomic. Each keeps `Post.search_document`
up to date when the text it covers changes, and sends its emails only after the
commit, so a rolled-back write never emails anyone. Who may do what is checked here
too (PermissionDenied), so no view can forget it; the views still fetch only what the
person may see (404 otherwise).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from cop_portal.lib.content_version import content_changed
from cop_portal.lib.dates import date_as
from cop_portal.lib.slugs import unique_slug
from cop_portal.lib.word_stems import singular_topic, topic_key
from practice_library.models import (
    ActivityPattern,
    Attachment,
    EvidenceItem,
    Follow,
    PatternKind,
    Post,
    PostLink,
    Reply,
    Reuse,
    Signup,
    Tag,
    VisitRequest,
)
from practice_library.models.post import State
from practice_library.notifications import notify_reply, notify_visit_request
from practice_library.selectors import tags_by_topic
from practice_library.services.counts import post_counts_refresh, posts_counts_refresh
from practice_library.services.search_index import posts_search_index_refresh
from practice_library.uploads import CheckedUpload
from sessions_app.models import Session

# The fields a post form may set, beyond tags, links, sessions and files.
COMMON_FIELDS = ("title", "body", "members_only")
PROJECT_SECTIONS = ("context", "problem", "tried", "outcome", "reusable")
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    PatternKind.QUESTION: (),
    PatternKind.ASSET: ("asset_url", "licence_note"),
    PatternKind.COORDINATION: ("deadline",),
    PatternKind.VISIT: ("site_name", "neighborhood", "visit_kind"),
    PatternKind.FEEDBACK: ("deadline",),
    PatternKind.ARGUMENT: (),
    PatternKind.PROJECT: PROJECT_SECTIONS,
    PatternKind.GAP: (),
    PatternKind.DISCUSSION: (),
}


# What the apps above keep of the tags members post under (the member directory's
# search index, on SQLite): they register at start-up a function told, in the same
# transaction, whose posts were published, retagged, hidden, deleted or removed. The
# library sits below them and may not call them.
AuthorsListener = Callable[..., None]
_authors_listeners: list[AuthorsListener] = []


def on_authors_posts_changed(listener: AuthorsListener) -> AuthorsListener:
    """Register `listener(*, author_ids: set[int])`; registering it twice keeps one. Call
    from an AppConfig.ready()."""
    if listener not in _authors_listeners:
        _authors_listeners.append(listener)
    return listener


def authors_posts_changed(*, author_ids: Iterable[int | None]) -> None:
    """Tell the registered listeners that these authors' findable posts or their tags
    may have changed.

    Side effects: those of the listeners (the directory's index rows of these authors).
    """
    ids = {author_id for author_id in author_ids if author_id is not None}
    if ids:
        for listener in _authors_listeners:
            listener(author_ids=ids)


class ActionRefused(ValidationError):
    """The action can't happen now (closed, wrong kind of post); the message says why."""

    status = 400


class PostLocked(ActionRefused):
    """An organizer locked the thread: no new replies."""

    status = 403


@dataclass(frozen=True)
class LinkData:
    url: str
    label: str = ""


def editable_fields(kind: str) -> tuple[str, ...]:
    return COMMON_FIELDS + KIND_FIELDS.get(kind, ())


def deadline_passed(post: Post) -> bool:
    """True once the deadline day is over, in the CoP's (Cleveland's) calendar."""
    return post.deadline is not None and timezone.localdate() > post.deadline


def _day(post: Post) -> str:
    return date_as(post.deadline, "DAY_DATE") if post.deadline else ""


def _require_author(post_or_reply: Post | Reply, user: Any, what: str) -> None:
    if post_or_reply.author_id is None or post_or_reply.author_id != user.pk:
        raise PermissionDenied(f"Only the person who wrote this {what} can do that.")


def _require_kind(post: Post, kind: str) -> None:
    if post.pattern.kind != kind:
        raise ActionRefused(_("This post doesn't offer that."))


# Tags and the search document


def tags_from_names(names: Iterable[str]) -> list[Tag]:
    """Tags spelled exactly so, reusing existing ones whatever their letter case and
    creating the missing ones with a unique slug: for data we load (reference and demo
    data, tests). What people type goes through `tags_for_names`.

    Side effects: may insert Tag rows."""
    tags: list[Tag] = []
    for name in names:
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            try:
                with transaction.atomic():
                    slug = unique_slug(Tag, name, fallback="tag", max_length=60)
                    tag = Tag.objects.create(name=name, slug=slug)
            except IntegrityError:
                # Someone created it at the same moment.
                tag = Tag.objects.get(name__iexact=name)
        tags.append(tag)
    return tags


def tags_for_names(names: Sequence[str]) -> list[Tag]:
    """The tags for names people typed or ticked (a post's tags, a member's topics), one
    vocabulary for posts and profiles: a name with the same word stems as an existing
    tag is that tag ("Meetings" is "meeting"; of several spellings, the most used);
    others become new tags, in lower case with acronyms kept, and singular when one
    word ("Budgets" → "budget", "SNAP" stays).

    Side effects: may insert Tag rows.
    """
    existing = tags_by_topic() if names else {}
    tags: list[Tag] = []
    for name in names:
        key = topic_key(name) or name.casefold()
        tag = existing.get(key)
        if tag is None:
            [tag] = tags_from_names([singular_topic(" ".join(name.split()))])
            existing[key] = tag
        if tag not in tags:
            tags.append(tag)
    return tags


def search_document_for(post: Post) -> str:
    """The plain text search looks through: title, body, tag names, project sections
    and the published replies, one part per line."""
    parts = [post.title, post.body]
    parts += [tag.name for tag in post.tags.all()]
    parts += [getattr(post, field) for field in PROJECT_SECTIONS]
    parts += list(post.replies.published().values_list("body", flat=True))
    return "\n".join(part for part in parts if part)


def post_refresh_search_document(*, post: Post) -> Post:
    """Recompute and save `post.search_document` (and, on PostgreSQL, its stored
    search vector; on SQLite, its row in the search index). Side effects: none beyond
    the save, which makes the pages kept for visitors stale (search results show the
    document)."""
    post.search_document = search_document_for(post)
    fields: dict[str, Any] = {"search_document": post.search_document}
    if connection.vendor == "postgresql":
        # The stored vector that the GIN index covers (migration 0003).
        fields["search_vector"] = SearchVector(Value(post.search_document), config="english")
    Post.objects.filter(pk=post.pk).update(**fields)
    posts_search_index_refresh(posts=Post.objects.filter(pk=post.pk))
    content_changed()  # update() sends no signal
    return post


def posts_refresh_search_vectors(*, posts: QuerySet[Post]) -> None:
    """Fill the stored search vectors of many posts at once from their documents (for
    rows written in bulk); on SQLite, which has no vectors, their rows in the search
    index instead."""
    if connection.vendor == "postgresql":
        posts.update(search_vector=SearchVector("search_document", config="english"))
    posts_search_index_refresh(posts=posts)
    content_changed()  # update() sends no signal


# Posts


def _save_links(post: Post, links: Iterable[LinkData]) -> None:
    PostLink.objects.bulk_create(
        PostLink(post=post, url=link.url, label=link.label) for link in links
    )
    content_changed()  # bulk_create sends no signals


def _save_attachments(post: Post, uploads: Iterable[CheckedUpload]) -> None:
    for upload in uploads:
        # The FileField's upload_to gives the stored file a generated name.
        Attachment.objects.create(
            post=post,
            file=upload.file,
            original_name=upload.original_name,
            content_type=upload.content_type,
            size=upload.size,
        )


def _delete_files_after_commit(names: list[str], storage: Any) -> None:
    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def post_create(
    *,
    author: Any,
    pattern: ActivityPattern,
    fields: dict[str, Any],
    tag_names: list[str],
    links: list[LinkData],
    sessions: Iterable[Session] = (),
    uploads: Iterable[CheckedUpload] = (),
) -> Post:
    """Publish a post under `pattern`.

    `fields` holds the model fields the pattern's kind uses (see `editable_fields`).
    Side effects: creates missing tags (`tags_for_names`), stores the attachments,
    makes the author follow the post (so they hear about replies), fills its search
    document, recounts its activity's and tags' stored counts and tells the apps above
    (`authors_posts_changed`: the directory's index of the author's post tags).
    """
    allowed = editable_fields(pattern.kind)
    post = Post(pattern=pattern, author=author, **{k: v for k, v in fields.items() if k in allowed})
    post.save()
    post.tags.set(tags_for_names(tag_names))
    post_counts_refresh(post=post)
    authors_posts_changed(author_ids=[post.author_id])
    post.sessions.set(sessions)
    _save_links(post, links)
    _save_attachments(post, uploads)
    Follow.objects.get_or_create(post=post, user=author)
    return post_refresh_search_document(post=post)


@transaction.atomic
def post_update(
    *,
    post: Post,
    editor: Any,
    fields: dict[str, Any],
    tag_names: list[str],
    links: list[LinkData],
    sessions: Iterable[Session] = (),
    uploads: Iterable[CheckedUpload] = (),
    remove_attachments: Iterable[Attachment] = (),
) -> Post:
    """Change the author's own post: text, kind fields, tags, links, sessions, files.

    Only the author may (organizers hide or lock instead of rewriting others' words).
    Side effects: creates missing tags (`tags_for_names`), stores new files and deletes
    removed ones from storage after the commit, refreshes the search document, recounts
    the stored counts of its activity and of its tags before and after, and tells the
    apps above (`authors_posts_changed`).
    """
    _require_author(post, editor, "post")
    for name in editable_fields(post.pattern.kind):
        if name in fields:
            setattr(post, name, fields[name])
    tags_before = list(post.tags.values_list("pk", flat=True))
    post.save()
    post.tags.set(tags_for_names(tag_names))
    post_counts_refresh(post=post, tag_ids=tags_before)
    authors_posts_changed(author_ids=[post.author_id])
    post.sessions.set(sessions)
    post.links.all().delete()
    _save_links(post, links)
    removed = list(post.attachments.filter(pk__in=[a.pk for a in remove_attachments]))
    if removed:
        storage = removed[0].file.storage
        names = [attachment.file.name for attachment in removed]
        Attachment.objects.filter(pk__in=[a.pk for a in removed]).delete()
        _delete_files_after_commit(names, storage)
    _save_attachments(post, uploads)
    return post_refresh_search_document(post=post)


@transaction.atomic
def post_delete(*, post: Post, by: Any) -> Post:
    """The author withdraws their post. It stays in the database (state "deleted") so
    an organizer can restore it. Side effects: recounts its activity's and tags' stored
    counts; tells the apps above (`authors_posts_changed`)."""
    _require_author(post, by, "post")
    post.state = State.DELETED
    post.save(update_fields=["state", "updated"])
    post_counts_refresh(post=post)
    authors_posts_changed(author_ids=[post.author_id])
    return post


# Replies


def _check_not_removed(post: Post) -> None:
    if post.is_removed:
        raise ActionRefused(_("Its author removed this post when they left, so it's closed."))


def _check_open_for_replies(post: Post) -> None:
    if not post.is_published:
        raise ActionRefused(_("This post is no longer open."))
    _check_not_removed(post)
    if post.is_locked:
        raise PostLocked(_("An organizer locked this thread, so it takes no new replies."))
    if post.pattern.kind == PatternKind.FEEDBACK and deadline_passed(post):
        raise ActionRefused(_("This request closed for feedback on %(day)s.") % {"day": _day(post)})


@transaction.atomic
def reply_create(*, post: Post, author: Any, body: str) -> Reply:
    """Reply to a post.

    Refused on locked posts, on hidden, deleted or removed ones, and on feedback
    requests after their deadline. Side effects: the replier follows the post; the search
    document is refreshed; after the commit, the followers (the post's author among
    them) get an email, the replier doesn't.
    """
    post = Post.objects.select_for_update(of=("self",)).select_related("pattern").get(pk=post.pk)
    _check_open_for_replies(post)
    reply = Reply.objects.create(post=post, author=author, body=body)
    Follow.objects.get_or_create(post=post, user=author)
    post_refresh_search_document(post=post)
    notify_reply(reply)
    return reply


def _check_own_live_reply(reply: Reply, user: Any) -> None:
    _require_author(reply, user, "reply")
    if not reply.is_published or not reply.post.is_published:
        raise ActionRefused(_("This reply can't be changed any more."))


@transaction.atomic
def reply_update(*, reply: Reply, editor: Any, body: str) -> Reply:
    """The author edits their reply. Side effects: refreshes the search document."""
    _check_own_live_reply(reply, editor)
    reply.body = body
    reply.save(update_fields=["body", "updated"])
    post_refresh_search_document(post=reply.post)
    return reply


@transaction.atomic
def reply_delete(*, reply: Reply, by: Any) -> Reply:
    """The author withdraws their reply (kept as "deleted"; the thread shows a
    placeholder). Side effects: if it was the accepted answer, the question is open
    again (and its activity's open questions recounted); refreshes the search document."""
    _check_own_live_reply(reply, by)
    reply.state = State.DELETED
    reply.save(update_fields=["state", "updated"])
    if Post.objects.filter(pk=reply.post_id, answer=reply).update(answer=None):
        post_counts_refresh(post=reply.post)
    post_refresh_search_document(post=reply.post)
    return reply


# What each activity adds


@transaction.atomic
def answer_set(*, post: Post, reply: Reply | None, by: Any) -> Post:
    """The question's author marks `reply` as the answer, or unmarks it (reply=None).

    Side effects: recounts the open questions of its activity.
    """
    _require_author(post, by, "question")
    _require_kind(post, PatternKind.QUESTION)
    if reply is not None:
        if reply.post_id != post.pk:
            raise ValueError("The answer must be a reply to this question.")
        if not reply.is_published:
            raise ActionRefused(_("Only a visible reply can be the answer."))
    post.answer = reply
    post.save(update_fields=["answer", "updated"])
    post_counts_refresh(post=post)
    return post


def _set_mark(model: type[Reuse | Signup | Follow], *, post: Post, user: Any, on: bool) -> bool:
    if on:
        model.objects.get_or_create(post=post, user=user)
    else:
        model.objects.filter(post=post, user=user).delete()
    return on


@transaction.atomic
def reuse_set(*, post: Post, user: Any, on: bool) -> bool:
    """ "I reused this" on an asset, or take it back. Side effects: none."""
    _require_kind(post, PatternKind.ASSET)
    if on:
        _check_not_removed(post)
    return _set_mark(Reuse, post=post, user=user, on=on)


@transaction.atomic
def signup_set(*, post: Post, user: Any, on: bool) -> bool:
    """ "Count me in" on a coordination post, or withdraw. Joining closes after the
    deadline day; withdrawing stays possible. Side effects: none."""
    _require_kind(post, PatternKind.COORDINATION)
    if on:
        _check_not_removed(post)
    if on and deadline_passed(post):
        raise ActionRefused(_("Sign-ups closed on %(day)s.") % {"day": _day(post)})
    return _set_mark(Signup, post=post, user=user, on=on)


@transaction.atomic
def follow_set(*, post: Post, user: Any, on: bool) -> bool:
    """Follow a post (email me about replies) or stop. Side effects: none."""
    return _set_mark(Follow, post=post, user=user, on=on)


@transaction.atomic
def visit_request_create(*, post: Post, requester: Any, message: str) -> VisitRequest:
    """Ask the host of a visit post for a visit.

    Side effects: after the commit, an email to the host with the requester's name,
    message and email address (the form tells the requester so).
    """
    _require_kind(post, PatternKind.VISIT)
    if post.author_id is None:
        raise ActionRefused(_("The host is no longer a member, so they can't be reached here."))
    if post.author_id == requester.pk:
        raise ActionRefused(_("This is your own post."))
    visit_request = VisitRequest.objects.create(post=post, requester=requester, message=message)
    notify_visit_request(visit_request, post.author)
    return visit_request


@transaction.atomic
def evidence_create(*, post: Post, author: Any, source: str, shows: str) -> EvidenceItem:
    """Add a piece of evidence to an argument. Side effects: none."""
    _require_kind(post, PatternKind.ARGUMENT)
    _check_not_removed(post)
    if post.is_locked:
        raise PostLocked(_("An organizer locked this thread, so it takes no new evidence."))
    return EvidenceItem.objects.create(post=post, author=author, source=source, shows=shows)


# A member leaves with "delete my posts"

# What a removed post keeps of its own words: none. Pattern, dates, members-only,
# state, lock and answer stay: they are the thread's, not the author's text.
REMOVED_POST_TEXT: dict[str, Any] = {
    "title": "",
    "body": "",
    "deadline": None,
    "asset_url": "",
    "licence_note": "",
    "site_name": "",
    "neighborhood": "",
    "visit_kind": "",
    **dict.fromkeys(PROJECT_SECTIONS, ""),
}


@transaction.atomic
def contributions_remove(*, author: Any) -> None:
    """Remove what `author` wrote in the library, for a member who leaves and asks for
    their posts to go, while keeping the threads, other people's words and every
    moderation record.

    Posts and replies are blanked, never deleted: deleting a post would take (CASCADE)
    the replies others wrote on it and the reports about it; deleting a reply would
    take its reports and move every later reply up, so the page numbers in links that
    emails already carry would point at the wrong replies. A blank row with no author
    (the user's deletion sets it to NULL afterwards) keeps nothing of theirs. Evidence
    items are deleted outright: nothing refers to them.

    Side effects:
    - their posts: title, body and every activity field blanked; links deleted; tags
      and related sessions taken off (so tag, session and "who knows what" pages drop
      them); attachment rows deleted and their files removed from storage after the
      commit; `removed_at` set. Lists and search leave them out (`visible_to`); the
      post's URL still shows the thread, as "removed by its author". Their state (a
      hidden post stays hidden), lock, members-only flag and answer are unchanged, as
      are the replies, evidence, follows, sign-ups and visit requests of others;
    - their replies, wherever they are: body blanked and `removed_at` set; published
      ones become "deleted" (a placeholder that keeps its place, left out of counts),
      hidden ones stay hidden; a question whose answer one was is open again, as when
      an author deletes a reply;
    - their evidence items are deleted;
    - the search document of every post touched is refreshed, the stored counts of
      their activities and tags recounted, and pages kept for visitors go stale.
    Reports (on their posts and replies, or filed by them) are all kept.
    """
    now = timezone.now()
    posts = Post.objects.filter(author=author)
    replies = Reply.objects.filter(author=author)
    touched = set(posts.values_list("pk", flat=True))
    touched.update(replies.values_list("post_id", flat=True))
    answered_by_them = set(Post.objects.filter(answer__author=author).values_list("pk", flat=True))
    tags_before = set(
        Post.tags.through.objects.filter(post__author=author).values_list("tag_id", flat=True)
    )

    attachments = list(Attachment.objects.filter(post__author=author))
    if attachments:
        storage = attachments[0].file.storage
        _delete_files_after_commit([attachment.file.name for attachment in attachments], storage)
        Attachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).delete()
    PostLink.objects.filter(post__author=author).delete()
    Post.tags.through.objects.filter(post__author=author).delete()
    Post.sessions.through.objects.filter(post__author=author).delete()
    posts.update(**REMOVED_POST_TEXT, removed_at=now, updated=now)

    Post.objects.filter(answer__author=author).update(answer=None, updated=now)
    replies.filter(state=State.PUBLISHED).update(state=State.DELETED)
    replies.update(body="", removed_at=now, updated=now)

    EvidenceItem.objects.filter(author=author).delete()

    for post in Post.objects.filter(pk__in=touched):
        post_refresh_search_document(post=post)
    posts_counts_refresh(
        posts=Post.objects.filter(pk__in=touched | answered_by_them), tag_ids=tags_before
    )
    authors_posts_changed(author_ids=[author.pk])
    # Bulk writes send no signals: make the pages kept for visitors stale ourselves.
    content_changed()
