"""Post pages: writing, reading, replying, and what each activity adds.

Who may read a post: everyone, once it is published; members-only posts send
visitors to sign in first; hidden and deleted posts are 404 for all but organizers.
Replies come in pages (`?page=`, oldest first); a link to a reply names its page.
Writes need a verified member and go through the services, which check ownership.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.core.validators import slug_re
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from cop_portal.lib.dates import date_as
from cop_portal.lib.page_cache import shared_with_visitors
from cop_portal.lib.roles import is_organizer
from cop_portal.mail.limits import sender_allowed
from practice_library.forms.ask import AskForm
from practice_library.forms.posts import (
    ConfirmForm,
    EvidenceForm,
    PostForm,
    ReplyForm,
    ToggleForm,
    VisitRequestForm,
)
from practice_library.models import (
    ActivityPattern,
    EvidenceItem,
    Follow,
    PatternKind,
    Post,
    Reply,
)
from practice_library.models.post import REPLIES_PER_PAGE, PostQuerySet, State
from practice_library.selectors import get_open_post, get_open_reply
from practice_library.services import posts as services
from practice_library.services.posts import ActionRefused, deadline_passed
from sessions_app.models import Session

View = Callable[..., HttpResponse]

# Each of these emails someone, so each member may only do so many an hour
# (MAIL_RATE_PER_SENDER, per action): past that, a 429 and nothing saved.
TOO_MANY = {
    "reply": gettext_lazy(
        "You've posted many replies in a short time. Please wait a while and "
        "post this one again; it is still here."
    ),
    "visit-request": gettext_lazy(
        "You've sent many visit requests in a short time. Please wait a "
        "while and send this one again."
    ),
    "report": gettext_lazy(
        "You've sent many reports in a short time. Please wait a while and send this one again."
    ),
}


def verified_member_required(view: View) -> View:
    """Visitors are sent to sign in; accounts without a verified email address get 403.

    Log-in already needs a verified address (allauth's mandatory verification); this
    holds even if that setting changes or an admin creates an account by hand.
    """

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not EmailAddress.objects.filter(user=request.user, verified=True).exists():
            return render(request, "practice_library/posts/unverified.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _post_queryset() -> PostQuerySet:
    return Post.objects.select_related("pattern", "author")


def _get_post_for_user(request: HttpRequest, code: str) -> Post | None:
    """The post if this person may read it, or None when a visitor must sign in first.

    Hidden and deleted posts are 404 except for organizers.
    """
    post = get_object_or_404(_post_queryset(), code=code)
    if not post.is_published and not is_organizer(request.user):
        raise Http404("No such post.")
    if post.members_only and not request.user.is_authenticated:
        return None
    return post


def _get_own_post(request: HttpRequest, code: str) -> Post:
    post = get_open_post(code)
    if post.author_id != request.user.pk:
        # Organizers included: they hide or lock, they don't rewrite others' words.
        raise PermissionDenied("Only the author can change this post.")
    return post


def _get_reply(post: Post, reply_id: int) -> Reply:
    return get_object_or_404(Reply.objects.select_related("author"), pk=reply_id, post=post)


def _reply_url(post: Post, reply: Reply) -> str:
    """The reply's page of the post, with its anchor (one query)."""
    return post.get_reply_url(reply.pk, position=Reply.objects.before(reply).count())


# Reading


def _render_post(
    request: HttpRequest,
    post: Post,
    *,
    status: int = 200,
    refusal: str = "",
    reply_form: ReplyForm | None = None,
    visit_form: VisitRequestForm | None = None,
    evidence_form: EvidenceForm | None = None,
) -> HttpResponse:
    """The post page, with one page of its replies (`?page=`; a bad or out-of-range
    number shows the first or last page, as the site's other lists do). A fixed number
    of queries, however many replies it has: at most 12 for a signed-in member,
    whatever the activity."""
    user = request.user
    lookups: list[str | Prefetch] = [
        "tags",
        "links",
        "attachments",
        Prefetch(
            "sessions", queryset=Session.objects.select_related("venue").order_by("starts_at")
        ),
    ]
    if post.pattern.kind == PatternKind.ARGUMENT:  # only arguments show evidence
        published = EvidenceItem.objects.filter(state=State.PUBLISHED)
        lookups.append(Prefetch("evidence", queryset=published.select_related("author")))
    signed_in = user.is_authenticated
    posts = Post.objects.filter(pk=post.pk)
    if signed_in:
        # Asked with the post, not in queries of their own.
        posts = posts.annotate(
            viewer_follows=Exists(Follow.objects.filter(post=OuterRef("pk"), user=user)),
            viewer_replied=Exists(Reply.objects.filter(post=OuterRef("pk"), author=user)),
        )
    post = (
        posts.select_related("pattern", "author")
        .with_reply_counts()
        .with_marks(post.pattern.kind, user)
        .prefetch_related(*lookups)
        .get()
    )
    kind = post.pattern.kind
    paginator = Paginator(post.replies.select_related("author"), REPLIES_PER_PAGE)
    paginator.count = post.reply_count  # counted with the post: no COUNT query of its own
    page = paginator.get_page(request.GET.get("page"))
    is_author = signed_in and post.author_id == user.pk
    context: dict[str, Any] = {
        "post": post,
        "kind": kind,
        # Read only if the list is rendered, not when it is kept already.
        "replies": page.object_list,
        "replies_kept_as": _replies_kept_as(user, post, page, is_author=is_author),
        "reply_page": page,
        "reply_page_range": paginator.get_elided_page_range(page.number, on_each_side=2),
        "answer_url": _answer_url(post, page.number),
        "published_reply_count": post.published_reply_count,
        "is_author": is_author,
        "is_organizer": is_organizer(user),
        "refusal": refusal,
        "deadline_passed": deadline_passed(post),
        "reply_form": reply_form or ReplyForm(),
    }
    if signed_in:
        context["following"] = post.viewer_follows
    if kind == PatternKind.ASSET:
        context["reuse_count"], context["reused"] = _marks(post)
    if kind == PatternKind.COORDINATION:
        context["signup_count"], context["signed_up"] = _marks(post)
    if kind == PatternKind.VISIT:
        context["visit_form"] = visit_form or VisitRequestForm()
    if kind == PatternKind.ARGUMENT:
        context["evidence_form"] = evidence_form or EvidenceForm()
    return render(request, "practice_library/posts/post_detail.html", context, status=status)


def _replies_kept_as(user: Any, post: Post, page: Page, *, is_author: bool) -> str:
    """Under what the page of replies (_reply_list.html) may be kept for this viewer,
    or "" to render it for them alone.

    The list shows nobody's own bits but the viewer's own: Edit and Delete on their own
    replies, and forms (with a CSRF token, never kept) for the post's author and for
    organizers. So visitors share one entry, and members another, named by their own
    replies on the page (most have none: they all share it, and the page is read only
    if it is not kept yet; `viewer_replied` is asked with the post).
    """
    if not user.is_authenticated:
        return "visitor"
    if is_author or is_organizer(user):
        return ""
    if not post.viewer_replied:
        return "member-"
    own = [str(reply.pk) for reply in page.object_list if reply.author_id == user.pk]
    return "member-" + "-".join(own)


def _answer_url(post: Post, page_number: int) -> str:
    """Where "Answered" leads: the answer's anchor, on its own page if not this one."""
    if post.answer_id is None:
        return ""
    if post.answer_position // REPLIES_PER_PAGE + 1 == page_number:
        return f"#reply-{post.answer_id}"
    return post.get_reply_url(post.answer_id, position=post.answer_position)


def _marks(post: Post) -> tuple[int, bool]:
    """How many people left this post's mark (a reuse, a sign-up), and whether the viewer
    did: read with the post (`with_marks`)."""
    return post.mark_count, getattr(post, "viewer_marked", False)


@require_safe
@shared_with_visitors
def post_detail(request: HttpRequest, code: str) -> HttpResponse:
    post = _get_post_for_user(request, code)
    if post is None:
        return redirect_to_login(request.get_full_path())
    return _render_post(request, post)


# Writing posts


def _form_page(
    request: HttpRequest, template: str, form: PostForm, context: dict[str, Any]
) -> HttpResponse:
    """A post form (new, edit, ask), and the preview when the Preview button sent it:
    nothing is saved, the form comes back as it was typed."""
    posted = request.method == "POST"
    previewing = posted and form.wants_preview
    context |= {
        "form": form,
        "previewing": previewing,
        "preview_parts": form.preview_parts() if previewing else [],
        # A browser can't be told which files to send again: say so.
        "files_not_kept": previewing and bool(request.FILES),
    }
    status = 400 if posted and form.errors else 200
    return render(request, template, context, status=status)


@verified_member_required
def ask(request: HttpRequest) -> HttpResponse:
    """ "Ask the CoP": a question filed under the question activity the asker picks, through
    the same service as every post."""
    form = AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not form.wants_preview:
        post = services.post_create(
            author=request.user,
            pattern=form.chosen_pattern(),
            fields=form.post_fields(),
            tag_names=form.cleaned_data["tags"],
            links=[],
        )
        messages.success(
            request, _("Your question is up. You follow it, so you'll hear about replies.")
        )
        return redirect(post)
    return _form_page(request, "practice_library/posts/ask.html", form, {})


@verified_member_required
def post_create(request: HttpRequest, slug: str) -> HttpResponse:
    pattern = get_object_or_404(ActivityPattern, slug=slug)
    form = PostForm(
        request.POST or None,
        request.FILES or None,
        pattern=pattern,
        initial=_initial_for_session(request.GET.get("session", "")),
    )
    if request.method == "POST" and form.is_valid() and not form.wants_preview:
        post = services.post_create(
            author=request.user,
            pattern=pattern,
            fields=form.post_fields(),
            tag_names=form.cleaned_data["tags"],
            links=form.cleaned_data["links"],
            sessions=form.cleaned_data["sessions"],
            uploads=form.cleaned_data["attachments"],
        )
        messages.success(request, _("Your post is up."))
        return redirect(post)
    return _form_page(request, "practice_library/posts/post_form.html", form, {"pattern": pattern})


def _initial_for_session(slug: str) -> dict[str, Any]:
    """?session=<slug>: notes from a session start out linked to it, with a title."""
    # Anything but a slug names no session; PostgreSQL would refuse a NUL in the query.
    is_slug = slug_re.match(slug[:90]) is not None
    session = Session.objects.published().filter(slug=slug[:90]).first() if is_slug else None
    if session is None:
        return {}
    day = timezone.localtime(session.starts_at).date()
    name = session.headline if session.has_topic else session.title
    return {
        "sessions": [session.pk],
        "title": _("Notes: %(name)s, %(day)s") % {"name": name, "day": date_as(day, "DAY_DATE")},
    }


@verified_member_required
def post_edit(request: HttpRequest, code: str) -> HttpResponse:
    post = _get_own_post(request, code)
    form = PostForm(
        request.POST or None, request.FILES or None, pattern=post.pattern, instance=post
    )
    if request.method == "POST" and form.is_valid() and not form.wants_preview:
        services.post_update(
            post=post,
            editor=request.user,
            fields=form.post_fields(),
            tag_names=form.cleaned_data["tags"],
            links=form.cleaned_data["links"],
            sessions=form.cleaned_data["sessions"],
            uploads=form.cleaned_data["attachments"],
            remove_attachments=form.cleaned_data.get("remove_attachments") or [],
        )
        messages.success(request, _("Your changes are saved."))
        return redirect(post)
    # The unsaved form may have changed the instance's title: show the saved one.
    saved = get_open_post(code)
    context = {"pattern": post.pattern, "post": saved}
    return _form_page(request, "practice_library/posts/post_form.html", form, context)


@verified_member_required
def post_delete(request: HttpRequest, code: str) -> HttpResponse:
    post = _get_own_post(request, code)
    if request.method == "POST" and ConfirmForm(request.POST).is_valid():
        services.post_delete(post=post, by=request.user)
        messages.success(request, f"“{post.title}” is deleted.")
        return redirect(post.pattern)
    context = {"post": post, "what": "post", "cancel_url": post.get_absolute_url()}
    return render(request, "practice_library/posts/confirm_delete.html", context)


# Replies


@verified_member_required
@require_POST
def reply_create(request: HttpRequest, code: str) -> HttpResponse:
    post = get_open_post(code)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _render_post(request, post, reply_form=form, status=400)
    if not sender_allowed(request, "reply"):
        form.add_error(None, TOO_MANY["reply"])
        return _render_post(request, post, reply_form=form, refusal=TOO_MANY["reply"], status=429)
    try:
        reply = services.reply_create(
            post=post, author=request.user, body=form.cleaned_data["body"]
        )
    except ActionRefused as refusal:
        form.add_error(None, refusal.message)
        return _render_post(
            request, post, reply_form=form, refusal=refusal.message, status=refusal.status
        )
    messages.success(request, _("Your reply is posted. You'll hear about new replies by email."))
    return redirect(_reply_url(post, reply))


@verified_member_required
def reply_edit(request: HttpRequest, code: str, reply_id: int) -> HttpResponse:
    post = get_open_post(code)
    reply = get_open_reply(post, reply_id)
    if reply.author_id != request.user.pk:
        raise PermissionDenied("Only the person who wrote this reply can change it.")
    form = ReplyForm(request.POST or None, initial={"body": reply.body})
    reply_url = _reply_url(post, reply)
    if request.method == "POST" and form.is_valid():
        services.reply_update(reply=reply, editor=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("Your reply is updated."))
        return redirect(reply_url)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "post": post, "reply": reply, "reply_url": reply_url}
    return render(request, "practice_library/posts/reply_form.html", context, status=status)


@verified_member_required
def reply_delete(request: HttpRequest, code: str, reply_id: int) -> HttpResponse:
    post = get_open_post(code)
    reply = get_open_reply(post, reply_id)
    if reply.author_id != request.user.pk:
        raise PermissionDenied("Only the person who wrote this reply can delete it.")
    # A deleted reply keeps its place (a placeholder), so the link stays right.
    reply_url = _reply_url(post, reply)
    if request.method == "POST" and ConfirmForm(request.POST).is_valid():
        services.reply_delete(reply=reply, by=request.user)
        messages.success(request, _("Your reply is deleted."))
        return redirect(reply_url)
    context = {"post": post, "reply": reply, "what": "reply", "cancel_url": reply_url}
    return render(request, "practice_library/posts/confirm_delete.html", context)


# What each activity adds


def _refused(request: HttpRequest, post: Post, refusal: ActionRefused) -> HttpResponse:
    return _render_post(request, post, refusal=refusal.message, status=refusal.status)


@verified_member_required
@require_POST
def answer_set(request: HttpRequest, code: str, reply_id: int) -> HttpResponse:
    """The question's author marks this reply as the answer, or unmarks it."""
    post = get_open_post(code)
    if post.author_id != request.user.pk:
        raise PermissionDenied("Only the person who asked can choose the answer.")
    reply = _get_reply(post, reply_id)
    form = ToggleForm(request.POST)
    if form.is_valid():
        try:
            if form.on:
                services.answer_set(post=post, reply=reply, by=request.user)
                messages.success(request, _("Marked as the answer."))
            elif post.answer_id == reply.pk:
                services.answer_set(post=post, reply=None, by=request.user)
                messages.success(request, _("The question is open again."))
        except ActionRefused as refusal:
            return _refused(request, post, refusal)
    return redirect(_reply_url(post, reply))


def _toggle(
    request: HttpRequest, code: str, service: Callable[..., bool], said: tuple[str, str]
) -> HttpResponse:
    post = get_open_post(code)
    form = ToggleForm(request.POST)
    if form.is_valid():
        try:
            on = service(post=post, user=request.user, on=form.on)
        except ActionRefused as refusal:
            return _refused(request, post, refusal)
        messages.success(request, said[0] if on else said[1])
    return redirect(post)


@verified_member_required
@require_POST
def follow_toggle(request: HttpRequest, code: str) -> HttpResponse:
    said = (_("You'll get an email about new replies."), _("You won't get emails about this post."))
    return _toggle(request, code, services.follow_set, said)


@verified_member_required
@require_POST
def reuse_toggle(request: HttpRequest, code: str) -> HttpResponse:
    said = (_("Thanks for saying you reused it."), _("Taken back."))
    return _toggle(request, code, services.reuse_set, said)


@verified_member_required
@require_POST
def signup_toggle(request: HttpRequest, code: str) -> HttpResponse:
    said = (_("You're counted in."), _("You're no longer counted in."))
    return _toggle(request, code, services.signup_set, said)


@verified_member_required
@require_POST
def visit_request_create(request: HttpRequest, code: str) -> HttpResponse:
    post = get_open_post(code)
    form = VisitRequestForm(request.POST)
    if not form.is_valid():
        return _render_post(request, post, visit_form=form, status=400)
    if not sender_allowed(request, "visit-request"):
        message = TOO_MANY["visit-request"]
        return _render_post(request, post, visit_form=form, refusal=message, status=429)
    try:
        services.visit_request_create(
            post=post, requester=request.user, message=form.cleaned_data["message"]
        )
    except ActionRefused as refusal:
        return _refused(request, post, refusal)
    messages.success(request, _("Your request is on its way to the host, with your email address."))
    return redirect(post)


@verified_member_required
@require_POST
def evidence_create(request: HttpRequest, code: str) -> HttpResponse:
    post = get_open_post(code)
    form = EvidenceForm(request.POST)
    if not form.is_valid():
        return _render_post(request, post, evidence_form=form, status=400)
    try:
        item = services.evidence_create(post=post, author=request.user, **form.cleaned_data)
    except ActionRefused as refusal:
        return _refused(request, post, refusal)
    messages.success(request, _("Your evidence is added."))
    return redirect(f"{post.get_absolute_url()}#evidence-{item.pk}")
