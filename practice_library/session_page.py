"""The library's part of a session's page, contributed through sessions_app.contributions
(sessions_app sits below the library and never names its models or URLs).

In the main column: the activities the session runs, its notes (project write-ups linked
to it) and the other posts that came out of it, and, once it is over, an invitation to
members to write up notes. For organizers: a link to choose the focus activities.
"""

from django.http import HttpRequest

from practice_library.models import Post
from sessions_app.contributions import Contribution, contributes_to_session_page
from sessions_app.models import Session

# Write-ups of a session are posts under this activity.
NOTES_PATTERN = "documenting-projects"
# Enough to show what came out of a session without turning its page into the library.
POSTS_SHOWN = 6


@contributes_to_session_page("main")
def library_section(request: HttpRequest, session: Session) -> Contribution | None:
    """Two queries (activities, posts) and one more for tags when there are posts."""
    activities = list(session.focus_activities.all())  # type: ignore[attr-defined]
    posts = list(
        Post.objects.visible_to(request.user)
        .filter(sessions=session)
        .select_related("pattern", "author")
        .prefetch_related("tags")
        .order_by("-created", "-id")[:POSTS_SHOWN]
    )
    invite_notes = session.is_past and not session.is_cancelled and request.user.is_authenticated
    if not (activities or posts or invite_notes):
        return None
    return Contribution(
        template="practice_library/_session_page.html",
        context={
            "activities": activities,
            "notes": [post for post in posts if post.pattern.slug == NOTES_PATTERN],
            "posts": [post for post in posts if post.pattern.slug != NOTES_PATTERN],
            "invite_notes": invite_notes,
            "notes_pattern": NOTES_PATTERN,
        },
    )


@contributes_to_session_page("organizer")
def organizer_links(request: HttpRequest, session: Session) -> Contribution:
    return Contribution(template="practice_library/_session_page_organizer.html")
