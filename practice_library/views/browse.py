"""The library's front pages: the eleven activities, and one activity's facilitator page."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from cop_portal.lib.page_cache import shared_with_visitors
from practice_library.forms.patterns import PostStatusForm
from practice_library.models import PatternKind
from practice_library.selectors import (
    get_pattern_for_page,
    open_questions,
    pattern_posts,
    pattern_posts_count,
    patterns_with_counts,
    recent_posts,
    steps_by_format,
)
from sessions_app.models import ConversationFormat

POSTS_PER_PAGE = 20


@require_safe
@shared_with_visitors
def library_home(request: HttpRequest) -> HttpResponse:
    # Read only if the template's kept part is rendered, not when it is kept already.
    user = request.user
    return render(
        request,
        "practice_library/browse/home.html",
        {
            "patterns": patterns_with_counts(user),
            "open_questions": SimpleLazyObject(lambda: open_questions(user)),
            "recent_posts": SimpleLazyObject(lambda: recent_posts(user)),
        },
    )


@require_safe
@shared_with_visitors
def pattern_detail(request: HttpRequest, slug: str) -> HttpResponse:
    pattern = get_pattern_for_page(slug)
    is_question = pattern.kind == PatternKind.QUESTION
    status_form = PostStatusForm(request.GET) if is_question else None
    status, code = "", 200
    if status_form is not None:
        if status_form.is_valid():
            status = status_form.chosen()
        else:
            # A bad filter still lists every question; the reason shows next to the field.
            code = 400
    paginator = Paginator(pattern_posts(pattern, request.user, status), POSTS_PER_PAGE)
    paginator.count = pattern_posts_count(pattern, request.user, status)
    page = paginator.get_page(request.GET.get("page"))
    steps = steps_by_format(pattern)
    brief = steps[ConversationFormat.BRIEF]
    in_depth = steps[ConversationFormat.IN_DEPTH]
    return render(
        request,
        "practice_library/browse/pattern_detail.html",
        {
            "pattern": pattern,
            "brief_steps": brief,
            "brief_total": sum(step.minutes for step in brief),
            "in_depth_steps": in_depth,
            "in_depth_total": sum(step.minutes for step in in_depth),
            "status_form": status_form,
            "status": status,
            "page": page,
        },
        status=code,
    )
