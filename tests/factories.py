"""Plain functions that create test rows. Each returns one saved object."""

import itertools
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from cop_portal.lib.roles import ORGANIZERS_GROUP
from members.models import User
from sessions_app.models import Venue

PASSWORD = "a-long-test-passphrase-42"
_counter = itertools.count(1)


def make_user(*, email: str | None = None, verified: bool = True, **fields: Any) -> User:
    """A member who can log in with PASSWORD; their email is verified unless told not to."""
    n = next(_counter)
    email = email or f"member{n}@example.com"
    fields.setdefault("display_name", f"Member {n}")
    user = User.objects.create_user(email=email, password=PASSWORD, **fields)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


def make_organizer(**fields: Any) -> User:
    user = make_user(**fields)
    user.groups.add(Group.objects.get(name=ORGANIZERS_GROUP))
    return user


def make_venue(**fields: Any) -> Venue:
    n = next(_counter)
    defaults: dict[str, Any] = {
        "name": f"Venue {n}",
        "slug": f"venue-{n}",
        "address": f"{n} Euclid Avenue",
        "postal_code": "44103",
        "neighborhood": "Midtown/Hough",
        "capacity": 20,
    }
    defaults.update(fields)
    return Venue.objects.create(**defaults)


def make_series(
    *,
    title: str = "Community of Practice",
    starts_on: Any = None,
    recurrence: Any = None,
    venue: Venue | None = None,
    **fields: Any,
) -> Any:
    """A series in the demo's shape, saved with two slots and no sessions yet.

    Monthly on the third Wednesday from 2026-01-01 unless told otherwise. Slot A:
    evening 6:00-7:00 pm, brief, hybrid; slot B: daytime 11:30 am-1:30 pm, in-depth, hybrid.
    """
    from datetime import date

    from sessions_app.demo import demo_recurrence, demo_rotation
    from sessions_app.models import Series
    from sessions_app.services.series import series_save

    venue = venue or make_venue()
    series = Series(
        title=title,
        starts_on=starts_on or date(2026, 1, 1),
        recurrence=recurrence if recurrence is not None else demo_recurrence(),
        meeting_url="https://meet.example.org/cop",
        **fields,
    )
    slots = demo_rotation(venue)
    return series_save(series=series, slots=slots)


def make_session(*, save: bool = True, **fields: Any) -> Any:
    """A published, hybrid, hour-long evening session a week from now, at a new venue.

    Pass `starts_at` alone and the session still lasts an hour. With save=False the
    session is built but not saved, for `Session.objects.bulk_create`.
    """
    from datetime import timedelta

    from django.utils import timezone

    from sessions_app.models import (
        AttendanceMode,
        ConversationFormat,
        Session,
        SessionStatus,
        TimeOfDay,
    )

    n = next(_counter)
    starts_at = fields.pop("starts_at", None) or timezone.now() + timedelta(days=7)
    defaults: dict[str, Any] = {
        "title": f"Session {n}",
        "slug": f"session-{n}",
        "topic": "Keeping volunteers after the first meeting",
        "summary": "What brings people back a second time?",
        "time_of_day": TimeOfDay.EVENING,
        "format": ConversationFormat.BRIEF,
        "attendance_mode": AttendanceMode.HYBRID,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=1),
        "meeting_url": "https://meet.example.org/secret-room",
        "joining_instructions": "Dial 555-0100, passcode 4242.",
        "status": SessionStatus.PUBLISHED,
    }
    defaults.update(fields)
    if "venue" not in fields and defaults["attendance_mode"] != AttendanceMode.ONLINE:
        defaults["venue"] = make_venue()
    session = Session(**defaults)
    if save:
        session.save()
    return session


def _pattern_for_kind(kind: str) -> Any:
    """One activity pattern per kind, made on first use (for make_post)."""
    from practice_library.models import ActivityPattern

    pattern, _ = ActivityPattern.objects.get_or_create(
        slug=f"test-{kind}",
        defaults={
            "name": f"Test {kind}",
            "kind": kind,
            "purpose": f"A {kind} pattern for tests.",
            "invitation": "What would you like to share?",
        },
    )
    return pattern


def make_post(
    *,
    pattern: Any = None,
    kind: str = "discussion",
    author: User | None = None,
    tags: list[str] = (),  # type: ignore[assignment]
    **fields: Any,
) -> Any:
    """A published post under `pattern` (or a test pattern of `kind`), by a new member
    unless told. Like the post_create service, the author follows it, the search
    document is filled and the stored counts of its activity and tags are recounted;
    tags are created by name when missing. (A test that then changes the post's state,
    answer or tags by hand calls `post_counts_refresh(post=post)` and
    `authors_posts_changed(author_ids=[author.pk])`, or `counts_recount()`.)"""
    from practice_library.models import Follow, Post
    from practice_library.services.counts import post_counts_refresh
    from practice_library.services.posts import (
        authors_posts_changed,
        post_refresh_search_document,
        tags_from_names,
    )

    n = next(_counter)
    pattern = pattern or _pattern_for_kind(kind)
    author = author or make_user()
    fields.setdefault("title", f"Post {n}")
    fields.setdefault("body", f"What we learned, part {n}.")
    post = Post.objects.create(pattern=pattern, author=author, **fields)
    if tags:
        post.tags.set(tags_from_names(tags))
    Follow.objects.create(post=post, user=author)
    post_counts_refresh(post=post)
    authors_posts_changed(author_ids=[post.author_id])
    return post_refresh_search_document(post=post)


def make_reply(*, post: Any, author: User | None = None, **fields: Any) -> Any:
    """A published reply, saved directly (no email, no follow, search document untouched)."""
    from practice_library.models import Reply

    fields.setdefault("body", "Here is what worked for us.")
    return Reply.objects.create(post=post, author=author or make_user(), **fields)


def make_profile(
    *,
    user: User | None = None,
    listed: bool = True,
    expertise: list[str] = (),  # type: ignore[assignment]
    interests: list[str] = (),  # type: ignore[assignment]
    **fields: Any,
) -> Any:
    """A member's profile, listed in the directory unless told, saved directly (no
    service); expertise and interests are tag names, created when missing. Without a
    user, a new member is made, with `display_name` and `email` if given."""
    from members.models import Profile
    from practice_library.services.posts import tags_from_names

    if user is None:
        about_user = {key: fields.pop(key) for key in ("display_name", "email") if key in fields}
        user = make_user(**about_user)
    profile = Profile.objects.create(user=user, listed=listed, **fields)
    if expertise:
        profile.expertise.set(tags_from_names(expertise))
    if interests:
        profile.interests.set(tags_from_names(interests))
    # What the directory search reads on PostgreSQL, as the profile service keeps it.
    from members.services.profile import profiles_search_refresh

    profiles_search_refresh(profiles=Profile.objects.filter(pk=profile.pk))
    # Listed members per topic and per neighborhood, as the profile services keep them.
    from members.services.counts import (
        neighborhood_counts_refresh,
        topic_counts_refresh,
        topic_ids_of,
    )

    topic_counts_refresh(tag_ids=topic_ids_of(user=profile.user_id))
    neighborhood_counts_refresh(names={profile.neighborhood})
    return profile


def make_rsvp(
    session: Any,
    *,
    name: str = "",
    email: str = "",
    user: User | None = None,
    attend_as: str = "in-person",
    status: str = "going",
    checked_in_at: Any = None,
    checked_in_by: str = "",
    **fields: Any,
) -> Any:
    """An RSVP row as the RSVP service would leave it, saved directly (no email, no
    waitlist shuffle): going in person unless told. Without a user it is a guest's, named
    "Gale Guest" unless told, with an address made from the name unless given (stored in
    canonical form, as the service does). A check-in time without `checked_in_by` means
    the door checked them in (every check-in says who did it). `queued_at` defaults to now.
    """
    from django.utils import timezone

    from cop_portal.lib.addresses import canonical_email
    from sessions_app.models import CheckInBy, Rsvp
    from sessions_app.services.counts import session_counts_refresh

    if user is None:
        name = name or "Gale Guest"
        email = canonical_email(email or f"{name.lower().replace(' ', '.')}@example.org")
    if checked_in_at is not None and not checked_in_by:
        checked_in_by = CheckInBy.DOOR
    fields.setdefault("queued_at", timezone.now())
    rsvp = Rsvp.objects.create(
        session=session,
        user=user,
        name=name,
        email=email,
        attend_as=attend_as,
        status=status,
        checked_in_at=checked_in_at,
        checked_in_by=checked_in_by,
        **fields,
    )
    # The services keep the statistics' stored counts true; so does the factory.
    session_counts_refresh(session_ids=[rsvp.session_id])
    return rsvp


def make_report(
    *,
    post: Any = None,
    reply: Any = None,
    reporter: User | None = None,
    reason: str = "off_topic",
    details: str = "",
    resolved: bool = False,
    **fields: Any,
) -> Any:
    """A member's report, saved directly (no email): about `reply` (on its post) when
    given, else about `post` (a new one unless told), by a new member unless told, "Off-topic
    or misleading" unless told. `resolved` makes it dismissed an hour ago (pass
    `outcome`, `resolved_by` to say more)."""
    from datetime import timedelta

    from django.utils import timezone

    from practice_library.models import Report, ReportOutcome

    post = reply.post if reply is not None else post or make_post()
    if resolved:
        fields.setdefault("resolved_at", timezone.now() - timedelta(hours=1))
        fields.setdefault("outcome", ReportOutcome.DISMISSED)
    return Report.objects.create(
        post=post,
        reply=reply,
        reporter=reporter or make_user(),
        reason=reason,
        details=details,
        **fields,
    )
