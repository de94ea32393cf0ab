"""`manage.py recount` makes every stored count true again after rows changed by hand."""

import pytest
from django.core.management import call_command

from members.models import TopicCount
from practice_library.models import Tag
from sessions_app.models import SessionCounts
from tests.factories import make_post, make_profile, make_rsvp, make_session

pytestmark = pytest.mark.django_db


def test_recount_restores_counts_written_wrong_by_hand():
    post = make_post(tags=["Housing"])
    make_profile(expertise=["Housing"])
    session = make_session()
    make_rsvp(session, name="Ada Guest")
    make_rsvp(session, name="Bea Guest")
    tag = Tag.objects.get(slug="housing")
    kept = (
        Tag.objects.filter(pk=tag.pk).values_list("member_post_count", "public_post_count").get(),
        TopicCount.objects.get(tag=tag).expert_count,
        SessionCounts.objects.get(session=session).going_in_person,
    )
    # A hand edit in the database, around the services that keep the counts.
    Tag.objects.update(member_post_count=0, public_post_count=0)
    post.pattern.__class__.objects.update(member_post_count=0, public_post_count=0)
    TopicCount.objects.update(expert_count=0)
    SessionCounts.objects.all().delete()

    call_command("recount", verbosity=0)

    again = (
        Tag.objects.filter(pk=tag.pk).values_list("member_post_count", "public_post_count").get(),
        TopicCount.objects.get(tag=tag).expert_count,
        SessionCounts.objects.get(session=session).going_in_person,
    )
    assert kept == ((1, 1), 1, 2)
    assert again == kept
    post.pattern.refresh_from_db()
    assert post.pattern.member_post_count == 1


def test_recount_twice_changes_nothing():
    make_post(tags=["Transit"])
    call_command("recount", verbosity=0)
    first = list(Tag.objects.values_list("slug", "member_post_count", "public_post_count"))

    call_command("recount", verbosity=0)

    assert list(Tag.objects.values_list("slug", "member_post_count", "public_post_count")) == first
