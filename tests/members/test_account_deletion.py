"""Delete my account: /me/delete/, behind allauth's re-authentication, and every effect."""

import time
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session as LoginSession
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cop_portal.mail.models import EmailPreference
from members.models import Profile, User
from members.services.account import account_delete
from members.services.roles import LAST_ORGANIZER_LEAVING
from practice_library.models import (
    Attachment,
    EvidenceItem,
    Follow,
    Post,
    Reply,
    Report,
    Reuse,
    Signup,
    VisitRequest,
)
from practice_library.models.post import State
from practice_library.services.posts import post_refresh_search_document
from sessions_app.models import Rsvp, RsvpStatus
from sessions_app.services.rsvps import rsvp_create
from tests.factories import (
    PASSWORD,
    make_organizer,
    make_post,
    make_reply,
    make_session,
    make_user,
)

pytestmark = pytest.mark.django_db

DELETE = "/me/delete/"
KEEP = {"posts": "keep", "confirm": "on"}
REMOVE = {"posts": "delete", "confirm": "on"}


def _reauthenticated(user: User) -> Client:
    """A client logged in as `user` who just typed their password again."""
    client = Client()
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302
    return client


def _attach(post, name: str = "plan.pdf") -> Attachment:
    attachment = Attachment(post=post, original_name=name, content_type="application/pdf", size=3)
    attachment.file.save(name, SimpleUploadedFile(name, b"pdf"), save=True)
    return attachment


@pytest.fixture
def leave(django_capture_on_commit_callbacks):
    """Delete the member's account through the page; after-commit work runs."""

    def leave(user: User, choice: dict, client: Client | None = None):
        client = client or _reauthenticated(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(DELETE, choice, follow=True)
        return response

    return leave


# Access and re-authentication


def test_delete_url():
    assert reverse("members:delete") == DELETE


def test_delete_sends_visitors_to_log_in(client):
    response = client.get(DELETE)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={DELETE}"


def test_delete_asks_for_the_password_again_first(member_client, member):
    response = member_client.get(DELETE)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_reauthenticate')}?next=%2Fme%2Fdelete%2F"


def test_delete_post_without_reauthentication_deletes_nothing(member_client, member):
    response = member_client.post(DELETE, KEEP)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert User.objects.filter(pk=member.pk).exists()


def test_delete_posted_before_reauthenticating_goes_through_after_it(
    member_client, member, django_capture_on_commit_callbacks
):
    asked = member_client.post(DELETE, REMOVE)

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(asked["Location"], {"password": PASSWORD})

    assert response["Location"] == reverse("home")
    assert not User.objects.filter(pk=member.pk).exists()


def test_delete_asks_again_when_the_reauthentication_is_old(member):
    client = _reauthenticated(member)
    session = client.session
    for record in session["account_authentication_methods"]:
        record["at"] = time.time() - 3600
    session.save()

    response = client.get(DELETE)

    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_delete_after_typing_the_password_again_shows_the_form(member):
    client = Client()
    client.force_login(member)
    asked = client.get(DELETE)

    confirmed = client.post(asked["Location"], {"password": PASSWORD})
    page = client.get(DELETE)

    body = page.content.decode()
    assert confirmed["Location"] == DELETE
    assert page.status_code == 200
    assert "<h1>Delete my account</h1>" in body
    assert "your places go to the people on the waitlist" in body
    assert 'value="keep"' in body
    assert 'value="delete"' in body
    assert 'name="confirm"' in body


def test_delete_with_a_wrong_password_stays_locked(member):
    client = Client()
    client.force_login(member)

    client.post(reverse("account_reauthenticate"), {"password": "not-my-password"})
    response = client.get(DELETE)

    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_delete_needs_the_confirmation_box(member):
    client = _reauthenticated(member)

    response = client.post(DELETE, {"posts": "keep"})

    assert response.status_code == 200
    assert "Tick the box to confirm that you want to leave." in response.content.decode()
    assert User.objects.filter(pk=member.pk).exists()


def test_delete_needs_a_choice_for_the_posts(member):
    client = _reauthenticated(member)

    response = client.post(DELETE, {"posts": "maybe", "confirm": "on"})

    assert response.status_code == 200
    assert response.context["form"].errors["posts"]
    assert User.objects.filter(pk=member.pk).exists()


# Leaving


def test_delete_logs_out_and_says_goodbye_on_the_home_page(member, leave):
    response = leave(member, KEEP)

    body = response.content.decode()
    assert response.redirect_chain == [(reverse("home"), 302)]
    assert "Your account is deleted. Thank you for being part of the CoP; goodbye!" in body
    assert not response.context["user"].is_authenticated
    assert not User.objects.filter(pk=member.pk).exists()
    assert not Profile.objects.filter(user_id=member.pk).exists()


def test_delete_logs_out_every_other_browser(member, other_member, leave):
    elsewhere = Client()
    elsewhere.force_login(member)
    other_person = Client()
    other_person.force_login(other_member)

    leave(member, KEEP)

    sessions = [row.get_decoded().get(SESSION_KEY) for row in LoginSession.objects.all()]
    assert str(member.pk) not in sessions
    assert str(other_member.pk) in sessions
    assert elsewhere.get(reverse("members:dashboard"))["Location"].startswith("/accounts/login/")
    assert other_person.get(reverse("members:dashboard")).status_code == 200


def test_delete_frees_a_seat_for_the_waitlist(member, other_member, leave, mailoutbox):
    session = make_session(capacity=1, topic="Full house")
    rsvp_create(session=session, user=member, attend_as="in-person")
    waiting, _ = rsvp_create(session=session, user=other_member, attend_as="in-person")
    assert waiting.status == RsvpStatus.WAITLISTED

    leave(member, KEEP)

    waiting.refresh_from_db()
    assert waiting.status == RsvpStatus.GOING
    assert [message.to for message in mailoutbox] == [[other_member.email]]
    assert "you're in: Full house" in mailoutbox[0].subject


def test_delete_removes_all_of_the_members_rsvps(member, other_member, leave):
    past = make_session(starts_at=timezone.now() - timedelta(days=3))
    Rsvp.objects.create(
        session=past, user=member, attend_as="in-person", status="going", queued_at=past.starts_at
    )
    rsvp_create(session=make_session(), user=member, attend_as="in-person")
    theirs, _ = rsvp_create(session=make_session(), user=other_member, attend_as="in-person")

    leave(member, KEEP)

    assert list(Rsvp.objects.values_list("pk", flat=True)) == [theirs.pk]


@pytest.mark.parametrize("choice", [KEEP, REMOVE])
def test_delete_removes_uploaded_files_whatever_the_choice(member, leave, choice):
    post = make_post(author=member)
    names = [_attach(post, "a.pdf").file.name, _attach(post, "b.pdf").file.name]
    others = _attach(make_post(), "theirs.pdf").file.name
    assert all(default_storage.exists(name) for name in names)

    leave(member, choice)

    assert [default_storage.exists(name) for name in names] == [False, False]
    assert default_storage.exists(others)
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["theirs.pdf"]


def test_delete_keeping_posts_signs_them_a_former_member(member, other_member, leave):
    post = make_post(author=member, title="Our first year")
    their_reply = make_reply(post=post, author=other_member, body="Congratulations!")
    theirs = make_post(author=other_member, title="Their question")
    my_reply = make_reply(post=theirs, author=member, body="Here's what we did.")

    leave(member, KEEP)

    post.refresh_from_db()
    my_reply.refresh_from_db()
    assert post.author is None
    assert my_reply.author is None
    assert Reply.objects.get(pk=their_reply.pk).author == other_member
    page = Client().get(post.get_absolute_url()).content.decode()
    assert "A former member" in page
    assert "Dana Member" not in page
    thread = Client().get(theirs.get_absolute_url()).content.decode()
    assert "<strong>A former member</strong>" in thread
    assert "Here's what we did." in thread


def test_delete_removing_posts_keeps_the_thread_with_other_members_replies(
    member, other_member, leave
):
    post = make_post(author=member, title="Our first year", body="We met every Tuesday.")
    theirs = make_reply(post=post, author=other_member, body="Congratulations!")

    leave(member, REMOVE)

    post.refresh_from_db()
    response = Client().get(post.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Removed by its author</h1>" in page
    assert "Our first year" not in page
    assert "We met every Tuesday." not in page
    assert "Dana Member" not in page
    assert "A former member" not in page
    assert "<strong>Other Member</strong>" in page
    assert "Congratulations!" in page
    assert "Its author removed this post, so it takes no new replies." in page
    assert Reply.objects.get(pk=theirs.pk).author == other_member
    assert (post.title, post.body, post.author) == ("", "", None)
    assert post.removed_at is not None
    assert "Our first year" not in post.search_document
    assert "Congratulations!" in post.search_document


def test_delete_removing_posts_blanks_their_replies_elsewhere(member, other_member, leave):
    theirs = make_post(author=other_member, title="Their question")
    mine = make_reply(post=theirs, author=member, body="Here's what we did.")
    kept = make_reply(post=theirs, author=other_member, body="Thanks all.")
    post_refresh_search_document(post=theirs)

    leave(member, REMOVE)

    theirs.refresh_from_db()
    mine.refresh_from_db()
    page = Client().get(theirs.get_absolute_url()).content.decode()
    assert (mine.body, mine.author, mine.state) == ("", None, State.DELETED)
    assert "This reply was removed by its author." in page
    assert "Here's what we did." not in page
    assert "Thanks all." in page
    assert "Replies (1)" in page
    assert list(Reply.objects.filter(post=theirs).values_list("pk", flat=True)) == [
        mine.pk,
        kept.pk,
    ]
    assert "Here's what we did." not in theirs.search_document
    assert "Thanks all." in theirs.search_document


def test_delete_removing_posts_reopens_a_question_they_answered(member, other_member, leave):
    question = make_post(author=other_member, kind="question", title="Where to meet?")
    answer = make_reply(post=question, author=member, body="The library basement.")
    question.answer = answer
    question.save()

    leave(member, REMOVE)

    question.refresh_from_db()
    page = Client().get(question.get_absolute_url()).content.decode()
    assert question.answer is None
    assert Reply.objects.filter(pk=answer.pk).exists()
    assert "Open question" in page
    assert "The library basement." not in page


def test_delete_removing_posts_deletes_their_evidence_only(member, other_member, leave):
    argument = make_post(author=other_member, kind="argument")
    EvidenceItem.objects.create(post=argument, author=member, source="A count", shows="It works")
    theirs = EvidenceItem.objects.create(
        post=argument, author=other_member, source="A survey", shows="People came back"
    )

    leave(member, REMOVE)

    assert list(EvidenceItem.objects.values_list("pk", flat=True)) == [theirs.pk]


def test_delete_removing_posts_keeps_other_members_evidence_on_their_argument(
    member, other_member, leave
):
    argument = make_post(author=member, kind="argument", title="Why evenings work")
    EvidenceItem.objects.create(post=argument, author=other_member, source="A survey", shows="Yes")

    leave(member, REMOVE)

    page = Client().get(argument.get_absolute_url()).content.decode()
    assert "A survey" in page
    assert "Why evenings work" not in page
    assert "Add evidence" not in page


def _reports_everywhere(member, other_member) -> tuple[Post, Reply, Reply]:
    """Reports on the leaver's post, on their reply, on a reply to their post, and one
    they filed; returns (their post, their reply, the other member's reply on it)."""
    post = make_post(author=member, title="Our first year")
    reply_on_mine = make_reply(post=post, author=other_member, body="Congratulations!")
    theirs = make_post(author=other_member, title="Their question")
    my_reply = make_reply(post=theirs, author=member, body="Here's what we did.")
    Report.objects.create(post=post, reporter=other_member, reason="other", details="Off topic")
    Report.objects.create(
        post=theirs, reply=my_reply, reporter=other_member, reason="other", details="Rude"
    )
    Report.objects.create(
        post=post, reply=reply_on_mine, reporter=member, reason="other", details="Spam"
    )
    Report.objects.create(post=theirs, reporter=member, reason="other", details="Wrong activity")
    return post, my_reply, reply_on_mine


@pytest.mark.parametrize("choice", [KEEP, REMOVE])
def test_delete_keeps_every_report_in_the_moderation_queue(
    member, other_member, organizer_client, leave, choice
):
    _reports_everywhere(member, other_member)
    before = list(Report.objects.order_by("pk").values_list("pk", "post_id", "reply_id"))

    leave(member, choice)

    after = list(Report.objects.order_by("pk").values_list("pk", "post_id", "reply_id"))
    queue = organizer_client.get(reverse("library:reports"))
    page = queue.content.decode()
    assert after == before
    assert queue.context["review"].waiting_count == 4
    for reason in ("Off topic", "Rude", "Spam", "Wrong activity"):
        assert reason in page


def test_delete_removing_posts_says_so_in_the_moderation_queue(
    member, other_member, organizer_client, leave
):
    _reports_everywhere(member, other_member)

    leave(member, REMOVE)

    page = organizer_client.get(reverse("library:reports")).content.decode()
    assert "A post removed by its author" in page
    assert page.count("Text removed by its author") == 2
    assert "Our first year" not in page


@pytest.mark.parametrize("choice", [KEEP, REMOVE])
def test_delete_leaves_hidden_content_hidden(member, other_member, organizer_client, leave, choice):
    hidden_post = make_post(author=member, title="Rant", state=State.HIDDEN)
    Report.objects.create(post=hidden_post, reporter=other_member, reason="other", details="Unkind")
    theirs = make_post(author=other_member, title="Their question")
    hidden_reply = make_reply(
        post=theirs, author=member, body="Something unkind.", state=State.HIDDEN
    )

    leave(member, choice)

    hidden_post.refresh_from_db()
    hidden_reply.refresh_from_db()
    other_client = Client()
    other_client.force_login(other_member)
    thread = other_client.get(theirs.get_absolute_url()).content.decode()
    assert hidden_post.state == State.HIDDEN
    assert hidden_reply.state == State.HIDDEN
    assert Client().get(hidden_post.get_absolute_url()).status_code == 404
    assert other_client.get(hidden_post.get_absolute_url()).status_code == 404
    assert "This reply was hidden by an organizer." in thread
    assert "Something unkind." not in thread
    assert "Rant" not in Client().get(reverse("library:home")).content.decode()
    seen_by_organizer = organizer_client.get(hidden_post.get_absolute_url()).content.decode()
    assert "An organizer hid this post." in seen_by_organizer
    assert "Unkind" in organizer_client.get(reverse("library:reports")).content.decode()


def test_delete_keeping_posts_keeps_their_text_and_replies_to_them(member, other_member, leave):
    post = make_post(author=member, title="Our first year", body="We met every Tuesday.")
    make_reply(post=post, author=other_member, body="Congratulations!")

    leave(member, KEEP)

    post.refresh_from_db()
    page = Client().get(post.get_absolute_url()).content.decode()
    assert post.removed_at is None
    assert "Our first year" in page
    assert "We met every Tuesday." in page
    assert "Congratulations!" in page
    assert "Our first year" in Client().get(reverse("library:home")).content.decode()


# The last organizer


def test_delete_refuses_the_last_organizer_and_keeps_everything(organizer, leave):
    post = make_post(author=organizer, title="How we run sessions")

    response = leave(organizer, REMOVE)

    body = response.content.decode()
    post.refresh_from_db()
    assert response.status_code == 400
    assert response.redirect_chain == []
    assert "You&#x27;re the only organizer left, so you can&#x27;t delete your account" in body
    assert "Make someone else an organizer first" in body
    assert User.objects.filter(pk=organizer.pk).exists()
    assert EmailAddress.objects.filter(user=organizer).exists()
    assert (post.title, post.author) == ("How we run sessions", organizer)
    assert post.removed_at is None


def test_delete_page_reminds_organizers_to_hand_over(organizer):
    page = _reauthenticated(organizer).get(DELETE).content.decode()

    assert "If you're the only organizer, make someone else an organizer first." in page


def test_delete_lets_an_organizer_go_when_another_one_stays(organizer, leave):
    other = make_organizer(display_name="Second Organizer")

    response = leave(organizer, KEEP)

    assert response.redirect_chain == [(reverse("home"), 302)]
    assert not User.objects.filter(pk=organizer.pk).exists()
    assert User.objects.filter(pk=other.pk).exists()


def test_delete_does_not_count_a_deactivated_organizer_as_the_one_who_stays(organizer, leave):
    make_organizer(is_active=False)

    response = leave(organizer, KEEP)

    assert response.status_code == 400
    assert User.objects.filter(pk=organizer.pk).exists()


def test_account_delete_service_refuses_the_last_organizer(organizer):
    with pytest.raises(ValidationError) as refused:
        account_delete(user=organizer, keep_posts=True)

    assert refused.value.messages == [LAST_ORGANIZER_LEAVING]
    assert User.objects.filter(pk=organizer.pk).exists()


def test_delete_removes_follows_signups_reuses_and_visit_requests(member, other_member, leave):
    post = make_post(author=other_member, kind="coordination")
    asset = make_post(author=other_member, kind="asset")
    visit = make_post(author=other_member, kind="visit")
    Follow.objects.create(post=post, user=member)
    Signup.objects.create(post=post, user=member)
    Reuse.objects.create(post=asset, user=member)
    VisitRequest.objects.create(post=visit, requester=member, message="May we come?")
    Signup.objects.create(post=post, user=other_member)

    leave(member, KEEP)

    assert not Follow.objects.filter(user_id=member.pk).exists()
    assert list(Signup.objects.values_list("user_id", flat=True)) == [other_member.pk]
    assert not Reuse.objects.exists()
    assert not VisitRequest.objects.exists()


def test_delete_removes_email_preferences_and_addresses(member, other_member, leave):
    EmailAddress.objects.create(user=member, email="dana.old@example.org", verified=True)
    EmailPreference.objects.create(email=member.email.upper(), announcements=True)
    EmailPreference.objects.create(email="dana.old@example.org", announcements=True)
    EmailPreference.objects.create(email=other_member.email, announcements=True)

    leave(member, KEEP)

    assert list(EmailPreference.objects.values_list("email", flat=True)) == [other_member.email]
    assert list(EmailAddress.objects.values_list("email", flat=True)) == [other_member.email]


def test_account_delete_service_is_all_or_nothing(member, monkeypatch):
    session = make_session(capacity=1)
    rsvp, _ = rsvp_create(session=session, user=member, attend_as="in-person")

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(User, "delete", broken)
    with pytest.raises(RuntimeError):
        account_delete(user=member, keep_posts=True)

    rsvp.refresh_from_db()
    assert rsvp.status == RsvpStatus.GOING
    assert EmailAddress.objects.filter(user=member).exists()


def test_account_delete_service_with_a_new_member():
    newcomer = make_user()

    account_delete(user=newcomer, keep_posts=False)

    assert not User.objects.filter(pk=newcomer.pk).exists()
