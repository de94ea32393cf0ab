"""The parts of the library's pages kept for every viewer (the fragments cache): two
members and a visitor read the same pages, something changes, and each sees the change
on their next request, never another member's own bits."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practice_library.models import ActivityPattern
from practice_library.models.post import State
from practice_library.services.moderation import post_set_state
from practice_library.services.patterns import session_focus_set
from practice_library.services.posts import (
    follow_set,
    post_create,
    post_update,
    reply_create,
    reply_update,
)
from tests.factories import make_organizer, make_post, make_reply, make_session, make_user

pytestmark = pytest.mark.django_db

HOME = reverse("library:home")
TAGS = reverse("library:tag-list")


@pytest.fixture
def viewers(member, other_member) -> dict[str, Client]:
    """A visitor and two members, each with their own browser."""
    clients = {"visitor": Client(), "member": Client(), "other": Client()}
    clients["member"].force_login(member)
    clients["other"].force_login(other_member)
    return clients


def pages(viewers: dict[str, Client], url: str) -> dict[str, str]:
    return {name: client.get(url).content.decode() for name, client in viewers.items()}


def edit_url(post, reply) -> str:
    return reverse("library:reply-edit", kwargs={"code": post.code, "reply_id": reply.pk})


def test_library_home_shows_a_new_post_to_each_viewer_at_once(viewers):
    pattern = ActivityPattern.objects.get(slug="requests-for-information")
    author = make_user()
    before = pages(viewers, HOME)

    post_create(
        author=author, pattern=pattern, fields={"title": "Who has a van?"}, tag_names=[], links=[]
    )
    post_create(
        author=author,
        pattern=pattern,
        fields={"title": "Members: a ladder?", "members_only": True},
        tag_names=[],
        links=[],
    )
    after = pages(viewers, HOME)

    assert all("Who has a van?" not in page for page in before.values())
    assert all("Who has a van?" in page for page in after.values())
    assert "Members: a ladder?" in after["member"]
    assert "Members: a ladder?" in after["other"]
    assert "Members: a ladder?" not in after["visitor"]


def test_activity_page_shows_guide_edits_and_new_posts_at_once(viewers):
    pattern = ActivityPattern.objects.get(slug="requests-for-information")
    url = pattern.get_absolute_url()
    pages(viewers, url)

    pattern.invitation = "What do you need to know this week?"
    pattern.save()
    make_post(pattern=pattern, title="Members-only question", members_only=True)
    after = pages(viewers, url)

    assert all("What do you need to know this week?" in page for page in after.values())
    assert "Members-only question" in after["member"]
    assert "Members-only question" in after["other"]
    assert "Members-only question" not in after["visitor"]


def test_activity_page_pagination_keeps_its_own_parameters(member_client):
    pattern = ActivityPattern.objects.get(slug="requests-for-information")
    for n in range(21):
        make_post(pattern=pattern, title=f"Question {n}")

    first = member_client.get(pattern.get_absolute_url(), {"status": "open"}).content.decode()
    second = member_client.get(pattern.get_absolute_url(), {"status": "open", "page": 2})

    assert "?status=open&amp;page=2" in first
    assert second.context["page"].paginator.count == 21
    assert "Question 0" in second.content.decode()  # the oldest, alone on page 2


def test_post_page_shows_each_member_only_their_own_reply_actions(viewers, member, other_member):
    post = make_post(title="Sign-in sheets")
    mine = make_reply(post=post, author=member, body="Clipboards at the door.")
    theirs = make_reply(post=post, author=other_member, body="A QR code.")
    url = post.get_absolute_url()

    for _ in range(2):  # rendered, then kept
        seen = pages(viewers, url)
        assert edit_url(post, mine) in seen["member"]
        assert edit_url(post, theirs) not in seen["member"]
        assert edit_url(post, theirs) in seen["other"]
        assert edit_url(post, mine) not in seen["other"]
        assert "/edit/" not in seen["visitor"].split('id="replies-title"')[1]
        assert all("A QR code." in page for page in seen.values())


def test_post_page_shows_new_and_edited_replies_at_once(viewers, member, other_member):
    post = make_post(title="Sign-in sheets")
    first = make_reply(post=post, author=member, body="Clipboards at the door.")
    url = post.get_absolute_url()
    pages(viewers, url)

    reply_create(post=post, author=other_member, body="We print name tags.")
    reply_update(reply=first, editor=member, body="Clipboards, and pens that work.")
    after = pages(viewers, url)

    assert all("We print name tags." in page for page in after.values())
    assert all("Clipboards, and pens that work." in page for page in after.values())
    assert all("Clipboards at the door." not in page for page in after.values())
    newest = post.replies.latest("created")
    assert edit_url(post, newest) in after["other"]
    assert edit_url(post, newest) not in after["member"]


def test_post_page_forms_are_never_kept_for_the_author_or_organizers(viewers, member):
    question = make_post(kind="question", author=member, title="Where to print?")
    reply = make_reply(post=question, body="The library prints for free.")
    organizer = Client()
    organizer.force_login(make_organizer())
    url = question.get_absolute_url()
    pages(viewers, url)  # kept for the visitor and the other member

    author_page = viewers["member"].get(url)
    organizer_page = organizer.get(url)

    answer = reverse("library:answer-set", kwargs={"code": question.code, "reply_id": reply.pk})
    assert answer in author_page.content.decode()
    assert author_page.context["replies_kept_as"] == ""
    assert organizer_page.context["replies_kept_as"] == ""
    assert "reply-moderate" not in viewers["other"].get(url).content.decode()
    moderate = reverse(
        "library:reply-moderate", kwargs={"code": question.code, "reply_id": reply.pk}
    )
    assert moderate in organizer_page.content.decode()
    assert answer not in viewers["other"].get(url).content.decode()


def test_a_hidden_post_leaves_the_kept_lists_at_once(viewers):
    pattern = ActivityPattern.objects.get(slug="requests-for-information")
    post = make_post(pattern=pattern, title="Soon hidden", tags=["safety"])
    pages(viewers, HOME)
    pages(viewers, pattern.get_absolute_url())
    pages(viewers, TAGS)

    post_set_state(post=post, by=make_organizer(), state=State.HIDDEN)

    for url in (HOME, pattern.get_absolute_url()):
        assert all("Soon hidden" not in page for page in pages(viewers, url).values())
    assert all(">safety<" not in page for page in pages(viewers, TAGS).values())


def test_a_new_tag_shows_on_the_tags_page_at_once(viewers):
    post = make_post(title="Van sharing")
    pages(viewers, TAGS)

    post_update(post=post, editor=post.author, fields={}, tag_names=["transport"], links=[])

    assert all("transport" in page for page in pages(viewers, TAGS).values())


def test_tag_page_shows_new_posts_to_each_viewer_at_once(viewers):
    make_post(title="Vests for walks", tags=["safety"])
    url = reverse("library:tag-detail", kwargs={"slug": "safety"})
    before = pages(viewers, url)

    make_post(title="Members' safety plan", tags=["safety"], members_only=True)
    after = pages(viewers, url)

    assert all("Members&#x27; safety plan" not in page for page in before.values())
    assert "Members&#x27; safety plan" in after["member"]
    assert "Members&#x27; safety plan" in after["other"]
    assert "Members&#x27; safety plan" not in after["visitor"]
    assert "Vests for walks" in after["visitor"]


def test_search_shows_a_new_matching_post_to_each_viewer_at_once(viewers):
    pattern = ActivityPattern.objects.get(slug="requests-for-information")
    make_post(pattern=pattern, title="Borrowing a canopy")
    url = reverse("library:search") + "?q=canopy"
    before = pages(viewers, url)

    post_create(
        author=make_user(),
        pattern=pattern,
        fields={"title": "Members: canopy weights", "members_only": True},
        tag_names=[],
        links=[],
    )
    after = pages(viewers, url)

    assert all("Members: canopy weights" not in page for page in before.values())
    assert "Members: canopy weights" in after["member"]
    assert "Members: canopy weights" in after["other"]
    assert "Members: canopy weights" not in after["visitor"]
    assert all("Borrowing a canopy" in page for page in after.values())


def test_search_kept_results_read_no_posts(member_client, django_assert_max_num_queries):
    for n in range(30):
        make_post(title=f"Canopy {n}", tags=["shade"])
    url = reverse("library:search")
    params = {"q": "canopy", "tag": "shade", "page": "2"}
    member_client.get(url, params)

    # Session, user, activities for the filter, the tag, organizer role (menu).
    with django_assert_max_num_queries(5):
        body = member_client.get(url, params).content.decode()

    assert "Canopy 0<" in body  # the oldest, on page 2
    assert "30 results for “canopy”." in body
    assert "?q=canopy&amp;tag=shade&amp;page=1" in body


def test_search_kept_results_are_shared_by_every_spelling_of_a_search(
    member_client, django_assert_max_num_queries
):
    for n in range(30):
        make_post(title=f"Canopy {n}", tags=["shade"])
    url = reverse("library:search")
    member_client.get(url, {"q": "canopy", "tag": "shade", "page": "1"})

    # Other parameters, spaces, another spelling of the page: the same kept results,
    # whose links carry only the search.
    with django_assert_max_num_queries(5):
        body = member_client.get(
            url, {"q": " canopy ", "tag": "shade", "page": "01", "utm_source": "x<y"}
        ).content.decode()
    page_2 = member_client.get(url, {"q": "canopy", "tag": "shade", "page": "2"}).content.decode()

    assert "30 results for “canopy”." in body
    assert "Canopy 29<" in body  # the newest, on page 1
    assert 'href="?q=canopy&amp;tag=shade&amp;page=2" rel="next"' in body
    pagination = body.split('<nav class="pagination"')[1].split("</nav>")[0]
    assert "utm_source" not in pagination
    assert "Canopy 0<" in page_2  # the oldest, on page 2
    assert "Canopy 29<" not in page_2


def test_activity_page_shows_a_newly_focused_session_at_once(viewers):
    pattern = ActivityPattern.objects.get(slug="requests-for-information")
    url = pattern.get_absolute_url()
    session = make_session(title="Ask the room")
    before = pages(viewers, url)

    session_focus_set(session=session, activities=[pattern])
    after = pages(viewers, url)

    assert all("Ask the room" not in page for page in before.values())
    assert all("Ask the room" in page for page in after.values())


def test_activity_page_kept_reads_only_the_activity(member_client, django_assert_max_num_queries):
    pattern = ActivityPattern.objects.get(slug="requests-for-information")
    pattern.sessions.add(make_session(title="Ask the room"))
    make_post(pattern=pattern, title="Who has a van?")
    member_client.get(pattern.get_absolute_url())

    # Session, user, the activity, organizer role (menu): no steps, sessions or posts.
    with django_assert_max_num_queries(4):
        body = member_client.get(pattern.get_absolute_url()).content.decode()

    assert "Ask the room" in body
    assert "Who has a van?" in body


def test_post_page_kept_replies_are_not_read_again(viewers, member, other_member):
    post = make_post(title="Sign-in sheets")
    for n in range(3):
        make_reply(post=post, body=f"Idea {n}.")
    mine = make_reply(post=post, author=other_member, body="A QR code.")
    url = post.get_absolute_url()
    pages(viewers, url)

    with CaptureQueriesContext(connection) as queries:
        seen = pages(viewers, url)

    # The page of replies is read only for the one who has replies there (to name the
    # kept entry after them), never for the visitor and the member who have none.
    reads = [q["sql"] for q in queries if q["sql"].startswith('SELECT "practice_library_reply"')]
    assert len(reads) == 1
    assert all("Idea 2." in page for page in seen.values())
    assert edit_url(post, mine) in seen["other"]
    assert edit_url(post, mine) not in seen["member"]
    assert "/edit/" not in seen["visitor"].split('id="replies-title"')[1]


def test_post_page_follow_button_follows_the_viewer(viewers, member):
    post = make_post(title="Sign-in sheets")
    url = post.get_absolute_url()

    follow_set(post=post, user=member, on=True)
    seen = pages(viewers, url)

    assert "You get an email when someone replies." in seen["member"]
    assert "Get an email when someone replies." in seen["other"]
