"""The library's search page: /library/search/?q=…&pattern=…&tag=…"""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from cop_portal.lib.page_cache import shared_with_visitors
from practice_library.models import ActivityPattern, Post, Tag
from practice_library.search import MAX_QUERY_LENGTH, LibrarySearch

RESULTS_PER_PAGE = 20
NO_NULLS = _("Take out the invisible control characters and try again.")


class SearchForm(forms.Form):
    """The query and its optional filters. Filters are checked against what exists
    without handing the raw value to the database first."""

    q = forms.CharField(
        label=_("Search the library"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text=_("Words from a post or its replies. Put a phrase in quotes."),
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={
            "max_length": _(
                "Keep your search under %(limit_value)d characters "
                "(it has %(show_value)d): a few words work best."
            ),
            "null_characters_not_allowed": NO_NULLS,
        },
    )
    pattern = forms.ChoiceField(
        label=_("Activity"),
        required=False,
        error_messages={
            "invalid_choice": _("There is no activity “%(value)s”. Pick one from the list."),
        },
    )
    tag = forms.SlugField(
        label=_("Tag"),
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("That is not a tag's name. Remove the tag filter and try again."),
            "null_characters_not_allowed": NO_NULLS,
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Whole guides: the search looks through their texts too (one query for both).
        self.patterns = {p.slug: p for p in ActivityPattern.objects.order_by("position", "id")}
        self.fields["pattern"].choices = [
            ("", _("All activities")),
            *((slug, pattern.name) for slug, pattern in self.patterns.items()),
        ]

    def clean_pattern(self) -> ActivityPattern | None:
        slug = self.cleaned_data["pattern"]
        return self.patterns[slug] if slug else None

    def clean_tag(self) -> Tag | None:
        slug = self.cleaned_data["tag"]
        if not slug:
            return None
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            raise forms.ValidationError(
                _("There is no tag “%(slug)s”. Remove the tag filter and try again."),
                code="unknown_tag",
                params={"slug": slug},
            )
        return tag


@require_safe
@shared_with_visitors
def search(request: HttpRequest) -> HttpResponse:
    """Ranked, highlighted matches among the posts this person may read.

    An empty query shows the prompt; a bad query or filter answers 400 with the
    message next to its field.
    """
    form = SearchForm(request.GET)
    context: dict[str, Any] = {"form": form, "searched": False, "page": None, "q": ""}
    if not form.is_valid():
        return render(request, "practice_library/search/search.html", context, status=400)
    q: str = form.cleaned_data["q"]
    context["q"] = q
    context["tag"] = form.cleaned_data["tag"]
    if q:
        context["results_query"] = _results_query(form)
        context["results_page"] = _page_number(request.GET.get("page"))
        library_search = LibrarySearch(q)
        # Read only when the kept list of results is rendered (a miss in the fragments
        # cache): most requests for a search someone made before read none of it.
        page = SimpleLazyObject(lambda: _results_page(request, form, library_search))
        context["searched"] = True
        context["page"] = page
        context["guides"] = SimpleLazyObject(
            lambda: library_search.guides(form.patterns.values()) if page.number == 1 else []
        )
    return render(request, "practice_library/search/search.html", context)


def _results_query(form: SearchForm) -> str:
    """The search as a query string from its cleaned values: what its kept results are
    keyed on (with the page number) and what their pagination links carry. The raw
    query string would keep a copy of the same results per spelling of it (extra
    parameters, spaces, `page=01`), which anyone could use to flush the fragments
    cache, and pass whatever it held on to the next readers' links."""
    params = {"q": form.cleaned_data["q"]}
    if pattern := form.cleaned_data["pattern"]:
        params["pattern"] = pattern.slug
    if tag := form.cleaned_data["tag"]:
        params["tag"] = tag.slug
    return urlencode(params)


def _page_number(page: str | None) -> int:
    """The page number as the paginator reads it: anything but an integer is page 1;
    0 stands for every number below 1, which all show the last page."""
    try:
        return max(int(page or 1), 0)
    except ValueError:
        return 1


def _results_page(request: HttpRequest, form: SearchForm, library_search: LibrarySearch) -> Page:
    """The page of matches asked for, each with its snippet."""
    posts = library_search.posts(
        Post.objects.visible_to(request.user),
        pattern=form.cleaned_data["pattern"],
        tag=form.cleaned_data["tag"],
        public_only=not request.user.is_authenticated,
    )
    paginator = Paginator(posts, RESULTS_PER_PAGE)
    if library_search.count is not None:
        paginator.count = library_search.count  # counted by the search
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = library_search.shown(page.object_list)
    for post in page.object_list:
        post.snippet = library_search.snippet(post)
    return page
