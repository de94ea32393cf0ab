"""The post page shows its replies in pages (oldest first), and every link to a reply
leads to the page it is on."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practice_library.models import Reply
from practice_library.models.post import REPLIES_PER_PAGE, State
from tests.cop_portal.test_html_validity import check_with_vnu, java_or_skip
from tests.factories import make_post, make_reply, make_user

pytestmark = pytest.mark.django_db

PAGER = re.compile(r'<nav class="pagination" aria-label="Reply pages">(.*?)</nav>', re.DOTALL)


def add_replies(post, count: int, **fields) -> list[Reply]:
    """`count` replies to `post`, oldest first, with bodies "Reply 0", "Reply 1", …"""
    author = make_user()
    Reply.objects.bulk_create(
        Reply(post=post, author=author, body=f"Reply {n}", **fields) for n in range(count)
    )
    return list(post.replies.order_by("created", "id"))


def shown_reply_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li id="reply-(\d+)"', html)]


def pager(html: str) -> str:
    """The reply pager's markup, or "" without one."""
    match = PAGER.search(html)
    return match.group(1) if match else ""


def current_page(html: str) -> int:
    (number,) = re.findall(r'aria-current="page"><strong>(\d+)</strong>', pager(html))
    return int(number)


def get_link(client: Client, url: str):
    """Open a link as a browser would: the fragment stays in the browser."""
    path = url.removeprefix(settings.SITE_URL).split("#")[0]
    return client.get(path)


def test_post_detail_without_enough_replies_has_no_pager(client):
    post = make_post()
    replies = add_replies(post, REPLIES_PER_PAGE)

    html = client.get(post.get_absolute_url()).content.decode()

    assert shown_reply_ids(html) == [reply.pk for reply in replies]
    assert pager(html) == ""
    assert "Reply pages" not in html


def test_post_detail_with_one_reply_too_many_has_a_pager(client):
    post = make_post()
    replies = add_replies(post, REPLIES_PER_PAGE + 1)

    html = client.get(post.get_absolute_url()).content.decode()

    assert shown_reply_ids(html) == [reply.pk for reply in replies[:REPLIES_PER_PAGE]]
    assert current_page(html) == 1
    assert "this is page 1 of 2." in html
    assert 'rel="next">Later replies</a>' in pager(html)
    assert 'rel="prev"' not in pager(html)


def test_post_detail_page_two_shows_the_next_replies_oldest_first(client):
    post = make_post()
    replies = add_replies(post, 120)
    url = post.get_absolute_url()

    html = client.get(f"{url}?page=2").content.decode()

    assert shown_reply_ids(html) == [reply.pk for reply in replies[50:100]]
    assert "Reply 50</p>" in html
    assert "Reply 49</p>" not in html
    assert '<ol class="replies__list" start="51">' in html
    assert current_page(html) == 2
    assert 'href="?page=1#replies-title" rel="prev">Earlier replies</a>' in pager(html)
    assert 'href="?page=3#replies-title" rel="next">Later replies</a>' in pager(html)


def test_post_detail_pager_is_accessible_and_elides_far_pages(client):
    post = make_post()
    add_replies(post, 20 * REPLIES_PER_PAGE)

    html = client.get(f"{post.get_absolute_url()}?page=10").content.decode()

    links = re.findall(r">(?:<strong>)?(\d+|…)(?:</strong>)?<", pager(html))
    assert links == ["1", "2", "…", "8", "9", "10", "11", "12", "…", "19", "20"]
    assert html.count('aria-label="Reply pages"') == 1
    assert pager(html).count("aria-current") == 1
    assert (
        '<a href="?page=10#replies-title" aria-label="Page 10" aria-current="page">'
        "<strong>10</strong></a>"
    ) in pager(html)
    assert '<a href="?page=20#replies-title" aria-label="Page 20">20</a>' in pager(html)
    assert '<span aria-hidden="true">…</span>' in pager(html)


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        ("abc", 1),
        ("", 1),
        ("1.5", 1),
        ("%00", 1),
        ("%C3%A9", 1),
        ("0", 3),
        ("-1", 3),
        ("99999", 3),
        ("9" * 40, 3),
        ("3", 3),
    ],
)
def test_post_detail_bad_page_numbers_show_the_first_or_last_page(client, page, shown):
    post = make_post()
    replies = add_replies(post, 120)

    response = client.get(f"{post.get_absolute_url()}?page={page}")

    html = response.content.decode()
    assert response.status_code == 200
    assert current_page(html) == shown
    first = (shown - 1) * REPLIES_PER_PAGE
    assert shown_reply_ids(html) == [reply.pk for reply in replies[first : first + 50]]


def test_post_detail_counts_published_replies_but_pages_every_place(client):
    post = make_post()
    add_replies(post, 60)
    make_reply(post=post, body="Rude words", state=State.HIDDEN)

    html = client.get(f"{post.get_absolute_url()}?page=2").content.decode()

    assert '<h2 id="replies-title">Replies (60)</h2>' in html
    assert len(shown_reply_ids(html)) == 11
    assert "This reply was hidden by an organizer." in html


def test_post_detail_members_only_page_two_sends_visitors_to_sign_in(client):
    post = make_post(members_only=True)
    add_replies(post, 60)

    response = client.get(f"{post.get_absolute_url()}?page=2")

    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('account_login')}?next={post.get_absolute_url()}%3Fpage%3D2"
    )


def test_post_detail_hidden_post_page_two_is_404_for_members(member_client):
    post = make_post(state=State.HIDDEN)
    add_replies(post, 60)

    response = member_client.get(f"{post.get_absolute_url()}?page=2")

    assert response.status_code == 404


# Links to a reply


def test_reply_get_absolute_url_names_the_page_of_each_reply(client):
    post = make_post()
    add_replies(post, 120)
    # Replies written in the same instant are ordered by id, on the page and in links.
    Reply.objects.filter(post=post).update(created=timezone.now())
    replies = list(Reply.objects.select_related("post").order_by("id"))

    urls = [reply.get_absolute_url() for reply in replies]
    annotated = [
        reply.get_absolute_url()
        for reply in Reply.objects.with_position().select_related("post").order_by("id")
    ]

    assert annotated == urls
    assert urls[0] == f"{post.get_absolute_url()}#reply-{replies[0].pk}"
    assert urls[49] == f"{post.get_absolute_url()}#reply-{replies[49].pk}"
    assert urls[50] == f"{post.get_absolute_url()}?page=2#reply-{replies[50].pk}"
    assert urls[119] == f"{post.get_absolute_url()}?page=3#reply-{replies[119].pk}"
    for reply in (replies[0], replies[49], replies[50], replies[99], replies[100]):
        html = get_link(client, reply.get_absolute_url()).content.decode()
        assert reply.pk in shown_reply_ids(html)


def test_reply_create_redirects_to_the_last_page_and_emails_link_there(
    member_client, django_capture_on_commit_callbacks
):
    author = make_user(email="ana@example.com")
    post = make_post(author=author, title="Tool library")
    add_replies(post, 120)

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            reverse("library:reply-create", kwargs={"code": post.code}), {"body": "We lend drills."}
        )

    reply = Reply.objects.get(body="We lend drills.")
    link = f"{post.get_absolute_url()}?page=3#reply-{reply.pk}"
    assert response.status_code == 302
    assert response["Location"] == link
    (message,) = [message for message in mail.outbox if message.to == ["ana@example.com"]]
    assert f"{settings.SITE_URL}{link}" in message.body
    assert f'href="{settings.SITE_URL}{link}"' in message.alternatives[0][0]
    html = get_link(member_client, link).content.decode()
    assert current_page(html) == 3
    assert shown_reply_ids(html)[-1] == reply.pk
    assert "We lend drills." in html


def test_answered_badge_leads_to_the_answer_on_its_page(member, member_client):
    post = make_post(kind="question", author=member)
    replies = add_replies(post, 120)
    answer = replies[110]

    response = member_client.post(
        reverse("library:answer-set", kwargs={"code": post.code, "reply_id": answer.pk}),
        {"action": "on"},
    )

    link = f"{post.get_absolute_url()}?page=3#reply-{answer.pk}"
    assert response["Location"] == link
    first = member_client.get(post.get_absolute_url()).content.decode()
    assert f'<a class="badge badge--ok" href="{link}">Answered</a>' in first
    third = get_link(member_client, link).content.decode()
    assert f'<a class="badge badge--ok" href="#reply-{answer.pk}">Answered</a>' in third
    assert f'<li id="reply-{answer.pk}" class="reply reply--published reply--answer">' in third


def test_reply_edit_delete_and_report_link_back_to_the_replys_page(member, member_client):
    post = make_post()
    add_replies(post, 60)
    reply = make_reply(post=post, author=member, body="Mine")
    link = f"{post.get_absolute_url()}?page=2#reply-{reply.pk}"
    edit = reverse("library:reply-edit", kwargs={"code": post.code, "reply_id": reply.pk})
    delete = reverse("library:reply-delete", kwargs={"code": post.code, "reply_id": reply.pk})

    edit_form = member_client.get(edit).content.decode()
    delete_form = member_client.get(delete).content.decode()
    edited = member_client.post(edit, {"body": "Mine, edited"})
    deleted = member_client.post(delete, {"confirm": "yes"})

    assert edit_form.count(f'href="{link}"') == 2
    assert f'href="{link}"' in delete_form
    assert edited["Location"] == link
    assert deleted["Location"] == link
    assert Reply.objects.get(pk=reply.pk).state == State.DELETED


def test_reply_report_form_links_back_to_the_replys_page(member_client):
    post = make_post()
    replies = add_replies(post, 60)
    report = reverse("library:reply-report", kwargs={"code": post.code, "reply_id": replies[55].pk})

    html = member_client.get(report).content.decode()

    link = f"{post.get_absolute_url()}?page=2#reply-{replies[55].pk}"
    assert f'<p class="breadcrumb"><a href="{link}">Back to the post</a></p>' in html


# Cost and markup


@pytest.mark.parametrize("page", ["1", "3", "6", "abc"])
def test_post_detail_query_count_with_hundreds_of_replies(
    member_client, django_assert_max_num_queries, page
):
    few = make_post(kind="question", tags=["a"])
    add_replies(few, 1)
    many = make_post(kind="question", tags=["a", "b"])
    replies = add_replies(many, 300)
    Reply.objects.filter(pk=replies[-1].pk).update(state=State.HIDDEN)
    many.answer = replies[280]
    many.save()

    # The portal's page budget (see test_posts), the same for one reply or hundreds.
    with django_assert_max_num_queries(12):
        response = member_client.get(f"{few.get_absolute_url()}?page={page}")
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        response = member_client.get(f"{many.get_absolute_url()}?page={page}")
    html = response.content.decode()
    assert len(shown_reply_ids(html)) == REPLIES_PER_PAGE
    assert '<h2 id="replies-title">Replies (299)</h2>' in html


def test_post_detail_pages_are_valid_html(tmp_path, member, organizer):
    java_or_skip()
    post = make_post(kind="question", author=member, tags=["a"])
    replies = add_replies(post, 12 * REPLIES_PER_PAGE)
    post.answer = replies[3]
    post.save()
    Reply.objects.filter(pk=replies[301].pk).update(state=State.HIDDEN)
    as_member, as_organizer, visitor = Client(), Client(), Client()
    as_member.force_login(member)
    as_organizer.force_login(organizer)
    url = post.get_absolute_url()

    pages = {
        "first page": as_member.get(url).content.decode(),
        "middle page": as_organizer.get(f"{url}?page=7").content.decode(),
        "last page": visitor.get(f"{url}?page=12").content.decode(),
    }

    assert all(pager(html) for html in pages.values())
    assert check_with_vnu(pages, tmp_path) == []


def test_moderating_a_reply_returns_to_its_page(organizer_client):
    post = make_post()
    replies = add_replies(post, REPLIES_PER_PAGE + 1)
    last = replies[-1]

    response = organizer_client.post(
        reverse("library:reply-moderate", args=[post.code, last.pk]), {"action": "hide"}
    )

    assert response["Location"] == f"{post.get_absolute_url()}?page=2#reply-{last.pk}"


def test_report_queue_links_to_the_reported_replys_page(
    organizer_client, member, django_assert_max_num_queries
):
    from practice_library.models import Report

    posts = [make_post() for _ in range(3)]
    for post in posts:
        last = add_replies(post, REPLIES_PER_PAGE + 1)[-1]
        Report.objects.create(post=post, reply=last, reporter=member, reason="off_topic")

    with django_assert_max_num_queries(10):
        html = organizer_client.get(reverse("library:reports")).content.decode()

    for post in posts:
        last = post.replies.order_by("created", "id").last()
        assert f'href="{post.get_absolute_url()}?page=2#reply-{last.pk}"' in html


def test_dashboard_links_a_new_reply_to_its_page(member, member_client):
    post = make_post(author=member)
    last = add_replies(post, REPLIES_PER_PAGE + 1)[-1]

    html = member_client.get(reverse("members:dashboard")).content.decode()

    assert f'href="{post.get_absolute_url()}?page=2#reply-{last.pk}"' in html
