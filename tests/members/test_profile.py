"""Profiles: who may read whose, what the page shows (never an email), and editing one's own."""

import pytest
from django.urls import reverse

from members.models import Profile, User
from members.services.profile import ProfileData, profile_for, profile_update
from practice_library.models import Tag
from tests.factories import make_organizer, make_post, make_profile

pytestmark = pytest.mark.django_db

EDIT_URL = reverse("members:profile-edit")


def profile_url(profile: Profile) -> str:
    return reverse("members:profile-detail", kwargs={"code": profile.code})


def full_profile(**fields) -> Profile:
    defaults = {
        "display_name": "Lucía Vega",
        "email": "lucia.private@example.com",
        "pronouns": "she/her",
        "organization": "Clark-Fulton Tenants Together",
        "role": "Organizer",
        "neighborhood": "Clark-Fulton",
        "bio": "Organizing renters.\nBilingual.",
        "expertise": ["tenant rights", "Spanish interpretation"],
        "interests": ["grant writing"],
        "preferred_contact": "Text me at 216-555-0142.",
    }
    return make_profile(**{**defaults, **fields})


def valid_data(**overrides) -> dict[str, str]:
    data = {
        "display_name": "Dana R.",
        "pronouns": "she/her",
        "organization": "Hough Block Club",
        "role": "Secretary",
        "neighborhood": "  Hough  ",
        "bio": "I keep the minutes.",
        "expertise": "Grant writing, meeting facilitation, grant WRITING",
        "interests": "youth programs",
        "preferred_contact": "After a session",
        "listed": "on",
        "contact_ok": "on",
    }
    data.update(overrides)
    return data


# Who may read a profile


def test_profile_sends_visitors_to_log_in(client):
    profile = full_profile()

    response = client.get(profile_url(profile))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_profile_shows_a_listed_member_to_another_member(member_client):
    profile = full_profile()

    response = member_client.get(profile_url(profile))

    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["profile"] == profile
    for text in (
        "Lucía Vega",
        '<span class="avatar avatar--large" aria-hidden="true">LV</span>',
        "she/her",
        "Organizer, Clark-Fulton Tenants Together",
        "Clark-Fulton",
        "<p>Organizing renters.<br>Bilingual.</p>",
        "Text me at 216-555-0142.",
    ):
        assert text in body
    for slug in ("tenant-rights", "spanish-interpretation", "grant-writing"):
        assert f'href="{reverse("library:tag-detail", kwargs={"slug": slug})}"' in body
    assert "lucia.private@example.com" not in body
    assert "Edit your profile" not in body


def test_profile_of_an_unlisted_member_is_404_for_other_members(member_client):
    profile = full_profile(listed=False)

    response = member_client.get(profile_url(profile))

    assert response.status_code == 404
    assert "Lucía Vega" not in response.content.decode()


def test_profile_of_a_deactivated_member_is_404_for_other_members(member_client):
    profile = full_profile()
    User.objects.filter(pk=profile.user_id).update(is_active=False)

    response = member_client.get(profile_url(profile))

    assert response.status_code == 404


def test_profile_of_an_unlisted_member_is_shown_to_its_owner(client):
    profile = full_profile(listed=False)
    client.force_login(profile.user)

    response = client.get(profile_url(profile))

    body = response.content.decode()
    assert response.status_code == 200
    assert "You are not listed" in body
    assert f'href="{EDIT_URL}"' in body


def test_profile_of_an_unlisted_member_is_shown_to_organizers(organizer_client):
    profile = full_profile(listed=False)

    response = organizer_client.get(profile_url(profile))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Not listed in the directory" in body
    assert "lucia.private@example.com" not in body


def test_profile_of_an_unknown_code_is_404(member_client):
    response = member_client.get(reverse("members:profile-detail", kwargs={"code": "nope"}))

    assert response.status_code == 404


def test_profile_lists_the_members_recent_visible_posts(member_client):
    profile = full_profile()
    shared = make_post(author=profile.user, title="Our rent strike notes")
    members_only = make_post(author=profile.user, title="Members' list", members_only=True)
    make_post(author=profile.user, title="Hidden spam", state="hidden")
    make_post(author=profile.user, title="Withdrawn", state="deleted")
    make_post(title="Someone else's post")

    response = member_client.get(profile_url(profile))

    assert [post.title for post in response.context["recent_posts"]] == [
        members_only.title,
        shared.title,
    ]
    assert f'href="{shared.get_absolute_url()}"' in response.content.decode()


def test_profile_escapes_hostile_text_and_bounds_it(member_client):
    profile = full_profile(bio="<script>alert('x')</script>" + "a" * 5000)
    Profile.objects.filter(pk=profile.pk).update(organization="<b>Bold</b> & co")
    User.objects.filter(pk=profile.user_id).update(display_name="<img src=x onerror=alert(1)>")

    response = member_client.get(profile_url(profile))

    body = response.content.decode()
    assert "<script>alert(" not in body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body
    assert "<img src=x" not in body
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in body
    assert "a" * 1000 not in body  # the bio is cut at 1000 characters
    assert "a" * 900 in body


@pytest.mark.parametrize("posts", [1, 12])
def test_profile_query_count_does_not_grow(member_client, django_assert_max_num_queries, posts):
    profile = full_profile()
    for n in range(posts):
        make_post(author=profile.user, tags=[f"topic {n}", "tenant rights"])

    # session, user, organizer role, profile, expertise, interests, posts, their tags
    with django_assert_max_num_queries(8):
        response = member_client.get(profile_url(profile))

    assert len(response.context["recent_posts"]) == min(posts, 5)


# Editing one's own profile


def test_profile_edit_sends_visitors_to_log_in(client):
    response = client.get(EDIT_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_profile_edit_creates_the_profile_on_first_visit(member_client, member):
    response = member_client.get(EDIT_URL)

    assert response.status_code == 200
    profile = Profile.objects.get(user=member)
    assert profile.listed is False
    assert response.context["form"]["display_name"].value() == "Dana Member"
    assert member.email not in response.content.decode()


def test_profile_edit_shows_the_current_tags(member_client, member):
    make_profile(user=member, expertise=["tenant rights", "fundraising"], interests=["youth"])

    response = member_client.get(EDIT_URL)

    form = response.context["form"]
    assert form["expertise"].ticked == ["fundraising", "tenant rights"]
    assert form["expertise"].value() is None  # the box for new topics starts empty
    body = response.content.decode()
    for n, name in enumerate(["fundraising", "tenant rights"]):
        checkbox = (
            f'<input type="checkbox" name="expertise_picked" value="{name}" '
            f'id="id_expertise_picked_{n}" checked>'
        )
        assert checkbox in body


def test_profile_edit_saves_everything_and_reuses_tags(member_client, member):
    existing = Tag.objects.create(name="Meeting Facilitation", slug="meeting-facilitation")

    response = member_client.post(EDIT_URL, valid_data())

    profile = Profile.objects.get(user=member)
    assert response.status_code == 302
    assert response.url == profile_url(profile)
    member.refresh_from_db()
    assert member.display_name == "Dana R."
    assert (profile.pronouns, profile.organization, profile.role, profile.neighborhood) == (
        "she/her",
        "Hough Block Club",
        "Secretary",
        "Hough",
    )
    assert profile.bio == "I keep the minutes."
    assert profile.preferred_contact == "After a session"
    assert (profile.listed, profile.contact_ok) == (True, True)
    assert sorted(tag.name for tag in profile.expertise.all()) == [
        "Meeting Facilitation",  # an existing topic keeps its spelling
        "grant writing",  # a new one is kept in lower case
    ]
    assert existing in profile.expertise.all()
    assert [tag.name for tag in profile.interests.all()] == ["youth programs"]
    assert Tag.objects.count() == 3


def test_profile_edit_can_unlist_and_clear_topics(member_client, member):
    make_profile(user=member, expertise=["tenant rights"], interests=["youth"])

    member_client.post(EDIT_URL, valid_data(expertise="", interests="", listed=""))

    profile = Profile.objects.get(user=member)
    assert profile.listed is False
    assert list(profile.expertise.all()) == []
    assert list(profile.interests.all()) == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("bio", "x" * 1001, "Keep this to 1000 characters (it has 1001)."),
        ("organization", "x" * 121, "Keep this to 120 characters (it has 121)."),
        ("display_name", "x" * 81, "Keep this to 80 characters (it has 81)."),
        ("display_name", "   ", "Please enter the name other members will see."),
        (
            "expertise",
            ", ".join(f"topic {n}" for n in range(13)),
            "Use at most 12 topics (you gave 13).",
        ),
        (
            "interests",
            "y" * 51,
            f"“{'y' * 30}…” is too long: keep each topic to 50 characters.",
        ),
    ],
)
def test_profile_edit_rejects_bad_input_and_saves_nothing(
    member_client, member, field, value, message
):
    response = member_client.post(EDIT_URL, valid_data(**{field: value}))

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    member.refresh_from_db()
    assert member.display_name == "Dana Member"
    profile = Profile.objects.get(user=member)
    assert (profile.organization, profile.listed) == ("", False)
    assert Tag.objects.count() == 0


def test_profile_edit_keeps_script_in_the_bio_as_text(member_client, member):
    member_client.post(EDIT_URL, valid_data(bio="<script>alert('hi')</script>"))

    profile = Profile.objects.get(user=member)
    assert profile.bio == "<script>alert('hi')</script>"
    body = member_client.get(profile_url(profile)).content.decode()
    assert "<script>alert(" not in body
    assert "&lt;script&gt;alert(&#x27;hi&#x27;)&lt;/script&gt;" in body


# The services


def test_profile_for_creates_one_profile_and_then_returns_it(member):
    first = profile_for(member)
    second = profile_for(member)

    assert first.pk == second.pk == member.pk
    assert Profile.objects.filter(user=member).count() == 1


def test_profile_update_saves_nothing_when_a_step_fails(member, monkeypatch):
    profile_for(member)

    def broken(names):
        raise RuntimeError("database went away")

    monkeypatch.setattr("members.services.profile.tags_for_names", broken)
    with pytest.raises(RuntimeError):
        profile_update(
            user=member,
            data=ProfileData(display_name="New Name", organization="New Org", listed=True),
        )

    member.refresh_from_db()
    profile = Profile.objects.get(user=member)
    assert member.display_name == "Dana Member"
    assert (profile.organization, profile.listed) == ("", False)


def test_member_emails_never_appear_on_profile_pages(member_client, member):
    other = full_profile()
    organizer = make_organizer(email="olu.private@example.com")
    make_profile(user=organizer)
    own = make_profile(user=member)
    make_post(author=other.user, title="A post")

    pages = [profile_url(other), profile_url(own), EDIT_URL, profile_url(organizer.profile)]
    for url in pages:
        body = member_client.get(url).content.decode()
        for email in ("lucia.private@example.com", "olu.private@example.com"):
            assert email not in body, url
