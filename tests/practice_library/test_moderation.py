import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practice_library.models import Reply, Report, ReportOutcome, ReportReason
from practice_library.models.post import State
from tests.factories import make_post, make_reply, make_report, make_user

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


def post_report_url(post) -> str:
    return reverse("library:post-report", kwargs={"code": post.code})


def reply_report_url(reply) -> str:
    return reverse("library:reply-report", kwargs={"code": reply.post.code, "reply_id": reply.pk})


def test_report_form_offers_the_reasons_as_a_short_list(member_client):
    post = make_post()

    response = member_client.get(post_report_url(post))

    html = response.content.decode()
    assert response.status_code == 200
    assert [label for _, label in response.context["form"]["reason"].field.choices] == [
        "Spam or advertising",
        "Harassment or a personal attack",
        "Private information shared",
        "Off-topic or misleading",
        "Something else",
    ]
    assert 'type="radio" name="reason" value="private"' in html
    assert "Anything the organizers should know?" in html


def test_post_report_by_a_member(member, member_client):
    post = make_post()

    response = member_client.post(
        post_report_url(post), {"reason": "private", "details": "Shares a phone number"}
    )

    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url()
    assert (report.post, report.reply, report.reporter) == (post, None, member)
    assert (report.reason, report.details) == (ReportReason.PRIVATE, "Shares a phone number")
    assert (report.resolved_at, report.outcome, report.notified_at) == (None, "", None)


def test_post_report_without_details_is_fine(member_client):
    post = make_post()

    response = member_client.post(post_report_url(post), {"reason": "spam"})

    assert response.status_code == 302
    assert list(Report.objects.values_list("reason", "details")) == [("spam", "")]


def test_reply_report_by_a_member(member_client):
    reply = make_reply(post=make_post())

    response = member_client.post(reply_report_url(reply), {"reason": "harassment"})

    report = Report.objects.get()
    assert response.status_code == 302
    assert (report.post, report.reply, report.reason) == (reply.post, reply, "harassment")


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({}, "reason", "Choose what's wrong."),
        ({"reason": "rude"}, "reason", "Choose one of the reasons listed."),
        ({"reason": "other"}, "details", "Tell the organizers what the problem is."),
        (
            {"reason": "other", "details": "   "},
            "details",
            "Tell the organizers what the problem is.",
        ),
        ({"reason": "spam", "details": "x" * 1001}, "details", "Keep it to 1000 characters."),
    ],
)
def test_post_report_refuses_a_missing_or_unknown_reason(member_client, data, field, error):
    post = make_post()

    response = member_client.post(post_report_url(post), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert response.context["form"].errors == {field: [error]}
    assert f'id="id_{field}_error"' in html
    assert Report.objects.count() == 0


def test_post_report_by_a_visitor_is_sent_to_log_in(client):
    post = make_post()

    response = client.post(post_report_url(post), {"reason": "spam"})

    assert response.status_code == 302
    assert Report.objects.count() == 0


def test_reply_report_of_a_reply_from_another_post_is_404(member_client):
    post = make_post()
    reply = make_reply(post=make_post())

    response = member_client.post(
        reverse("library:reply-report", kwargs={"code": post.code, "reply_id": reply.pk}),
        {"reason": "spam"},
    )

    assert response.status_code == 404
    assert Report.objects.count() == 0


def resolve_url(report) -> str:
    return reverse("library:report-resolve", kwargs={"report_id": report.pk})


def test_reports_list_shows_each_report_with_the_words_reported(organizer, organizer_client):
    resolved = make_report(resolved=True, details="Old news", resolved_by=organizer)
    reply = make_reply(
        post=make_post(title="Block party permits"),
        body="**Call me** at 216-555-0100, any time.\n\nI'm *always* up.",
        author=make_user(display_name="Rita Replier"),
    )
    open_one = make_report(
        post=reply.post,
        reply=reply,
        reason=ReportReason.PRIVATE,
        details="That's my number, not theirs.",
        reporter=make_user(display_name="Rae Reporter"),
    )

    response = organizer_client.get(reverse("library:reports"))

    html = response.content.decode()
    assert response.status_code == 200
    review = response.context["review"]
    assert [item.reports for item in review.waiting] == [[open_one]]
    assert review.resolved == [resolved]
    assert "<strong>Private information shared</strong>" in html
    assert "That&#x27;s my number, not theirs." in html
    assert "Reported by Rae Reporter" in html
    assert "A reply by Rita Replier to" in html
    assert (
        '<blockquote class="report__excerpt">Call me at 216-555-0100, any time. '
        "I&#x27;m always up.</blockquote>"
    ) in html
    assert f'href="{reply.post.get_absolute_url()}#reply-{reply.pk}"' in html
    assert html.count('name="action" value="hide"') == 1
    assert html.count('name="action" value="dismiss"') == 1
    assert f"Left up</span> by {organizer.display_name}," in " ".join(html.split())
    assert html.index("That&#x27;s my number") < html.index("Old news")


def test_reports_about_the_same_reply_share_one_card_and_one_pair_of_buttons(organizer_client):
    reply = make_reply(post=make_post(title="Porch talks"), body="Buy my list")
    first = make_report(post=reply.post, reply=reply, reason=ReportReason.SPAM)
    make_report(post=reply.post, reply=reply, reason=ReportReason.OFF_TOPIC, details="Ad")
    make_report(post=reply.post)

    response = organizer_client.get(reverse("library:reports"))

    html = response.content.decode()
    assert [len(item.reports) for item in response.context["review"].waiting] == [2, 1]
    assert html.count('<blockquote class="report__excerpt">Buy my list</blockquote>') == 1
    assert html.count('name="action" value="hide"') == 2
    assert f'action="{resolve_url(first)}"' in html
    assert "Closes all 2 reports." in html
    assert 'Waiting <span class="count">(3)</span>' in html


def test_reports_list_quotes_the_start_of_a_long_post(organizer_client):
    report = make_report(post=make_post(title="Long one", body="word " * 100))

    response = organizer_client.get(reverse("library:reports"))

    assert report.excerpt == ("word " * 40)[:199] + "…"
    assert f'<blockquote class="report__excerpt">{report.excerpt}</blockquote>' in (
        response.content.decode()
    )


def test_reports_list_is_for_organizers_only(client, member_client):
    make_report(details="Posted my address", reporter=make_user(display_name="Rae Reporter"))
    url = reverse("library:reports")

    refused = member_client.get(url)
    visitor = client.get(url)

    assert refused.status_code == 403
    for secret in ("Posted my address", "Rae Reporter", "report__excerpt"):
        assert secret not in refused.content.decode()
    assert visitor.status_code == 302
    assert visitor["Location"] == f"{reverse('account_login')}?next={url}"
    assert Report.objects.get().resolved_at is None


def test_hide_it_hides_the_reply_and_resolves_every_open_report_about_it(
    organizer, organizer_client
):
    reply = make_reply(post=make_post())
    first = make_report(post=reply.post, reply=reply)
    second = make_report(post=reply.post, reply=reply, reason=ReportReason.SPAM)
    about_the_post = make_report(post=reply.post)

    response = organizer_client.post(resolve_url(second), {"action": "hide"})

    reply.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("library:reports")
    assert reply.state == State.HIDDEN
    assert list(
        Report.objects.filter(reply=reply)
        .order_by()
        .values_list("outcome", "resolved_by")
        .distinct()
    ) == [("hidden", organizer.pk)]
    assert (
        Report.objects.filter(pk__in=[first.pk, second.pk], resolved_at__isnull=False).count() == 2
    )
    about_the_post.refresh_from_db()
    assert (about_the_post.resolved_at, about_the_post.outcome) == (None, "")
    page = organizer_client.get(reverse("library:reports")).content.decode()
    assert "It&#x27;s hidden now, and the people who reported it will hear so." in page


def test_hide_it_hides_the_post(organizer_client, member_client):
    report = make_report()

    organizer_client.post(resolve_url(report), {"action": "hide"})

    report.refresh_from_db()
    report.post.refresh_from_db()
    assert report.post.state == State.HIDDEN
    assert report.outcome == ReportOutcome.HIDDEN
    assert member_client.get(report.post.get_absolute_url()).status_code == 404


def test_dismiss_leaves_it_up_and_resolves_the_reports(organizer, organizer_client):
    report = make_report()
    other = make_report(post=report.post)

    response = organizer_client.post(resolve_url(report), {"action": "dismiss"})

    report.post.refresh_from_db()
    assert response.status_code == 302
    assert report.post.state == State.PUBLISHED
    assert list(Report.objects.values_list("pk", "outcome", "resolved_by").order_by("pk")) == [
        (report.pk, "dismissed", organizer.pk),
        (other.pk, "dismissed", organizer.pk),
    ]
    page = organizer_client.get(reverse("library:reports")).content.decode()
    assert "It stays up, and the people who reported it will hear so." in page


def test_a_report_someone_already_dealt_with_stays_as_they_left_it(organizer_client):
    report = make_report(resolved=True)

    response = organizer_client.post(resolve_url(report), {"action": "hide"})

    report.refresh_from_db()
    report.post.refresh_from_db()
    assert response.status_code == 302
    assert report.outcome == ReportOutcome.DISMISSED
    assert report.post.state == State.PUBLISHED
    page = organizer_client.get(reverse("library:reports")).content.decode()
    assert "Another organizer already dealt with that report." in page


def test_hide_it_on_a_reply_its_author_deleted_closes_the_report(organizer_client):
    reply = make_reply(post=make_post(), state=State.DELETED)
    report = make_report(post=reply.post, reply=reply)

    response = organizer_client.post(resolve_url(report), {"action": "hide"})

    report.refresh_from_db()
    reply.refresh_from_db()
    assert response.status_code == 302
    assert (report.outcome, reply.state) == (ReportOutcome.HIDDEN, State.DELETED)


@pytest.mark.parametrize("data", [{}, {"action": "delete"}])
def test_report_resolve_refuses_an_unknown_action(organizer_client, data):
    report = make_report()

    response = organizer_client.post(resolve_url(report), data)

    report.refresh_from_db()
    assert response.status_code == 400
    assert "Choose Hide it or Dismiss." in response.content.decode()
    assert report.resolved_at is None


def test_report_resolve_is_for_organizers_only(member_client, client):
    report = make_report()

    assert member_client.post(resolve_url(report), {"action": "hide"}).status_code == 403
    assert client.post(resolve_url(report), {"action": "dismiss"}).status_code == 302

    report.refresh_from_db()
    report.post.refresh_from_db()
    assert (report.resolved_at, report.post.state) == (None, State.PUBLISHED)


def test_hiding_from_the_post_page_resolves_the_reports_too(organizer_client):
    report = make_report()

    organizer_client.post(moderate_url(report.post), {"action": "hide"})

    report.refresh_from_db()
    assert report.outcome == ReportOutcome.HIDDEN


def test_reports_list_query_count_does_not_grow(organizer_client, django_assert_max_num_queries):
    make_report()
    make_report(resolved=True, resolved_by=make_user())

    with django_assert_max_num_queries(7):
        organizer_client.get(reverse("library:reports"))

    # Many items, several reports about each (replies and posts), and resolved ones.
    for _ in range(15):
        reply = make_reply(post=make_post())
        for reason in (ReportReason.SPAM, ReportReason.HARASSMENT, ReportReason.PRIVATE):
            make_report(reply=reply, reason=reason, reporter=make_user())
        post = make_post()
        make_report(post=post)
        make_report(post=post, reason=ReportReason.SPAM)
        make_report(resolved=True, resolved_by=make_user())
    with django_assert_max_num_queries(7):
        response = organizer_client.get(reverse("library:reports"))

    review = response.context["review"]
    assert [len(item.reports) for item in review.waiting] == [1] + [3, 2] * 15
    assert review.waiting_count == 76
    assert len(review.resolved) == 16
    html = response.content.decode()
    assert html.count('name="action" value="hide"') == 31
    assert 'Waiting <span class="count">(76)</span>' in html


# The count in the Organize menu


def badges(html: str) -> list[str]:
    return re.findall(r'<span class="count-badge">(.*?)</span></span>', html)


def test_organize_menu_counts_the_open_reports(organizer_client):
    for _ in range(3):
        make_report()
    make_report(resolved=True)

    html = organizer_client.get(reverse("library:reports")).content.decode()

    # The menu's summary, its item, and the Organize sub-navigation.
    assert badges(html) == [
        '3<span class="visually-hidden"> library reports waiting',
        '3<span class="visually-hidden"> waiting',
        '3<span class="visually-hidden"> waiting',
    ]
    assert (
        '<summary>Organize<span class="visually-hidden">,</span> <span class="count-badge">3'
        '<span class="visually-hidden"> library reports waiting</span></span></summary>'
    ) in html
    assert (
        html.count(
            'Library reports<span class="visually-hidden">,</span> <span class="count-badge">3'
            '<span class="visually-hidden"> waiting</span></span></a>'
        )
        == 2
    )


def test_organize_menu_shows_no_count_when_nothing_waits(organizer_client):
    make_report(resolved=True)

    html = organizer_client.get(reverse("library:reports")).content.decode()

    assert badges(html) == []
    assert "count-badge" not in html


def report_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    return [q["sql"] for q in context.captured_queries if "practice_library_report" in q["sql"]]


def test_organize_menu_count_is_one_query_for_organizers_and_none_for_others(
    organizer_client, member_client, client
):
    url = reverse("members:dashboard")
    make_report()
    one = report_queries(organizer_client, url)
    for _ in range(20):
        make_report()

    many = report_queries(organizer_client, url)

    assert len(one) == len(many) == 1
    assert "COUNT(" in many[0]
    assert report_queries(member_client, url) == []
    assert report_queries(client, reverse("library:home")) == []


def test_hidden_things_stay_in_the_database(organizer_client):
    post = make_post()
    reply = make_reply(post=post)

    organizer_client.post(reply_moderate_url(reply), {"action": "hide"})
    organizer_client.post(moderate_url(post), {"action": "hide"})

    assert Reply.objects.filter(pk=reply.pk, state=State.HIDDEN).exists()
    assert type(post).objects.filter(pk=post.pk, state=State.HIDDEN).exists()
