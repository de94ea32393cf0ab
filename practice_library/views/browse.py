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
    ActivityGuide,
    get_pattern_for_page,
    open_questions,
    pattern_posts,
    pattern_posts_count,
    patterns_with_counts,
    post_list_page,
    recent_posts,
)

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
    # Both read only if the kept part that shows them is rendered.
    page.object_list = post_list_page(page.object_list)
    return render(
        request,
        "practice_library/browse/pattern_detail.html",
        {
            "pattern": pattern,
            "guide": ActivityGuide(pattern),
            "status_form": status_form,
            "status": status,
            "page": page,
        },
        status=code,
    )
