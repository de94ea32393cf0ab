"""Organizer pages: reword an activity and its steps; choose a session's focus activities."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cop_portal.lib.roles import organizer_required
from practice_library.forms.patterns import PatternForm, SessionFocusForm, step_formsets
from practice_library.models import ActivityPattern
from practice_library.services.patterns import pattern_update, session_focus_set
from sessions_app.models import Session


def _get_pattern_for_organizer(slug: str) -> ActivityPattern:
    return get_object_or_404(ActivityPattern, slug=slug)


@organizer_required
def pattern_edit(request: HttpRequest, slug: str) -> HttpResponse:
    pattern = _get_pattern_for_organizer(slug)
    data = request.POST if request.method == "POST" else None
    form = PatternForm(data, instance=pattern)
    brief, in_depth = step_formsets(data, pattern=pattern)
    # All three validated, so every mistake shows on the first try.
    valid = [form.is_valid(), brief.is_valid(), in_depth.is_valid()]
    if data is not None and all(valid):
        pattern_update(
            pattern=form.instance,
            related=form.cleaned_data["related"],
            brief_steps=brief.cleaned_steps(),
            in_depth_steps=in_depth.cleaned_steps(),
        )
        messages.success(request, _("“%(name)s” is saved.") % {"name": pattern.name})
        return redirect(pattern)
    return render(
        request,
        "practice_library/patterns/pattern_form.html",
        {"pattern": pattern, "form": form, "brief": brief, "in_depth": in_depth},
        status=400 if data is not None else 200,
    )


@organizer_required
def session_focus(request: HttpRequest, session_slug: str) -> HttpResponse:
    session = get_object_or_404(Session, slug=session_slug)
    current = list(session.focus_activities.values_list("pk", flat=True))
    # Not `request.POST or None`: unticking every box posts nothing, and that is a choice.
    data = request.POST if request.method == "POST" else None
    form = SessionFocusForm(data, initial={"activities": current})
    if data is not None and form.is_valid():
        activities = form.cleaned_data["activities"]
        session_focus_set(session=session, activities=activities)
        if activities:
            names = ", ".join(activity.name for activity in activities)
            messages.success(request, _("Focus activities saved: %(names)s.") % {"names": names})
        else:
            messages.success(request, _("This session no longer has focus activities."))
        return redirect(session)
    return render(
        request,
        "practice_library/patterns/session_focus.html",
        {"session": session, "form": form},
        status=400 if data is not None else 200,
    )
