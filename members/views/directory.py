"""The member directory, "who knows what" and "what are we missing".

All three are for signed-in members and show listed members only (see
members/selectors.py). Each costs a fixed number of queries, however many members.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from members import selectors
from members.forms.profile import DirectoryForm
from members.search import MemberSearch

MEMBERS_PER_PAGE = 24
GAPS_PER_PAGE = 20
# Topics offered when a search finds nobody.
RELATED_TOPICS_SHOWN = 8


@require_safe
@login_required
def directory(request: HttpRequest) -> HttpResponse:
    """Listed members, with search and filters from the query string: by name, or the
    best matches first, each card saying why it matched. A search that finds nobody
    suggests related topics.

    A filter naming a tag that doesn't exist answers 400 with the message by its field.
    """
    form = DirectoryForm(
        request.GET,
        expertise_tags=selectors.expertise_tags_of_listed(),
        interest_tags=selectors.interest_tags_of_listed(),
        neighborhoods=selectors.neighborhoods_of_listed(),
    )
    if not form.is_valid():
        context = {"form": form, "page": None, "filtered": True}
        return render(request, "members/directory/directory.html", context, status=400)
    data = form.cleaned_data
    search = MemberSearch(data["q"], viewer=request.user) if data["q"] else None
    profiles = selectors.directory(
        search=search,
        expertise=data["expertise"],
        interest=data["interest"],
        neighborhood=data["neighborhood"],
        page_size=MEMBERS_PER_PAGE,
    )
    paginator = Paginator(profiles, MEMBERS_PER_PAGE)
    filtered = any(data[name] for name in ("q", "expertise", "interest", "neighborhood"))
    if not filtered:
        # Stored: counting every listed member took longer than showing a page of them.
        paginator.count = selectors.listed_count()
    page = paginator.get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "filtered": filtered, "search": search}
    if search and page.object_list:
        search.explain(page.object_list)
    elif search:
        context["related_topics"] = selectors.related_topics(search, limit=RELATED_TOPICS_SHOWN)
    return render(request, "members/directory/directory.html", context)


@require_safe
@login_required
def who_knows_what(request: HttpRequest) -> HttpResponse:
    """Every topic listed members can be asked about, with how many claim it."""
    tags = selectors.who_knows_what()
    return render(request, "members/directory/who_knows_what.html", {"tags": tags})


@require_safe
@login_required
def gaps(request: HttpRequest) -> HttpResponse:
    """Topics asked about in the library that no listed member claims, most asked first."""
    missing = selectors.missing_expertise()
    page = Paginator(missing, GAPS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "members/directory/gaps.html", {"page": page})
