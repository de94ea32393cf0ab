"""A member's profile: editing one's own, and reading another's.

Profiles are for signed-in members only. An unlisted member's profile is 404 for other
members (only they and the organizers can open it). No page here shows an email address.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cop_portal.lib.roles import is_organizer
from members.forms.profile import ProfileForm
from members.models import Profile
from members.services.profile import profile_for, profile_update
from practice_library.models import Post, Tag
from practice_library.selectors import post_list

RECENT_POSTS_ON_PROFILE = 5


def _get_profile_for_user(request: HttpRequest, code: str) -> Profile:
    """The profile with its user and tags, if this member may see it (404 otherwise)."""
    tags = Tag.objects.order_by(Lower("name"), "id")
    profile = get_object_or_404(
        Profile.objects.select_related("user").prefetch_related(
            Prefetch("expertise", queryset=tags), Prefetch("interests", queryset=tags)
        ),
        code=code,
    )
    is_owner = profile.user_id == request.user.pk
    visible = profile.listed and profile.user.is_active
    if not (visible or is_owner or is_organizer(request.user)):
        raise Http404("No such member.")
    return profile


@require_safe
@login_required
def profile_detail(request: HttpRequest, code: str) -> HttpResponse:
    profile = _get_profile_for_user(request, code)
    posts = post_list(Post.objects.visible_to(request.user).filter(author=profile.user))
    context = {
        "profile": profile,
        "member": profile.user,
        "is_owner": profile.user_id == request.user.pk,
        "recent_posts": list(posts.order_by("-created", "-id")[:RECENT_POSTS_ON_PROFILE]),
    }
    return render(request, "members/profile/profile_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    """The member's own profile. Bad input answers 400 with the messages by the fields,
    and nothing is saved."""
    profile = profile_for(request.user)
    if request.method != "POST":
        form = ProfileForm(instance=profile, user=request.user)
        context = {"form": form, "profile": profile}
        return render(request, "members/profile/profile_form.html", context)
    form = ProfileForm(request.POST, instance=profile, user=request.user)
    if not form.is_valid():
        context = {"form": form, "profile": profile}
        return render(request, "members/profile/profile_form.html", context, status=400)
    profile = profile_update(user=request.user, data=form.profile_data())
    messages.success(request, _("Your profile is saved."))
    return redirect(profile)
