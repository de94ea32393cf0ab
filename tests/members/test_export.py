"""Download my data: /me/export.json holds this member's data and nobody else's."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cop_portal.mail.models import EmailPreference
from members.models import Profile
from members.services.profile import ProfileData, profile_update
from practice_library.models import Attachment, EvidenceItem, PostLink, VisitRequest
from sessions_app.models import Rsvp
from sessions_app.services.rsvps import rsvp_create
from tests.factories import make_post, make_reply, make_session, make_user

pytestmark = pytest.mark.django_db

EXPORT = "/me/export.json"


def _iso(value) -> str:
    return timezone.localtime(value).isoformat()


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _download(client) -> dict:
    response = client.get(EXPORT)
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.fixture
def everything(member, other_member):
    """The member's data of every kind, tangled with another member's."""
    profile_update(
        user=member,
        data=ProfileData(
            display_name="Dana Member",
            pronouns="she/her",
            organization="Hough Block Club",
            role="Chair",
            neighborhood="Hough",
            bio="Twenty years on this street.",
            expertise=["Grant writing"],
            interests=["Youth programs"],
            preferred_contact="After a session",
            listed=True,
            contact_ok=False,
        ),
    )
    EmailPreference.objects.create(email=member.email, announcements=True, replies=False)
    EmailPreference.objects.create(email=other_member.email, announcements=True)

    session = make_session(title="Community of Practice", topic="Volunteers that stay")
    rsvp, _ = rsvp_create(session=session, user=member, attend_as="online")
    Rsvp.objects.filter(pk=rsvp.pk).update(checked_in_at=timezone.now(), checked_in_by="door")
    rsvp_create(session=session, user=other_member, attend_as="in-person")

    post = make_post(author=member, title="Our first year", body="What worked.", tags=["Youth"])
    PostLink.objects.create(post=post, url="https://example.org/report", label="The report")
    attachment = Attachment(post=post, original_name="Budget 2025.pdf", content_type="x", size=3)
    attachment.file.save("budget.pdf", SimpleUploadedFile("budget.pdf", b"pdf"), save=True)
    make_reply(post=post, author=other_member, body="Other member's words on my post.")

    theirs = make_post(author=other_member, title="Their question", body="Their body.")
    make_reply(post=theirs, author=member, body="My answer to them.")
    argument = make_post(author=other_member, kind="argument", title="Their argument")
    EvidenceItem.objects.create(post=argument, author=member, source="A count", shows="It works")
    visit = make_post(author=other_member, kind="visit", title="Their garden", site_name="Garden")
    VisitRequest.objects.create(post=visit, requester=member, message="May we come by?")
    return {"rsvp": rsvp, "post": post, "session": session}


def test_export_sends_visitors_to_log_in(client):
    response = client.get(EXPORT)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={EXPORT}"


def test_export_is_a_json_attachment_never_cached(member_client):
    response = member_client.get(reverse("members:export"))

    assert reverse("members:export") == EXPORT
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="cop-portal-my-data.json"'
    assert "no-store" in response["Cache-Control"]


def test_export_refuses_posts(member_client):
    response = member_client.post(EXPORT)

    assert response.status_code == 405


def test_export_holds_exactly_the_members_data(member_client, member, everything):
    data = _download(member_client)

    member.refresh_from_db()
    profile = Profile.objects.get(user=member)
    rsvp = Rsvp.objects.get(pk=everything["rsvp"].pk)
    post = everything["post"]
    session = everything["session"]
    my_reply = member.replies.get()
    evidence = EvidenceItem.objects.get(author=member)
    visit_request = VisitRequest.objects.get(requester=member)
    assert data == {
        "format": "cop-portal-my-data/1",
        "exported_at": data["exported_at"],
        "account": {
            "email": member.email,
            "display_name": "Dana Member",
            "language": "en",
            "date_joined": _iso(member.date_joined),
        },
        "profile": {
            "code": profile.code,
            "pronouns": "she/her",
            "organization": "Hough Block Club",
            "role": "Chair",
            "neighborhood": "Hough",
            "bio": "Twenty years on this street.",
            "expertise": ["grant writing"],  # new topics are kept in lower case
            "interests": ["youth programs"],
            "preferred_contact": "After a session",
            "listed": True,
            "contact_ok": False,
            "replies_seen_at": None,
            "created": _iso(profile.created),
            "updated": _iso(profile.updated),
        },
        "email_preferences": {
            "email": member.email,
            "stored": True,
            "announcements": True,
            "reminders": True,
            "replies": False,
            "organizer_messages": True,
        },
        "rsvps": [
            {
                "session": "Volunteers that stay",
                "part_of": "Community of Practice",
                "session_starts_at": _iso(session.starts_at),
                "status": "going",
                "attend_as": "online",
                "checked_in": True,
                "created": _iso(rsvp.created),
            }
        ],
        "posts": [
            {
                "title": "Our first year",
                "body": "What worked.",
                "pattern": "Test discussion",
                "details": {},
                "tags": ["Youth"],
                "links": [{"url": "https://example.org/report", "label": "The report"}],
                "attachments": ["Budget 2025.pdf"],
                "members_only": False,
                "state": "published",
                "created": _iso(post.created),
            }
        ],
        "replies": [
            {
                "post": "Their question",
                "body": "My answer to them.",
                "state": "published",
                "created": _iso(my_reply.created),
            }
        ],
        "evidence": [
            {
                "post": "Their argument",
                "source": "A count",
                "shows": "It works",
                "state": "published",
                "created": _iso(evidence.created),
            }
        ],
        "visit_requests": [
            {
                "post": "Their garden",
                "message": "May we come by?",
                "created": _iso(visit_request.created),
            }
        ],
    }


def test_export_leaves_out_everyone_else(member_client, other_member, everything):
    text = member_client.get(EXPORT).content.decode()

    assert other_member.email not in text
    assert other_member.display_name not in text
    assert "Other member's words on my post." not in text
    assert "Their body." not in text


def test_export_of_the_other_member_holds_none_of_mine(member, other_member, everything):
    client = _logged_in(other_member)

    data = _download(client)

    text = json.dumps(data)
    assert data["account"]["email"] == other_member.email
    assert [rsvp["attend_as"] for rsvp in data["rsvps"]] == ["in-person"]
    assert [reply["body"] for reply in data["replies"]] == ["Other member's words on my post."]
    assert member.email not in text
    assert "Dana Member" not in text
    assert "My answer to them." not in text
    assert "Hough Block Club" not in text


def test_export_of_a_new_member_has_defaults_and_empty_lists():
    newcomer = make_user(display_name="Nia Newcomer")
    client = _logged_in(newcomer)

    data = _download(client)

    assert data["profile"] is None
    assert data["email_preferences"] == {
        "email": newcomer.email,
        "stored": False,
        "announcements": False,
        "reminders": True,
        "replies": True,
        "organizer_messages": True,
    }
    assert [data[key] for key in ("rsvps", "posts", "replies", "evidence", "visit_requests")] == [
        [],
        [],
        [],
        [],
        [],
    ]


def test_export_includes_a_posts_kind_fields(member_client, member):
    make_post(author=member, kind="visit", site_name="Our garden", neighborhood="Hough")

    [post] = _download(member_client)["posts"]

    assert post["details"] == {"site_name": "Our garden", "neighborhood": "Hough", "visit_kind": ""}
