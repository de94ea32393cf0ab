"""The eleven activities: what the data migration installs, each activity's page, and
the organizer's edit page."""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse

from practice_library.models import ActivityPattern, PatternStep
from practice_library.services.counts import counts_recount
from practice_library.services.posts import answer_set
from sessions_app.models import SessionStatus
from tests.factories import make_post, make_reply, make_session, make_user

pytestmark = pytest.mark.django_db

ELEVEN = [
    ("Problem solving", "question"),
    ("Requests for information", "question"),
    ("Seeking experience", "question"),
    ("Reusing assets", "asset"),
    ("Coordination and synergy", "coordination"),
    ("Building an argument", "argument"),
    ("Growing confidence", "feedback"),
    ("Discussing new developments", "discussion"),
    ("Documenting projects", "project"),
    ("Visits", "visit"),
    ("Identifying gaps in competence", "gap"),
]
WITH_TEMPLATES = {
    "problem-solving",
    "requests-for-information",
    "reusing-assets",
    "visits",
    "building-an-argument",
    "documenting-projects",
}
MIGRATION = importlib.import_module("practice_library.migrations.0002_the_eleven_activities")


def detail_url(slug: str) -> str:
    return reverse("library:pattern-detail", kwargs={"slug": slug})


def edit_url(slug: str) -> str:
    return reverse("library:pattern-edit", kwargs={"slug": slug})


def minutes(pattern: ActivityPattern, format: str) -> int:
    return sum(step.minutes for step in pattern.steps.all() if step.format == format)


def titles(body: str) -> list[str]:
    return re.findall(r'class="post-card__title"><a href="[^"]*">([^<]*)</a>', body)


# The data migration ------------------------------------------------------------------


def test_migration_installs_the_eleven_in_order():
    patterns = ActivityPattern.objects.order_by("position")

    assert [(p.name, p.kind) for p in patterns] == ELEVEN
    assert [p.position for p in patterns] == list(range(1, 12))


def test_migration_gives_every_activity_its_texts_and_timed_steps():
    for pattern in ActivityPattern.objects.prefetch_related("steps"):
        pattern.full_clean()  # lengths and choices hold, as on PostgreSQL
        for step in pattern.steps.all():
            step.full_clean()
        for field in ("purpose", "when_to_use", "online_and_in_room", "group_size", "materials"):
            assert getattr(pattern, field), (pattern.slug, field)
        assert pattern.invitation.endswith("?"), pattern.slug
        assert pattern.tips_and_traps.startswith("- "), pattern.slug
        assert 3 <= len(pattern.prompts) <= 5, pattern.slug
        assert 25 <= minutes(pattern, "brief") <= 45, pattern.slug
        assert 60 <= minutes(pattern, "in-depth") <= 100, pattern.slug
        assert bool(pattern.post_template) == (pattern.slug in WITH_TEMPLATES), pattern.slug


def test_migration_gives_documenting_projects_the_five_headings():
    template = ActivityPattern.objects.get(slug="documenting-projects").post_template

    headings = re.findall(r"^## (.+)$", template, flags=re.MULTILINE)

    assert headings == [
        "Context",
        "The problem",
        "What we tried",
        "Outcome",
        "What others can reuse",
    ]


def test_migration_relates_activities_both_ways():
    related = {
        p.slug: {other.slug for other in p.related.all()}
        for p in ActivityPattern.objects.prefetch_related("related")
    }

    for slug, others in related.items():
        assert 2 <= len(others) <= 3, slug
        for other in others:
            assert slug in related[other], (slug, other)


def test_migration_reverses_and_runs_again():
    MIGRATION.remove_patterns(django_apps, None)
    assert ActivityPattern.objects.count() == 0
    assert PatternStep.objects.count() == 0

    MIGRATION.install_patterns(django_apps, None)
    MIGRATION.install_patterns(django_apps, None)

    assert ActivityPattern.objects.count() == 11
    assert PatternStep.objects.count() == sum(
        len(data["brief"]) + len(data["in_depth"]) for data in MIGRATION.PATTERNS
    )


# The activity page -------------------------------------------------------------------


def test_pattern_page_shows_the_facilitator_guide(any_client):
    pattern = ActivityPattern.objects.get(slug="documenting-projects")

    response = any_client.get(detail_url(pattern.slug))

    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Documenting projects</h1>" in body
    assert f"<p>{pattern.invitation}</p>" in body
    brief, in_depth = minutes(pattern, "brief"), minutes(pattern, "in-depth")
    assert f'Brief session <span class="step-plan__total">{brief} minutes' in body
    assert f'In-depth session <span class="step-plan__total">{in_depth} minutes' in body
    assert "<strong>Write up what didn" in body  # tips rendered from Markdown
    assert f'href="{detail_url("problem-solving")}"' in body  # a related activity
    create = reverse("library:post-create", kwargs={"slug": pattern.slug})
    assert f'href="{create}"' in body


def test_pattern_page_edit_link_only_for_organizers(member_client, organizer_client):
    link = f'href="{edit_url("visits")}"'

    assert link not in Client().get(detail_url("visits")).content.decode()
    assert link not in member_client.get(detail_url("visits")).content.decode()
    assert link in organizer_client.get(detail_url("visits")).content.decode()


def test_pattern_page_unknown_slug_is_404(client):
    response = client.get(detail_url("knitting-circle"))

    assert response.status_code == 404


def test_pattern_page_lists_public_sessions_most_recent_first(client):
    pattern = ActivityPattern.objects.get(slug="visits")
    older = make_session(title="Garden tour", starts_at=_days(-60))
    newer = make_session(title="Pantry visit", starts_at=_days(-10))
    called_off = make_session(title="Rained out", status=SessionStatus.CANCELLED)
    draft = make_session(title="Still a draft", status=SessionStatus.DRAFT)
    pattern.sessions.add(older, newer, called_off, draft)

    body = client.get(detail_url("visits")).content.decode()

    section = body.split('id="sessions-title"')[1].split("</section>")[0]
    assert re.findall(r'<a href="[^"]*">([^<]*)</a>', section) == [
        "Rained out",
        "Pantry visit",
        "Garden tour",
    ]
    assert f'href="{newer.get_absolute_url()}"' in section
    assert "Still a draft" not in body


def test_pattern_page_hides_members_only_posts_from_visitors(client, member_client):
    pattern = ActivityPattern.objects.get(slug="reusing-assets")
    make_post(pattern=pattern, title="Our cleanup flyer")
    make_post(pattern=pattern, title="Tenant letter", members_only=True)
    make_post(pattern=pattern, title="Taken down", state="hidden")

    visitor = titles(client.get(detail_url(pattern.slug)).content.decode())
    member = titles(member_client.get(detail_url(pattern.slug)).content.decode())

    assert visitor == ["Our cleanup flyer"]
    assert member == ["Tenant letter", "Our cleanup flyer"]


def test_pattern_page_filters_questions_by_status(client):
    pattern = ActivityPattern.objects.get(slug="problem-solving")
    make_post(pattern=pattern, title="Still stuck")
    solved = make_post(pattern=pattern, title="Sorted out")
    answer_set(post=solved, reply=make_reply(post=solved), by=solved.author)

    open_page = client.get(detail_url(pattern.slug), {"status": "open"})
    answered_page = client.get(detail_url(pattern.slug), {"status": "answered"})

    assert titles(open_page.content.decode()) == ["Still stuck"]
    assert titles(answered_page.content.decode()) == ["Sorted out"]


def test_pattern_page_bad_status_is_400_with_a_message(client):
    pattern = ActivityPattern.objects.get(slug="problem-solving")
    make_post(pattern=pattern, title="Still stuck")

    response = client.get(detail_url(pattern.slug), {"status": "solved"})

    body = response.content.decode()
    assert response.status_code == 400
    assert "“solved” is not a choice here. Showing all questions instead." in body
    assert titles(body) == ["Still stuck"]


def test_pattern_page_has_no_status_filter_for_other_kinds(client):
    response = client.get(detail_url("visits"), {"status": "whatever"})

    assert response.status_code == 200
    assert 'name="status"' not in response.content.decode()


def test_pattern_page_paginates_twenty_posts(client):
    pattern = ActivityPattern.objects.get(slug="growing-confidence")
    author = make_user()
    for n in range(21):
        make_post(pattern=pattern, author=author, title=f"Pitch {n:02d}")

    first = titles(client.get(detail_url(pattern.slug)).content.decode())
    second = titles(client.get(detail_url(pattern.slug), {"page": 2}).content.decode())

    assert len(first) == 20
    assert first[0] == "Pitch 20"
    assert second == ["Pitch 00"]


@pytest.mark.parametrize("count", [1, 200])
def test_pattern_page_query_count_is_fixed(member_client, django_assert_max_num_queries, count):
    pattern = ActivityPattern.objects.get(slug="problem-solving")
    _bulk_posts(pattern, count)
    pattern.sessions.add(make_session(), make_session())

    with django_assert_max_num_queries(9):
        response = member_client.get(detail_url(pattern.slug))

    assert response.status_code == 200
    assert len(titles(response.content.decode())) == min(count, 20)


# Editing -----------------------------------------------------------------------------


def _form_data(pattern: ActivityPattern, **changes: str) -> dict[str, str]:
    """What the edit page posts when nothing is changed, plus `changes`."""
    data = {
        field: getattr(pattern, field)
        for field in (
            "purpose",
            "invitation",
            "when_to_use",
            "online_and_in_room",
            "group_size",
            "materials",
            "tips_and_traps",
            "example_prompts",
            "post_template",
        )
    }
    data["related"] = [str(other.pk) for other in pattern.related.all()]
    for prefix, format in (("brief", "brief"), ("in_depth", "in-depth")):
        steps = list(pattern.steps.filter(format=format).order_by("position"))
        data[f"{prefix}-TOTAL_FORMS"] = str(len(steps) + 2)
        data[f"{prefix}-INITIAL_FORMS"] = str(len(steps))
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for index, step in enumerate(steps):
            data[f"{prefix}-{index}-id"] = str(step.pk)
            data[f"{prefix}-{index}-pattern"] = str(pattern.pk)
            data[f"{prefix}-{index}-minutes"] = str(step.minutes)
            data[f"{prefix}-{index}-text"] = step.text
            data[f"{prefix}-{index}-ORDER"] = str(index + 1)
    data.update(changes)
    return data


def _snapshot(pattern: ActivityPattern) -> tuple:
    pattern.refresh_from_db()
    steps = list(pattern.steps.values_list("format", "position", "minutes", "text"))
    related = sorted(pattern.related.values_list("slug", flat=True))
    return pattern.purpose, pattern.invitation, steps, related


def test_pattern_edit_sends_visitors_to_log_in(client):
    response = client.get(edit_url("visits"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_pattern_edit_is_forbidden_to_members(member_client):
    pattern = ActivityPattern.objects.get(slug="visits")
    before = _snapshot(pattern)

    assert member_client.get(edit_url("visits")).status_code == 403
    response = member_client.post(edit_url("visits"), _form_data(pattern, purpose="Mine now"))

    assert response.status_code == 403
    assert _snapshot(pattern) == before


def test_pattern_edit_shows_the_form_to_organizers(organizer_client):
    response = organizer_client.get(edit_url("visits"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Edit “Visits”</h1>" in body
    assert 'name="invitation"' in body
    assert 'name="brief-0-minutes"' in body
    assert 'name="in_depth-0-minutes"' in body
    assert 'name="name"' not in body
    assert 'name="slug"' not in body


def test_pattern_edit_unknown_slug_is_404(organizer_client):
    assert organizer_client.get(edit_url("knitting-circle")).status_code == 404


def test_pattern_edit_saves_texts_steps_and_related(organizer_client):
    pattern = ActivityPattern.objects.get(slug="visits")
    brief_count = pattern.steps.filter(format="brief").count()
    data = _form_data(
        pattern,
        invitation="Whose garden would you like to see?",
        related=[str(ActivityPattern.objects.get(slug="reusing-assets").pk)],
        **{
            "brief-0-DELETE": "on",  # drop the first brief step
            f"brief-{brief_count}-minutes": "4",  # add one, first in line
            f"brief-{brief_count}-text": "Share photos from the last visit.",
            f"brief-{brief_count}-ORDER": "0",
        },
    )

    response = organizer_client.post(edit_url("visits"), data)

    assert response.status_code == 302
    assert response.url == detail_url("visits")
    pattern.refresh_from_db()
    assert pattern.invitation == "Whose garden would you like to see?"
    brief = list(pattern.steps.filter(format="brief").order_by("position"))
    assert [(s.position, s.minutes) for s in brief][:2] == [(1, 4), (2, 5)]
    assert brief[0].text == "Share photos from the last visit."
    assert len(brief) == brief_count
    assert pattern.steps.filter(format="in-depth").count() == 6
    assert sorted(pattern.related.values_list("slug", flat=True)) == ["reusing-assets"]
    # The relation is symmetrical: the old partners lost it, the new one gained it.
    assert not ActivityPattern.objects.get(slug="seeking-experience").related.filter(pk=pattern.pk)
    assert ActivityPattern.objects.get(slug="reusing-assets").related.filter(pk=pattern.pk)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"invitation": ""}, "invitation", "Write the question that opens the activity."),
        ({"purpose": "x" * 201}, "purpose", "Keep the purpose to 200 characters (it has 201)."),
        ({"brief-0-minutes": "0"}, "brief-0-minutes", "A step takes at least 1 minute."),
        ({"in_depth-1-minutes": "999"}, "in_depth-1-minutes", "A step takes at most 240 minutes."),
        ({"brief-1-text": ""}, "brief-1-text", "Say what happens in this step."),
    ],
)
def test_pattern_edit_bad_input_is_400_and_saves_nothing(organizer_client, changes, field, message):
    pattern = ActivityPattern.objects.get(slug="problem-solving")
    before = _snapshot(pattern)

    response = organizer_client.post(edit_url(pattern.slug), _form_data(pattern, **changes))

    body = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was saved yet." in body
    # The message sits in the field's own group, just before its input.
    errors = rf'<ul class="errorlist" id="id_{field}_error"><li>([^<]*)</li></ul>'
    group = re.search(rf'{errors}\s*<[^>]*name="{field}"', body)
    assert group is not None, body
    assert group[1] == message.replace("'", "&#x27;")
    assert _snapshot(pattern) == before


def _days(n: int):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() + timedelta(days=n)


def _bulk_posts(pattern: ActivityPattern, count: int) -> None:
    from practice_library.models import Post, Tag

    author = make_user()
    posts = Post.objects.bulk_create(
        Post(pattern=pattern, author=author, title=f"Question {n}") for n in range(count)
    )
    tag = Tag.objects.create(name="Landlords", slug="landlords")
    tag.posts.add(*posts)
    for post in posts[:3]:
        make_reply(post=post, author=author)
    counts_recount()  # rows written in bulk, as seed_demo does


def test_pattern_page_lists_the_latest_twelve_sessions(client):
    pattern = ActivityPattern.objects.get(slug="problem-solving")
    for n in range(13):
        pattern.sessions.add(make_session(title=f"Run {n:02d}", starts_at=_days(-n - 1)))

    body = client.get(detail_url(pattern.slug)).content.decode()

    assert "Run 11" in body
    assert "Run 12" not in body  # the oldest
    assert "The latest 12 are listed." in body
