"""Tag pages: every tag in use with its count, and one tag with its posts."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from cop_portal.lib.page_cache import shared_with_visitors
from practice_library.models import Tag
from practice_library.selectors import (
    post_list_page,
    tag_posts,
    tag_posts_count,
    tags_with_counts,
)

POSTS_PER_PAGE = 20
CLOUD_SIZES = 5


@require_safe
@shared_with_visitors
def tag_list(request: HttpRequest) -> HttpResponse:
    """Tags on posts this person may read, with how many; the busier, the bigger."""
    tags = list(tags_with_counts(request.user))
    most = max((tag.post_count for tag in tags), default=1)
    for tag in tags:
        # 1 to CLOUD_SIZES, in proportion to the busiest tag; a CSS class, not a style.
        tag.size = 1 + (tag.post_count - 1) * (CLOUD_SIZES - 1) // max(most - 1, 1)
    return render(request, "practice_library/tags/tag_list.html", {"tags": tags})


@require_safe
@shared_with_visitors
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The tag's posts that this person may read, newest first."""
    tag = get_object_or_404(Tag, slug=slug)
    paginator = Paginator(tag_posts(tag, request.user), POSTS_PER_PAGE)
    paginator.count = tag_posts_count(tag, request.user)
    page = paginator.get_page(request.GET.get("page"))
    # Read only if the kept list is rendered.
    page.object_list = post_list_page(page.object_list)
    return render(request, "practice_library/tags/tag_detail.html", {"tag": tag, "page": page})
