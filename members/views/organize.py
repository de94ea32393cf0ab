"""Organizer pages about members: the list with its role buttons, and the contacts CSV."""

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from cop_portal.lib.csv_cells import csv_cell
from cop_portal.lib.roles import ORGANIZERS_GROUP, organizer_required
from members.forms.organize import MemberFilterForm, OrganizerRoleForm
from members.models import User
from members.services.roles import organizer_set

MEMBERS_PER_PAGE = 50
LIST_TEMPLATE = "members/organize/member_list.html"


# What a row shows: the list reads no more of the wide user and profile rows.
LISTED_FIELDS = (
    "display_name",
    "email",
    "is_active",
    "is_superuser",
    "date_joined",
    "profile__organization",
    "profile__neighborhood",
    "profile__contact_ok",
    "profile__listed",
)


def _role_action(query: str) -> tuple[str, str]:
    """The rows' role form address before and after the member's id (the list's query
    string last): the rows put the id in, so that the list resolves the URL once, not
    once a row."""
    url = reverse("members:organize-member-organizer", kwargs={"user_id": 0})
    before, after = url.rsplit("/0/", 1)
    return f"{before}/", f"/{after}?{query}" if query else f"/{after}"


def _members_for_listing() -> QuerySet[User]:
    """Every account with its profile and whether it is in the Organizers group, in one
    query. `in_organizers` is the group membership the buttons change; superusers
    organize without it."""
    in_group = Group.objects.filter(name=ORGANIZERS_GROUP, user=OuterRef("pk"))
    return (
        User.objects.select_related("profile")
        .only(*LISTED_FIELDS)
        .annotate(in_organizers=Exists(in_group))
        .order_by(Lower("display_name"), "pk")
    )


def _filtered(members: QuerySet[User], form: MemberFilterForm) -> QuerySet[User]:
    q = form.cleaned_data["q"]
    if q:
        members = members.filter(Q(display_name__icontains=q) | Q(email__icontains=q))
    if form.cleaned_data["organizers"]:
        members = members.filter(in_organizers=True)
    if form.cleaned_data["contact_ok"]:
        members = members.filter(profile__contact_ok=True)
    return members


def _kept_query(query: QueryDict) -> str:
    """The list's own parameters from `query`, url-encoded; anything else is dropped."""
    kept = QueryDict(mutable=True)
    for key in MemberFilterForm.KEEP:
        if query.get(key):
            kept[key] = query[key]
    return kept.urlencode()


def _render_list(request: HttpRequest, *, status: int = 200) -> HttpResponse:
    form = MemberFilterForm(request.GET)
    context: dict[str, Any] = {"form": form, "page": None, "filtered": False}
    if not form.is_valid():
        return render(request, LIST_TEMPLATE, context, status=400)
    members = _filtered(_members_for_listing(), form)
    context["page"] = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    context["filtered"] = any(form.cleaned_data.values())
    context["query"] = _kept_query(request.GET)
    context["role_before"], context["role_after"] = _role_action(context["query"])
    return render(request, LIST_TEMPLATE, context, status=status)


@organizer_required
@require_safe
def member_list(request: HttpRequest) -> HttpResponse:
    return _render_list(request)


@organizer_required
@require_POST
def member_organizer_view(request: HttpRequest, user_id: int) -> HttpResponse:
    """A row's make/remove button. The list's query string rides along in the form's
    action, so the organizer lands back on the same search and page."""
    person = get_object_or_404(User, pk=user_id)
    form = OrganizerRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Use the Make organizer or Remove organizer button."))
        return _render_list(request, status=400)
    try:
        changed = organizer_set(user=person, by=request.user, value=form.value)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _render_list(request, status=400)
    name = {"name": person}
    if not changed and form.value:
        messages.info(request, _("%(name)s was already an organizer; nothing changed.") % name)
    elif not changed:
        messages.info(request, _("%(name)s was not an organizer; nothing changed.") % name)
    elif form.value:
        messages.success(request, _("%(name)s is now an organizer.") % name)
    else:
        messages.success(request, _("%(name)s is no longer an organizer.") % name)
    query = _kept_query(request.GET)
    url = reverse("members:organize-members")
    return redirect(f"{url}?{query}" if query else url)


# In the organizer's language, as the attendee lists' headers are.
CSV_HEADER = [
    gettext_lazy("Name"),
    gettext_lazy("Email"),
    gettext_lazy("Organization"),
    gettext_lazy("Role"),
    gettext_lazy("Neighborhood"),
    gettext_lazy("Joined"),
]


@organizer_required
@require_safe
def member_contacts_csv(request: HttpRequest) -> HttpResponse:
    """Active members who said organizers may contact them, and only those."""
    members = (
        User.objects.filter(is_active=True, profile__contact_ok=True)
        .select_related("profile")
        .order_by(Lower("display_name"), "pk")
    )
    today = timezone.localdate()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cop-contacts-{today:%Y-%m-%d}.csv"'
    writer = csv.writer(response)
    writer.writerow(str(name) for name in CSV_HEADER)
    for member in members:
        profile = member.profile
        row = [
            member.display_name,
            member.email,
            profile.organization,
            profile.role,
            profile.neighborhood,
            timezone.localdate(member.date_joined).isoformat(),
        ]
        writer.writerow(csv_cell(value) for value in row)
    return response
