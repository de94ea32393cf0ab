"""The post form helps: a server-rendered preview, tags as chips with suggestions, the
nearest sessions to link, the file limits in words; and library pages whose headings
never skip a level."""

import re
from datetime import timedelta
from html import unescape
from itertools import pairwise

import pytest
from django.urls import reverse
from django.utils import timezone

from practice_library.models import Post, Tag
from practice_library.selectors import LINKABLE_MAX
from practice_library.uploads import ALLOWED, KINDS_IN_WORDS, limits_in_words
from tests.factories import _pattern_for_kind, make_post, make_session

pytestmark = pytest.mark.django_db


def create_url(kind: str = "discussion") -> str:
    return reverse("library:post-create", kwargs={"slug": _pattern_for_kind(kind).slug})


def edit_url(post: Post) -> str:
    return reverse("library:post-edit", kwargs={"code": post.code})


def headings(page: str) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", page)]


# Preview


def test_preview_shows_the_sanitized_post_and_saves_nothing(member_client):
    response = member_client.post(
        create_url(),
        {
            "title": "Our picnic budget",
            "body": "## Costs\n\n- **Food** $200\n\n"
            "<img src=x onerror=alert(1)>[x](javascript:alert(1))",
            "tags": "picnics",
            "preview": "1",
        },
    )

    page = response.content.decode()
    preview = page.split('id="preview"')[1].split("</section>")[0]
    assert response.status_code == 200
    assert Post.objects.count() == 0
    assert "Our picnic budget" in preview
    assert "<h2>Costs</h2>" in preview
    assert "<li><strong>Food</strong> $200</li>" in preview
    assert "<img" not in preview  # shown as text, never as markup
    assert 'href="javascript' not in preview
    # The form comes back as typed, ready to publish.
    assert response.context["form"]["title"].value() == "Our picnic budget"
    assert 'name="preview" value="1"' in page


def test_preview_of_an_edit_leaves_the_post_as_it_was(member, member_client):
    post = make_post(author=member, title="Before", body="Old words", tags=["old"])

    response = member_client.post(
        edit_url(post), {"title": "After", "body": "New words", "preview": "1"}
    )

    post.refresh_from_db()
    assert response.status_code == 200
    assert (post.title, post.body) == ("Before", "Old words")
    assert list(post.tags.values_list("name", flat=True)) == ["old"]
    assert "<p>New words</p>" in response.content.decode()


def test_preview_with_errors_still_says_what_is_wrong(member_client):
    response = member_client.post(create_url(), {"title": "", "body": "Draft", "preview": "1"})

    page = unescape(response.content.decode())
    assert response.status_code == 400
    assert "Give your post a title." in page
    assert "<p>Draft</p>" in page
    assert Post.objects.count() == 0


def test_preview_says_files_must_be_chosen_again(member_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = member_client.post(
        create_url(), {"title": "Plan", "attachments": upload, "preview": "1"}
    )

    assert "A preview can't keep files: choose them again before you publish." in unescape(
        response.content.decode()
    )
    assert Post.objects.count() == 0


# Tags as chips


def test_typed_tags_come_back_as_ticked_chips(member_client):
    response = member_client.post(
        create_url(), {"title": "", "tags_picked": ["Youth"], "tags": "volunteers, youth ,"}
    )

    page = response.content.decode()
    field = response.context["form"]["tags"]
    assert field.ticked == ["Youth", "volunteers"]  # "youth" is "Youth" already
    assert field.value() == ""
    assert (
        '<input type="checkbox" name="tags_picked" value="volunteers" id="id_tags_picked_1" '
        "checked>"
    ) in page
    assert 'name="tags" value=' not in page  # the box is empty again


def test_typed_tags_with_a_mistake_stay_typed(member_client):
    response = member_client.post(
        create_url(), {"title": "Tags", "tags_picked": ["youth"], "tags": "murals, " + "x" * 51}
    )

    field = response.context["form"]["tags"]
    assert response.status_code == 400
    assert field.ticked == ["youth"]
    assert field.value() == "murals, " + "x" * 51
    assert field.errors == [f"“{'x' * 30}…” is too long: keep each tag to 50 characters."]


def test_ticked_chips_and_typed_tags_make_the_saved_tags(member_client):
    Tag.objects.create(name="Budget", slug="budget")

    response = member_client.post(
        create_url(),
        {"title": "Tags", "tags_picked": ["youth", "Budget"], "tags": "budgets, Murals"},
    )

    post = Post.objects.get()
    assert response.status_code == 302
    assert set(post.tags.values_list("name", flat=True)) == {"youth", "Budget", "mural"}


def test_unticking_a_tag_takes_it_off_and_offers_it_again(member, member_client):
    post = make_post(author=member, title="Grants", tags=["grants", "youth"])

    shown = member_client.post(edit_url(post), {"title": "", "tags_picked": ["youth"]})

    page = shown.content.decode()
    assert '<input type="checkbox" name="tags_picked" value="grants" id="id_tags_picked_1">' in page
    member_client.post(edit_url(post), {"title": "Grants", "tags_picked": ["youth"]})
    assert list(post.tags.values_list("name", flat=True)) == ["youth"]


def test_at_most_eight_tags_counting_chips_and_typed(member_client):
    response = member_client.post(
        create_url(),
        {"title": "Many", "tags_picked": [f"t{n}" for n in range(6)], "tags": "a, b, c"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["tags"] == ["Use at most 8 tags (you gave 9)."]
    assert Post.objects.count() == 0


def test_a_chip_too_long_is_refused(member_client):
    response = member_client.post(create_url(), {"title": "Long", "tags_picked": ["x" * 51]})

    assert response.status_code == 400
    assert "keep each tag to 50 characters" in str(response.context["form"].errors)


def test_unticking_every_wished_for_skill_is_refused(member_client):
    response = member_client.post(create_url("gap"), {"title": "Gaps", "tags": ""})

    assert response.status_code == 400
    assert response.context["form"].errors["tags"] == ["Name at least one wished-for skill."]


def test_suggestions_are_the_busiest_topics_first(member_client):
    make_post(tags=["gardens", "youth"])
    make_post(tags=["youth"])
    make_post(tags=["hidden only"], state="hidden")
    Tag.objects.create(name="unused", slug="unused")

    response = member_client.get(create_url())

    page = response.content.decode()
    datalist = page.split('<datalist id="id_tags_suggestions">')[1].split("</datalist>")[0]
    assert datalist == '<option value="youth"></option><option value="gardens"></option>'
    assert 'list="id_tags_suggestions"' in page
    # The busiest are chips to tick, too.
    assert [(chip.name, chip.ticked) for chip in response.context["form"]["tags"].chips] == [
        ("youth", False),
        ("gardens", False),
    ]
    assert '<input type="checkbox" name="tags_picked" value="youth" id="id_tags_picked_0">' in page


# Related sessions


def test_sessions_offered_are_the_nearest_in_the_window(member_client):
    now = timezone.now()
    far_past = make_session(topic="Long ago", starts_at=now - timedelta(days=200))
    far_ahead = make_session(topic="Far off", starts_at=now + timedelta(days=100))
    last_week = make_session(topic="Last week", starts_at=now - timedelta(days=7))
    tomorrow = make_session(topic="Tomorrow", starts_at=now + timedelta(days=1))
    next_month = make_session(topic="Next month", starts_at=now + timedelta(days=30))
    draft = make_session(topic="Draft", starts_at=now + timedelta(days=2), status="draft")

    response = member_client.get(create_url())

    offered = list(response.context["form"].fields["sessions"].queryset)
    assert offered == [tomorrow, last_week, next_month]
    assert not {far_past, far_ahead, draft} & set(offered)
    local = timezone.localtime(tomorrow.starts_at)
    label = f"Tomorrow, {local:%a %b} {local.day}, {local.year}"
    assert label in unescape(response.content.decode())


def test_sessions_offered_are_the_nearest_on_both_sides_of_now(member_client):
    now = timezone.now()
    past = [make_session(starts_at=now - timedelta(days=day, hours=1)) for day in range(15)]
    ahead = [make_session(starts_at=now + timedelta(days=day, hours=2)) for day in range(15)]

    response = member_client.get(create_url())

    offered = list(response.context["form"].fields["sessions"].queryset)
    assert offered == [item for pair in zip(past[:6], ahead[:6], strict=True) for item in pair]


def test_at_most_twelve_sessions_are_offered_but_a_linked_one_stays(member, member_client):
    now = timezone.now()
    for day in range(1, 20):
        make_session(starts_at=now + timedelta(days=day))
    old = make_session(topic="The old one", starts_at=now - timedelta(days=400))
    post = make_post(author=member)
    post.sessions.add(old)

    new_form = member_client.get(create_url()).context["form"]
    edit_form = member_client.get(edit_url(post)).context["form"]

    assert len(new_form.fields["sessions"].queryset) == LINKABLE_MAX
    assert list(edit_form.fields["sessions"].queryset)[-1] == old
    assert edit_form["sessions"].value() == [old.pk]


def test_post_form_queries_stay_flat_as_sessions_and_tags_grow(
    member_client, django_assert_max_num_queries
):
    make_session()
    make_post(tags=["one"])
    with django_assert_max_num_queries(14):
        member_client.get(create_url())
    now = timezone.now()
    for day in range(1, 30):
        make_session(starts_at=now + timedelta(days=day))
    for n in range(30):
        make_post(tags=[f"tag {n}", f"other {n}"])
    with django_assert_max_num_queries(14):
        member_client.get(create_url())


# Files


def test_file_limits_are_said_in_words(member_client, settings):
    settings.LIBRARY_MAX_UPLOAD_BYTES = 5 * 1024 * 1024

    page = unescape(member_client.get(create_url()).content.decode())

    assert limits_in_words() == (
        "PDF, Word, Excel, PowerPoint, OpenDocument, images or text files; "
        "up to 5 MB each, at most 3 files."
    )
    assert limits_in_words() in page
    assert 'class="file-picker"' in page


def test_the_words_name_every_allowed_kind_of_file():
    said = [extension for _, extensions in KINDS_IN_WORDS for extension in extensions]

    assert sorted(said) == sorted(ALLOWED)


# Headings and the activity page


def test_library_pages_never_skip_a_heading_level(client):
    tagged = make_post(title="Tagged post", tags=["gardens"])
    pages = [
        reverse("library:home"),
        reverse("library:tag-list"),
        tagged.tags.get().get_absolute_url(),
        reverse("library:search") + "?q=tagged",
        reverse("library:pattern-detail", args=["requests-for-information"]),
    ]
    for url in pages:
        levels = headings(client.get(url).content.decode())
        assert levels[0] == 1, url
        assert all(b - a <= 1 for a, b in pairwise(levels)), (url, levels)


def test_activity_page_offers_sharing_before_the_guide(client):
    url = reverse("library:pattern-detail", args=["requests-for-information"])
    make_post(pattern=_pattern_for_kind("question"), title="Elsewhere")

    page = client.get(url).content.decode()

    share = page.index(reverse("library:post-create", args=["requests-for-information"]))
    assert share < page.index('id="steps-title"')
    assert page.index('href="#posts"') < page.index('id="steps-title"')
