from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practice_library.models import EvidenceItem, Reuse, Signup, VisitRequest
from tests.factories import make_post, make_reply, make_user

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def answer_url(post, reply) -> str:
    return reverse("library:answer-set", kwargs={"code": post.code, "reply_id": reply.pk})


# Questions


def test_answer_set_by_the_asker_marks_and_unmarks(member, member_client):
    post = make_post(kind="question", author=member)
    reply = make_reply(post=post, body="Try the library's room")

    response = member_client.post(answer_url(post, reply), {"action": "on"})

    post.refresh_from_db()
    assert response.status_code == 302
    assert post.answer == reply
    page = member_client.get(post.get_absolute_url()).content.decode()
    assert f'<a class="badge badge--ok" href="#reply-{reply.pk}">Answered</a>' in page
    assert "Unmark as the answer" in page

    member_client.post(answer_url(post, reply), {"action": "off"})

    post.refresh_from_db()
    assert post.answer is None


@pytest.mark.parametrize("who", ["other_member", "organizer"])
def test_answer_set_by_anyone_but_the_asker_is_403(request, member, who):
    post = make_post(kind="question", author=member)
    reply = make_reply(post=post)

    response = client_for(request.getfixturevalue(who)).post(
        answer_url(post, reply), {"action": "on"}
    )

    post.refresh_from_db()
    assert response.status_code == 403
    assert post.answer is None


def test_answer_set_with_a_reply_from_another_post_is_404(member, member_client):
    post = make_post(kind="question", author=member)
    elsewhere = make_reply(post=make_post(kind="question"))

    response = member_client.post(answer_url(post, elsewhere), {"action": "on"})

    post.refresh_from_db()
    assert response.status_code == 404
    assert post.answer is None


def test_answer_set_on_a_discussion_is_refused(member, member_client):
    post = make_post(kind="discussion", author=member)
    reply = make_reply(post=post)

    response = member_client.post(answer_url(post, reply), {"action": "on"})

    post.refresh_from_db()
    assert response.status_code == 400
    assert post.answer is None


def test_answer_set_visitor_is_sent_to_log_in(client):
    post = make_post(kind="question")
    reply = make_reply(post=post)

    response = client.post(answer_url(post, reply), {"action": "on"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# Assets


def test_reuse_toggle_counts_once_per_member(member, member_client, other_member):
    post = make_post(kind="asset", asset_url="https://example.org/kit", licence_note="CC BY 4.0")
    Reuse.objects.create(post=post, user=other_member)
    url = reverse("library:post-reuse", kwargs={"code": post.code})

    member_client.post(url, {"action": "on"})
    member_client.post(url, {"action": "on"})

    assert Reuse.objects.filter(post=post).count() == 2
    page = member_client.get(post.get_absolute_url()).content.decode()
    assert '<span class="count">2</span> times' in page
    assert "CC BY 4.0" in page
    assert "I didn't reuse it after all" in page

    member_client.post(url, {"action": "off"})
    assert not Reuse.objects.filter(post=post, user=member).exists()


def test_reuse_toggle_on_a_non_asset_is_refused(member_client):
    post = make_post(kind="discussion")

    response = member_client.post(
        reverse("library:post-reuse", kwargs={"code": post.code}), {"action": "on"}
    )

    assert response.status_code == 400
    assert Reuse.objects.count() == 0


# Coordination


def test_signup_toggle_counts_people_in(member, member_client):
    post = make_post(kind="coordination", deadline=timezone.localdate() + timedelta(days=3))
    url = reverse("library:post-signup", kwargs={"code": post.code})

    member_client.post(url, {"action": "on"})

    assert list(Signup.objects.values_list("user", flat=True)) == [member.pk]
    page = member_client.get(post.get_absolute_url()).content.decode()
    assert '<span class="count">1</span> person' in page
    assert "Count me out" in page


def test_signup_toggle_after_the_deadline_is_400_with_a_message(member_client):
    deadline = timezone.localdate() - timedelta(days=1)
    post = make_post(kind="coordination", deadline=deadline)

    response = member_client.post(
        reverse("library:post-signup", kwargs={"code": post.code}), {"action": "on"}
    )

    assert response.status_code == 400
    assert "Sign-ups closed on" in response.content.decode()
    assert Signup.objects.count() == 0


def test_signup_toggle_on_the_deadline_day_is_still_open(member_client):
    post = make_post(kind="coordination", deadline=timezone.localdate())

    response = member_client.post(
        reverse("library:post-signup", kwargs={"code": post.code}), {"action": "on"}
    )

    assert response.status_code == 302
    assert Signup.objects.count() == 1


def test_signup_toggle_visitor_is_sent_to_log_in(client):
    post = make_post(kind="coordination", deadline=timezone.localdate())

    response = client.post(reverse("library:post-signup", kwargs={"code": post.code}))

    assert response.status_code == 302
    assert Signup.objects.count() == 0


# Visits


def test_visit_request_emails_the_host_with_the_requesters_address(
    member, member_client, django_capture_on_commit_callbacks
):
    host = make_user(display_name="Hal Host", email="hal@example.com")
    post = make_post(kind="visit", author=host, site_name="Hough Garden", visit_kind="offer")
    page = member_client.get(post.get_absolute_url()).content.decode()
    assert "Your email address will be shared with the host" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            reverse("library:visit-request-create", kwargs={"code": post.code}),
            {"message": "Could we come on a Saturday?"},
        )

    assert response.status_code == 302
    assert VisitRequest.objects.get().message == "Could we come on a Saturday?"
    [message] = mail.outbox
    assert message.to == ["hal@example.com"]
    assert message.reply_to == [member.email]
    assert message.subject == "[CoP Portal] Visit request: Hough Garden"
    assert "Dana Member would like to visit" in message.body
    assert "Could we come on a Saturday?" in message.body
    assert member.email in message.body


@pytest.mark.parametrize(
    ("message", "error"),
    [("", "Write a short message for the host."), ("x" * 2001, "Keep the message to 2000")],
)
def test_visit_request_refuses_bad_messages(member_client, message, error):
    post = make_post(kind="visit", site_name="Garden", visit_kind="offer")

    response = member_client.post(
        reverse("library:visit-request-create", kwargs={"code": post.code}), {"message": message}
    )

    assert response.status_code == 400
    assert error in response.context["visit_form"].errors["message"][0]
    assert VisitRequest.objects.count() == 0


def test_visit_request_to_your_own_post_is_refused(member, member_client):
    post = make_post(kind="visit", author=member, site_name="Garden", visit_kind="offer")

    response = member_client.post(
        reverse("library:visit-request-create", kwargs={"code": post.code}), {"message": "Hi"}
    )

    assert response.status_code == 400
    assert VisitRequest.objects.count() == 0


# Feedback


def test_feedback_page_shows_the_deadline_and_closes_after_it(member_client):
    open_post = make_post(kind="feedback", deadline=timezone.localdate() + timedelta(days=2))
    closed = make_post(kind="feedback", deadline=timezone.localdate() - timedelta(days=2))

    open_page = member_client.get(open_post.get_absolute_url()).content.decode()
    closed_page = member_client.get(closed.get_absolute_url()).content.decode()

    assert "Feedback welcome until" in open_page
    assert "Send your feedback" in open_page
    assert "Closed for feedback since" in closed_page
    assert "Send your feedback" not in closed_page


# Arguments


def test_evidence_create_lists_the_evidence_on_the_post(member, member_client):
    post = make_post(kind="argument")

    response = member_client.post(
        reverse("library:evidence-create", kwargs={"code": post.code}),
        {"source": "County survey 2024", "shows": "Turnout doubled with childcare."},
    )

    item = EvidenceItem.objects.get()
    assert response.status_code == 302
    assert (item.author, item.post) == (member, post)
    page = member_client.get(post.get_absolute_url()).content.decode()
    assert "County survey 2024" in page
    assert "Turnout doubled with childcare." in page


def test_evidence_create_refuses_missing_and_overlong_fields(member_client):
    post = make_post(kind="argument")

    response = member_client.post(
        reverse("library:evidence-create", kwargs={"code": post.code}),
        {"source": "x" * 301, "shows": ""},
    )

    errors = response.context["evidence_form"].errors
    assert response.status_code == 400
    assert errors["source"] == ["Keep the source to 300 characters."]
    assert errors["shows"] == ["Say what the evidence shows."]
    assert EvidenceItem.objects.count() == 0


def test_evidence_create_visitor_is_sent_to_log_in(client):
    post = make_post(kind="argument")

    response = client.post(
        reverse("library:evidence-create", kwargs={"code": post.code}),
        {"source": "S", "shows": "W"},
    )

    assert response.status_code == 302
    assert EvidenceItem.objects.count() == 0


# Projects and gaps


def test_project_sections_show_under_headings_and_in_search(client):
    post = make_post(
        kind="project",
        body="",
        context="Midtown block club",
        problem="Nobody came",
        tried="Door knocking",
        outcome="40 people",
        reusable="Our flyer",
    )

    page = client.get(post.get_absolute_url()).content.decode()

    for heading, text in [
        ("Context", "Midtown block club"),
        ("The problem", "Nobody came"),
        ("What we tried", "Door knocking"),
        ("The outcome", "40 people"),
        ("What others can reuse", "Our flyer"),
    ]:
        assert (
            f'<h2 class="post__section-title">{heading}</h2><div class="prose"><p>{text}</p>'
            in page
        )
    assert "Nobody came\nDoor knocking" in post.search_document


def test_gap_shows_its_tags_as_wished_for_skills(client):
    post = make_post(kind="gap", tags=["Grant writing"])

    page = client.get(post.get_absolute_url()).content.decode()

    assert "Wished-for skills" in page
    assert ">Grant writing</a>" in page


def test_post_create_project_through_the_form(member_client):
    from practice_library.models import Post
    from tests.factories import _pattern_for_kind

    pattern = _pattern_for_kind("project")

    response = member_client.post(
        reverse("library:post-create", kwargs={"slug": pattern.slug}),
        {"title": "Tool library", "problem": "No tools", "outcome": "A shed of them"},
    )

    post = Post.objects.get()
    assert response.status_code == 302
    assert (post.problem, post.outcome) == ("No tools", "A shed of them")
