import logging
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cop_portal.mail.models import OutgoingEmail
from practice_library.models import Follow, Reply
from practice_library.models.post import State
from tests.email_html import links
from tests.factories import make_post, make_reply, make_user
from tests.outbox import send_reply_emails, send_visit_request_email

pytestmark = pytest.mark.django_db


def reply_url(post) -> str:
    return reverse("library:reply-create", kwargs={"code": post.code})


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_reply_create_saves_follows_and_refreshes_search(member, member_client):
    post = make_post(title="Volunteers", body="How?")

    response = member_client.post(reply_url(post), {"body": "Call them **by name**."})

    reply = Reply.objects.get()
    post.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"{post.get_absolute_url()}#reply-{reply.pk}"
    assert (reply.author, reply.body, reply.post) == (member, "Call them **by name**.", post)
    assert Follow.objects.filter(post=post, user=member).exists()
    assert post.search_document == "Volunteers\nHow?\nCall them **by name**."


def test_reply_create_emails_author_and_followers_but_not_the_replier(
    member, member_client, django_capture_on_commit_callbacks
):
    author = make_user(display_name="Ana Author", email="ana@example.com")
    follower = make_user(display_name="Fay Follower", email="fay@example.com")
    post = make_post(author=author, title="Tool library")
    Follow.objects.create(post=post, user=follower)
    Follow.objects.create(post=post, user=member)  # the replier already follows

    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(reply_url(post), {"body": "We lend drills."})

    assert sorted(message.to[0] for message in mail.outbox) == [
        "ana@example.com",
        "fay@example.com",
    ]
    reply = Reply.objects.get()
    for message in mail.outbox:
        html = message.alternatives[0][0]
        assert message.subject == "[CoP Portal] New reply: Tool library"
        assert f"{settings.SITE_URL}{post.get_absolute_url()}#reply-{reply.pk}" in message.body
        assert "Dana Member replied" in message.body
        assert "We lend drills." in html
        # No member's address in the email, other than the recipient's own in To.
        for address in ("ana@example.com", "fay@example.com", member.email):
            assert address not in message.body
            assert address not in html
        assert message.reply_to == []


def test_reply_create_after_unfollow_sends_nothing_to_that_person(
    member_client, django_capture_on_commit_callbacks
):
    author = make_user()
    post = make_post(author=author)
    Follow.objects.filter(post=post, user=author).delete()

    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(reply_url(post), {"body": "Hello"})

    assert mail.outbox == []


def test_reply_emails_wait_while_the_mail_server_is_down(member, monkeypatch, caplog):
    post = make_post()
    Follow.objects.create(post=post, user=make_user())
    reply = make_reply(post=post, author=member)

    def broken_send(self, *args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken_send)
    with caplog.at_level(logging.WARNING, logger="cop_portal.mail.delivery"):
        outcome = send_reply_emails(reply)

    # The server is down: the first email is tried and kept for later, the second
    # waits with it without a wasted attempt; neither is lost.
    assert (outcome.sent, outcome.retrying) == (0, 2)
    assert sorted(OutgoingEmail.objects.values_list("status", "attempts")) == [
        ("queued", 0),
        ("queued", 1),
    ]
    assert len([r for r in caplog.records if "will be tried again" in r.message]) == 1


def test_reply_create_visitor_is_sent_to_log_in(client):
    post = make_post()

    response = client.post(reply_url(post), {"body": "Hi"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert Reply.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write something before you send the reply."),
        ("x" * 10_001, "Keep the reply to 10000 characters (it has 10001)."),
    ],
)
def test_reply_create_refuses_empty_or_overlong(member_client, body, message):
    post = make_post()

    response = member_client.post(reply_url(post), {"body": body})

    assert response.status_code == 400
    assert response.context["reply_form"].errors["body"] == [message]
    assert Reply.objects.count() == 0


def test_reply_create_on_a_locked_post_is_refused_with_a_message(member_client):
    post = make_post(is_locked=True)

    response = member_client.post(reply_url(post), {"body": "Let me in"})

    assert response.status_code == 403
    assert "locked this thread" in response.content.decode()
    assert Reply.objects.count() == 0


@pytest.mark.parametrize("state", [State.HIDDEN, State.DELETED])
def test_reply_create_on_a_hidden_or_deleted_post_is_404(member_client, state):
    post = make_post(state=state)

    response = member_client.post(reply_url(post), {"body": "Hello?"})

    assert response.status_code == 404
    assert Reply.objects.count() == 0


def test_reply_edit_by_its_author(member, member_client):
    post = make_post(title="T", body="")
    reply = make_reply(post=post, author=member, body="Frist")
    url = reverse("library:reply-edit", kwargs={"code": post.code, "reply_id": reply.pk})

    assert member_client.get(url).context["form"]["body"].value() == "Frist"
    response = member_client.post(url, {"body": "First"})

    reply.refresh_from_db()
    post.refresh_from_db()
    assert response.status_code == 302
    assert reply.body == "First"
    assert post.search_document == "T\nFirst"


@pytest.mark.parametrize("who", ["other_member", "organizer"])
def test_reply_edit_and_delete_by_anyone_else_is_403(request, member, who):
    post = make_post()
    reply = make_reply(post=post, author=member, body="Mine")
    client = client_for(request.getfixturevalue(who))
    kwargs = {"code": post.code, "reply_id": reply.pk}

    edit = client.post(reverse("library:reply-edit", kwargs=kwargs), {"body": "Theirs"})
    delete = client.post(reverse("library:reply-delete", kwargs=kwargs))

    reply.refresh_from_db()
    assert (edit.status_code, delete.status_code) == (403, 403)
    assert (reply.body, reply.state) == ("Mine", State.PUBLISHED)


def test_reply_edit_of_a_reply_from_another_post_is_404(member, member_client):
    post, other = make_post(), make_post()
    reply = make_reply(post=other, author=member)

    response = member_client.post(
        reverse("library:reply-edit", kwargs={"code": post.code, "reply_id": reply.pk}),
        {"body": "Moved"},
    )

    assert response.status_code == 404


def test_reply_delete_is_soft_and_reopens_an_answered_question(member, member_client):
    post = make_post(kind="question", body="")
    reply = make_reply(post=post, author=member, body="Answer")
    post.answer = reply
    post.save()

    response = member_client.post(
        reverse("library:reply-delete", kwargs={"code": post.code, "reply_id": reply.pk})
    )

    reply.refresh_from_db()
    post.refresh_from_db()
    assert response.status_code == 302
    assert reply.state == State.DELETED
    assert post.answer is None
    assert "Answer" not in post.search_document
    page = member_client.get(post.get_absolute_url()).content.decode()
    assert "This reply was deleted by its author." in page


def test_follow_toggle(member, member_client):
    post = make_post()
    url = reverse("library:post-follow", kwargs={"code": post.code})

    member_client.post(url, {"action": "on"})
    member_client.post(url, {"action": "on"})
    assert Follow.objects.filter(post=post, user=member).count() == 1
    page = member_client.get(post.get_absolute_url()).content.decode()
    assert "Stop following" in page

    member_client.post(url, {"action": "off"})
    assert not Follow.objects.filter(post=post, user=member).exists()


def test_follow_toggle_visitor_is_sent_to_log_in(client):
    post = make_post()

    response = client.post(reverse("library:post-follow", kwargs={"code": post.code}))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_reply_create_on_feedback_after_deadline_is_refused(member_client):
    post = make_post(kind="feedback", deadline=timezone.localdate() - timedelta(days=1))

    response = member_client.post(reply_url(post), {"body": "Late thoughts"})

    assert response.status_code == 400
    assert "This request closed for feedback on" in response.content.decode()
    assert Reply.objects.count() == 0


# Email preferences and unsubscribe links


def _unsubscribe_token(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


def test_reply_email_carries_the_replies_unsubscribe_link_and_headers(member):
    from cop_portal.mail import preferences as email_prefs

    author = make_user(email="ana@example.com")
    reply = make_reply(post=make_post(author=author), author=member)

    send_reply_emails(reply)

    [message] = mail.outbox
    url = email_prefs.unsubscribe_url("ana@example.com", "replies")
    headers = message.message()
    assert headers["List-Unsubscribe"] == f"<{url}>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email_prefs.read_unsubscribe_token(_unsubscribe_token(url)) == (
        "ana@example.com",
        "replies",
    )
    assert f"Unsubscribe in one click:\n{url}" in message.body
    assert f"{settings.SITE_URL}/me/emails/" in message.body
    assert links(message)["Unsubscribe in one click"] == url


def test_reply_emails_skip_followers_who_turned_replies_off(member):
    from cop_portal.mail import preferences as email_prefs

    author = make_user(email="ana@example.com")
    follower = make_user(email="Fay@Example.com")
    post = make_post(author=author)
    Follow.objects.create(post=post, user=follower)
    email_prefs.set_preference("fay@example.com", "replies", False)
    reply = make_reply(post=post, author=member)

    send_reply_emails(reply)

    assert [message.to for message in mail.outbox] == [["ana@example.com"]]


def test_reply_emails_with_replies_off_for_everyone_send_nothing(member):
    from cop_portal.mail import preferences as email_prefs

    author = make_user()
    post = make_post(author=author)
    email_prefs.set_preference(author.email, "replies", False)

    send_reply_emails(make_reply(post=post, author=member))

    assert mail.outbox == []


def test_visit_request_email_goes_with_replies_off_and_carries_the_replies_link(member):
    from cop_portal.mail import preferences as email_prefs
    from practice_library.models import VisitRequest

    host = make_user(email="host@example.com")
    post = make_post(kind="visit", author=host)
    email_prefs.set_preference(host.email, "replies", False)
    visit_request = VisitRequest.objects.create(post=post, requester=member, message="Saturday?")

    send_visit_request_email(visit_request)

    [message] = mail.outbox
    url = email_prefs.unsubscribe_url(host.email, "replies")
    assert message.to == ["host@example.com"]
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert "This email always goes, whatever your preferences." in message.body
    assert url in message.body
