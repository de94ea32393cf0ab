from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from practice_library.models import Reply, Report
from practice_library.models.post import State
from tests.factories import make_post, make_reply, make_user

pytestmark = pytest.mark.django_db


def moderate_url(post) -> str:
    return reverse("library:post-moderate", kwargs={"code": post.code})


def reply_moderate_url(reply) -> str:
    return reverse("library:reply-moderate", kwargs={"code": reply.post.code, "reply_id": reply.pk})


# Posts


def test_post_moderate_hide_then_restore(organizer_client, member_client):
    post = make_post()

    response = organizer_client.post(moderate_url(post), {"action": "hide"})

    post.refresh_from_db()
    assert response.status_code == 302
    assert post.state == State.HIDDEN
    assert member_client.get(post.get_absolute_url()).status_code == 404

    organizer_client.post(moderate_url(post), {"action": "restore"})

    post.refresh_from_db()
    assert post.state == State.PUBLISHED
    assert member_client.get(post.get_absolute_url()).status_code == 200


def test_post_moderate_restores_a_post_its_author_deleted(organizer_client):
    post = make_post(state=State.DELETED)

    organizer_client.post(moderate_url(post), {"action": "restore"})

    post.refresh_from_db()
    assert post.state == State.PUBLISHED


def test_post_moderate_lock_then_unlock(organizer_client, member_client):
    post = make_post()

    organizer_client.post(moderate_url(post), {"action": "lock"})

    post.refresh_from_db()
    assert post.is_locked
    page = member_client.get(post.get_absolute_url()).content.decode()
    assert "An organizer locked this thread" in page
    assert "Post your reply" not in page

    organizer_client.post(moderate_url(post), {"action": "unlock"})

    post.refresh_from_db()
    assert not post.is_locked


def test_post_moderate_by_a_member_is_403(member, member_client):
    post = make_post(author=member)

    response = member_client.post(moderate_url(post), {"action": "hide"})

    post.refresh_from_db()
    assert response.status_code == 403
    assert post.state == State.PUBLISHED


def test_post_moderate_by_a_visitor_is_sent_to_log_in(client):
    post = make_post()

    response = client.post(moderate_url(post), {"action": "lock"})

    post.refresh_from_db()
    assert response.status_code == 302
    assert not post.is_locked


def test_post_page_shows_moderation_buttons_to_organizers_only(organizer_client, member_client):
    post = make_post()
    make_reply(post=post)

    organizer_page = organizer_client.get(post.get_absolute_url()).content.decode()
    member_page = member_client.get(post.get_absolute_url()).content.decode()

    assert "Hide post" in organizer_page
    assert "Lock replies" in organizer_page
    assert "Hide post" not in member_page
    assert 'value="hide"' not in member_page


# Replies


def test_reply_moderate_hide_then_restore(organizer_client, client):
    post = make_post(title="T", body="")
    reply = make_reply(post=post, body="Spam spam")

    organizer_client.post(reply_moderate_url(reply), {"action": "hide"})

    reply.refresh_from_db()
    post.refresh_from_db()
    assert reply.state == State.HIDDEN
    assert post.search_document == "T"
    visitor_page = client.get(post.get_absolute_url()).content.decode()
    assert "Spam spam" not in visitor_page
    organizer_page = organizer_client.get(post.get_absolute_url()).content.decode()
    assert "Show the hidden text (organizers only)" in organizer_page

    organizer_client.post(reply_moderate_url(reply), {"action": "restore"})

    reply.refresh_from_db()
    assert reply.state == State.PUBLISHED


def test_reply_moderate_by_a_member_is_403(member_client):
    reply = make_reply(post=make_post())

    response = member_client.post(reply_moderate_url(reply), {"action": "hide"})

    reply.refresh_from_db()
    assert response.status_code == 403
    assert reply.state == State.PUBLISHED


# Reports


def test_post_report_by_a_member(member, member_client):
    post = make_post()
    url = reverse("library:post-report", kwargs={"code": post.code})

    assert member_client.get(url).status_code == 200
    response = member_client.post(url, {"reason": "Shares a phone number"})

    report = Report.objects.get()
    assert response.status_code == 302
    assert (report.post, report.reply, report.reporter) == (post, None, member)
    assert report.reason == "Shares a phone number"


def test_reply_report_by_a_member(member_client):
    reply = make_reply(post=make_post())

    member_client.post(
        reverse("library:reply-report", kwargs={"code": reply.post.code, "reply_id": reply.pk}),
        {"reason": "Rude"},
    )

    report = Report.objects.get()
    assert (report.post, report.reply) == (reply.post, reply)


@pytest.mark.parametrize(
    ("reason", "error"),
    [("", "Tell the organizers what the problem is."), ("x" * 1001, "Keep it to 1000 characters.")],
)
def test_post_report_refuses_missing_or_overlong_reasons(member_client, reason, error):
    post = make_post()

    response = member_client.post(
        reverse("library:post-report", kwargs={"code": post.code}), {"reason": reason}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == [error]
    assert Report.objects.count() == 0


def test_post_report_by_a_visitor_is_sent_to_log_in(client):
    post = make_post()

    response = client.post(
        reverse("library:post-report", kwargs={"code": post.code}), {"reason": "Bad"}
    )

    assert response.status_code == 302
    assert Report.objects.count() == 0


def test_reply_report_of_a_reply_from_another_post_is_404(member_client):
    post = make_post()
    reply = make_reply(post=make_post())

    response = member_client.post(
        reverse("library:reply-report", kwargs={"code": post.code, "reply_id": reply.pk}),
        {"reason": "Bad"},
    )

    assert response.status_code == 404


def make_report(*, resolved: bool = False, reason: str = "Off topic", **fields) -> Report:
    post = fields.pop("post", None) or make_post()
    return Report.objects.create(
        post=post,
        reporter=make_user(),
        reason=reason,
        resolved_at=timezone.now() - timedelta(hours=1) if resolved else None,
        **fields,
    )


def test_reports_queue_lists_open_reports_first(organizer_client):
    resolved = make_report(resolved=True, reason="Old news")
    reply = make_reply(post=make_post(title="Thread"))
    open_one = make_report(post=reply.post, reply=reply, reason="Rude reply")

    response = organizer_client.get(reverse("library:reports"))

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["open_reports"] == [open_one]
    assert response.context["resolved_reports"] == [resolved]
    assert html.index("Rude reply") < html.index("Old news")
    assert f'href="{reply.post.get_absolute_url()}#reply-{reply.pk}"' in html


def test_reports_queue_is_for_organizers_only(client, member_client):
    assert member_client.get(reverse("library:reports")).status_code == 403
    assert client.get(reverse("library:reports")).status_code == 302


def test_report_resolve(organizer_client, member_client):
    report = make_report()
    url = reverse("library:report-resolve", kwargs={"report_id": report.pk})

    assert member_client.post(url).status_code == 403
    report.refresh_from_db()
    assert report.resolved_at is None

    response = organizer_client.post(url)

    report.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("library:reports")
    assert report.resolved_at is not None


def test_reports_queue_query_count_does_not_grow(organizer_client, django_assert_max_num_queries):
    make_report()
    make_reply(post=make_post())

    with django_assert_max_num_queries(6):
        organizer_client.get(reverse("library:reports"))

    for _ in range(30):
        reply = make_reply(post=make_post())
        make_report(post=reply.post, reply=reply)
        make_report(resolved=True)
    with django_assert_max_num_queries(6):
        response = organizer_client.get(reverse("library:reports"))
    assert len(response.context["open_reports"]) == 31


def test_hidden_things_stay_in_the_database(organizer_client):
    post = make_post()
    reply = make_reply(post=post)

    organizer_client.post(reply_moderate_url(reply), {"action": "hide"})
    organizer_client.post(moderate_url(post), {"action": "hide"})

    assert Reply.objects.filter(pk=reply.pk, state=State.HIDDEN).exists()
    assert type(post).objects.filter(pk=post.pk, state=State.HIDDEN).exists()
