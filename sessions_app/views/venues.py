from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cop_portal.lib.roles import organizer_required
from sessions_app.forms.venues import VenueForm
from sessions_app.models import Venue
from sessions_app.services.venues import venue_create, venue_update


@organizer_required
@require_safe
def venue_list(request: HttpRequest) -> HttpResponse:
    venues = Venue.objects.all()
    return render(request, "sessions_app/venue_list.html", {"venues": venues})


@organizer_required
def venue_create_view(request: HttpRequest) -> HttpResponse:
    form = VenueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        venue = venue_create(fields=form.cleaned_data)
        messages.success(request, _("%(venue)s was added.") % {"venue": venue.name})
        return redirect("sessions:venue-list")
    return render(request, "sessions_app/venue_form.html", {"form": form}, status=_status(form))


@organizer_required
def venue_edit(request: HttpRequest, slug: str) -> HttpResponse:
    venue = get_object_or_404(Venue, slug=slug)
    form = VenueForm(request.POST or None, instance=venue)
    if request.method == "POST" and form.is_valid():
        venue_update(venue=venue, fields=form.cleaned_data)
        messages.success(request, _("%(venue)s was saved.") % {"venue": venue.name})
        return redirect("sessions:venue-list")
    return render(
        request,
        "sessions_app/venue_form.html",
        {"form": form, "venue": venue},
        status=_status(form),
    )


def _status(form: VenueForm) -> int:
    """400 when a submitted form has errors, so clients and tests can tell."""
    return 400 if form.is_bound and form.errors else 200
