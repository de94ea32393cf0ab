"""Pages everyone can see: the sessions list, past sessions, the calendar, session pages."""

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from cop_portal.lib.page_cache import shared_with_visitors
from cop_portal.lib.roles import is_organizer
from sessions_app.calendar_apps import subscribe_links
from sessions_app.feeds import public_feed_url
from sessions_app.forms.filters import MonthForm, SessionFilterForm
from sessions_app.models import Session, SessionQuerySet, Venue
from sessions_app.models.session import local_zone
from sessions_app.selectors import (
    group_by_month,
    in_calendar_range,
    kept_sessions_page,
    month_grid,
    sessions_in_month,
)
from sessions_app.views.session_page import session_page_context

UPCOMING_PER_PAGE = 30
PAST_PER_PAGE = 20


def _filter_form(request: HttpRequest) -> tuple[SessionFilterForm, dict[str, str], int]:
    """The filters from the query string, the valid ones to apply, and the page status.

    A bad value answers 400 with the message next to its field; the other filters
    still apply, so the page stays useful.
    """
    form = SessionFilterForm(request.GET)
    valid = form.is_valid()
    return form, form.filters(), 200 if valid else 400


def _paginated_list(
    request: HttpRequest,
    sessions: SessionQuerySet,
    *,
    per_page: int,
    template: str,
    context: dict[str, Any],
    status: int,
) -> HttpResponse:
    page = kept_sessions_page(sessions, request.GET.get("page"), per_page=per_page)
    context = {**context, "page": page, "months": group_by_month(page.object_list)}
    return render(request, template, context, status=status)


@require_safe
@shared_with_visitors
def session_list(request: HttpRequest) -> HttpResponse:
    form, filters, status = _filter_form(request)
    # Cancelled sessions stay on the list, marked with the reason, so that a month
    # is never silently missing.
    sessions = (
        Session.objects.public()
        .upcoming(timezone.now())
        .matching(**filters)
        .for_listing()
        .order_by("starts_at", "id")
    )
    return _paginated_list(
        request,
        sessions,
        per_page=UPCOMING_PER_PAGE,
        template="sessions_app/session_list.html",
        context={
            "form": form,
            "filtered": bool(filters),
            "feed": subscribe_links(public_feed_url(filters)),
        },
        status=status,
    )


@require_safe
@shared_with_visitors
def session_past(request: HttpRequest) -> HttpResponse:
    form, filters, status = _filter_form(request)
    sessions = (
        Session.objects.public()
        .past(timezone.now())
        .matching(**filters)
        .for_listing()
        .order_by("-starts_at", "-id")
    )
    return _paginated_list(
        request,
        sessions,
        per_page=PAST_PER_PAGE,
        template="sessions_app/session_past.html",
        context={
            "form": form,
            "filtered": bool(filters),
            "feed": subscribe_links(public_feed_url(filters)),
        },
        status=status,
    )


def _local_today() -> date:
    return timezone.localtime(timezone.now(), local_zone()).date()


def _render_month(
    request: HttpRequest,
    year: int,
    month: int,
    *,
    month_form: MonthForm | None = None,
    status: int = 200,
) -> HttpResponse:
    form, filters, filter_status = _filter_form(request)
    today = _local_today()
    # The month's sessions are read only if its table isn't kept (calendar.html).
    grid = month_grid(year, month, sessions_in_month(year, month, filters), today=today)
    query = urlencode(filters)
    context = {
        "form": form,
        "month_form": month_form or MonthForm.for_month(year, month),
        "grid": grid,
        "today": today,
        "filtered": bool(filters),
        "query": f"?{query}" if query else "",
        "feed": subscribe_links(public_feed_url(filters)),
    }
    return render(request, "sessions_app/calendar.html", context, status=max(status, filter_status))


@require_safe
@shared_with_visitors
def calendar(request: HttpRequest) -> HttpResponse:
    """This month, or, given ?month=YYYY-MM, a redirect to that month's own address."""
    today = _local_today()
    if "month" not in request.GET:
        return _render_month(request, today.year, today.month)
    month_form = MonthForm(request.GET)
    filter_form = SessionFilterForm(request.GET)
    if month_form.is_valid() and filter_form.is_valid():
        year, month = month_form.cleaned_data["month"]
        url = reverse("sessions:calendar-month", kwargs={"year": year, "month": month})
        query = urlencode(filter_form.filters())
        return redirect(f"{url}?{query}" if query else url)
    return _render_month(request, today.year, today.month, month_form=month_form, status=400)


@require_safe
@shared_with_visitors
def calendar_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    if not in_calendar_range(year, month):
        raise Http404("The calendar has no such month.")
    return _render_month(request, year, month)


def _get_session_for_user(request: HttpRequest, slug: str) -> Session:
    """Published and cancelled sessions for everyone; drafts for organizers only."""
    session = get_object_or_404(Session.objects.for_listing(), slug=slug)
    if session.is_draft and not is_organizer(request.user):
        raise Http404("No such session.")
    return session


@require_safe
@shared_with_visitors
def session_detail(request: HttpRequest, slug: str) -> HttpResponse:
    session = _get_session_for_user(request, slug)
    context = session_page_context(request, session)
    return render(request, "sessions_app/session_detail.html", context)


@require_safe
@shared_with_visitors
def accessibility(request: HttpRequest) -> HttpResponse:
    venues = Venue.objects.active()
    return render(request, "sessions_app/accessibility.html", {"venues": venues})
