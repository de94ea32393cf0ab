"""Library actions that email someone, under the mail limits: each member may reply,
request visits and report so often (a 429 past that, nothing saved), and each address
receives so many library emails."""

import html

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practice_library.models import Follow, Reply, Report, VisitRequest
from tests.concurrency import at_once
from tests.factories import make_post, make_reply, make_user
from tests.outbox import send_reply_emails

pytestmark = pytest.mark.django_db

THREADS = 40


@pytest.fixture(autouse=True)
def _three_an_hour(settings):
    settings.MAIL_RATE_PER_SENDER = "3/h"


def page_text(response) -> str:
    return html.unescape(response.content.decode())


# Per sender: a 429, in the site's layout, and nothing saved


def test_fourth_reply_in_an_hour_gets_429_and_keeps_the_text(member_client):
    post = make_post()
    url = reverse("library:reply-create", kwargs={"code": post.code})
    for n in range(3):
        member_client.post(url, {"body": f"Reply {n}"})

    response = member_client.post(url, {"body": "One more thought."})

    assert response.status_code == 429
    text = page_text(response)
    assert "You've posted many replies in a short time." in text
    assert response.context["reply_form"]["body"].value() == "One more thought."
    assert response.context["reply_form"].non_field_errors() == [
        "You've posted many replies in a short time. Please wait a while and post this "
        "one again; it is still here."
    ]
    assert "Go to the home page" not in text  # the post page itself, not an error page
    assert list(Reply.objects.values_list("body", flat=True).order_by("pk")) == [
        "Reply 0",
        "Reply 1",
        "Reply 2",
    ]


def test_a_members_limit_holds_nobody_else_back(member_client, other_member):
    post = make_post()
    url = reverse("library:reply-create", kwargs={"code": post.code})
    for n in range(4):
        member_client.post(url, {"body": f"Reply {n}"})
    other = Client()
    other.force_login(other_member)

    response = other.post(url, {"body": "Mine."})

    assert response.status_code == 302
    assert Reply.objects.filter(author=other_member).count() == 1


def test_invalid_replies_are_not_counted(member_client):
    post = make_post()
    url = reverse("library:reply-create", kwargs={"code": post.code})
    for _ in range(5):
        member_client.post(url, {"body": ""})

    response = member_client.post(url, {"body": "Now with words."})

    assert response.status_code == 302
    assert Reply.objects.get().body == "Now with words."


def test_fourth_visit_request_gets_429_and_sends_nothing(
    member_client, django_capture_on_commit_callbacks
):
    posts = [make_post(kind="visit", site_name="Garden", visit_kind="offer") for _ in range(4)]
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            member_client.post(
                reverse("library:visit-request-create", kwargs={"code": post.code}),
                {"message": "May I come by on Saturday?"},
            )
            for post in posts
        ]

    assert [answer.status_code for answer in answers] == [302, 302, 302, 429]
    assert "You've sent many visit requests in a short time." in page_text(answers[3])
    assert answers[3].context["visit_form"]["message"].value() == "May I come by on Saturday?"
    assert VisitRequest.objects.count() == 3
    assert len(mail.outbox) == 3


def test_fourth_report_gets_429_and_saves_nothing(member_client):
    post = make_post()
    url = reverse("library:post-report", kwargs={"code": post.code})
    for n in range(3):
        member_client.post(url, {"reason": "other", "details": f"Problem {n}"})

    response = member_client.post(url, {"reason": "private", "details": "Shares a phone number"})

    assert response.status_code == 429
    assert response.context["form"].non_field_errors() == [
        "You've sent many reports in a short time. Please wait a while and send this one again."
    ]
    assert response.context["form"]["details"].value() == "Shares a phone number"
    assert Report.objects.count() == 3


def test_reply_reports_share_the_report_limit(member_client):
    post = make_post()
    reply = make_reply(post=post)
    for _ in range(3):
        member_client.post(
            reverse("library:post-report", kwargs={"code": post.code}), {"reason": "spam"}
        )

    response = member_client.post(
        reverse("library:reply-report", kwargs={"code": post.code, "reply_id": reply.pk}),
        {"reason": "harassment"},
    )

    assert response.status_code == 429
    assert Report.objects.filter(reply=reply).count() == 0


# Per recipient


def test_reply_emails_past_a_followers_limit_are_not_sent(
    settings, member_client, django_capture_on_commit_callbacks
):
    settings.MAIL_RATE_PER_SENDER = "10/h"
    settings.MAIL_RATE_PER_RECIPIENT = "2/h"
    author = make_user(email="ana@example.com")
    post = make_post(author=author)
    url = reverse("library:reply-create", kwargs={"code": post.code})

    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            member_client.post(url, {"body": f"Reply {n}"})

    assert Reply.objects.count() == 4
    assert [email.to for email in mail.outbox] == [["ana@example.com"]] * 2


def test_reply_emails_count_all_followers_in_one_query():
    """The counters' part: one statement, however many followers."""

    def queries_for(followers: int) -> int:
        post = make_post()
        for _ in range(followers):
            Follow.objects.create(post=post, user=make_user())
        reply = make_reply(post=post)
        with CaptureQueriesContext(connection) as context:
            send_reply_emails(reply)
        return sum("mail_sendcounter" in query["sql"] for query in context.captured_queries)

    assert queries_for(1) == queries_for(6) == 1


def test_visit_request_email_past_the_hosts_limit_is_not_sent(
    settings, django_capture_on_commit_callbacks
):
    settings.MAIL_RATE_PER_RECIPIENT = "2/h"
    host = make_user(email="host@example.com")
    posts = [
        make_post(kind="visit", author=host, site_name="Garden", visit_kind="offer")
        for _ in range(3)
    ]

    with django_capture_on_commit_callbacks(execute=True):
        for post in posts:
            requester = Client()
            requester.force_login(make_user())
            requester.post(
                reverse("library:visit-request-create", kwargs={"code": post.code}),
                {"message": "Hello!"},
            )

    assert VisitRequest.objects.count() == 3
    assert len(mail.outbox) == 2


# Forty at once


@pytest.mark.django_db(transaction=True)
def test_forty_replies_at_once_from_one_member_save_exactly_the_limit(settings):
    settings.MAIL_RATE_PER_SENDER = "5/h"
    member = make_user()
    post = make_post()
    url = reverse("library:reply-create", kwargs={"code": post.code})
    clients = []
    for _ in range(THREADS):
        client = Client()
        client.force_login(member)
        clients.append(client)

    results, errors = at_once(
        [
            lambda client=client: client.post(url, {"body": "Me too!"}).status_code
            for client in clients
        ]
    )

    assert errors == []
    assert sorted(results) == [302] * 5 + [429] * (THREADS - 5)
    assert Reply.objects.filter(author=member).count() == 5
