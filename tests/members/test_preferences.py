"""The email preferences page: four switches for a member's account address."""

import pytest
from django.urls import reverse

from cop_portal.mail import preferences as email_prefs
from cop_portal.mail.models import EmailPreference

pytestmark = pytest.mark.django_db

URL = "/me/emails/"


def test_preferences_url_name():
    assert reverse("members:preferences") == URL


def test_preferences_visitor_is_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={URL}"


def test_preferences_visitor_post_changes_nothing(client):
    response = client.post(URL, {"announcements": "on"})

    assert response.status_code == 302
    assert EmailPreference.objects.count() == 0


def test_preferences_member_sees_the_defaults(member, member_client):
    response = member_client.get(URL)

    html = response.content.decode()
    form = response.context["form"]
    assert response.status_code == 200
    assert form.initial == {
        "announcements": False,
        "reminders": True,
        "replies": True,
        "organizer_messages": True,
    }
    assert member.email in html
    for label in (
        "New sessions published",
        "Reminders the day before a session",
        "Replies to my posts and posts I follow",
        "Messages from organizers about sessions I&#x27;m coming to",
    ):
        assert label in html
    assert "RSVP confirmations" in html
    assert EmailPreference.objects.count() == 0


def test_preferences_member_saves_all_four(member, member_client):
    response = member_client.post(URL, {"announcements": "on", "replies": "on"})

    assert response.status_code == 302
    assert response["Location"] == URL
    assert email_prefs.preferences_for(member.email) == {
        "announcements": True,
        "reminders": False,
        "replies": True,
        "organizer_messages": False,
    }
    page = member_client.get(URL)
    assert page.context["form"].initial == {
        "announcements": True,
        "reminders": False,
        "replies": True,
        "organizer_messages": False,
    }
    assert "Saved: your email preferences." in page.content.decode()


def test_preferences_member_switches_organizer_messages_back_on(member, member_client):
    email_prefs.set_preference(member.email, "organizer_messages", False)

    response = member_client.post(URL, {"reminders": "on", "organizer_messages": "on"})

    assert response.status_code == 302
    assert email_prefs.preferences_for(member.email) == {
        "announcements": False,
        "reminders": True,
        "replies": False,
        "organizer_messages": True,
    }
    html = member_client.get(URL).content.decode()
    assert (
        '<input type="checkbox" name="organizer_messages" '
        'aria-describedby="id_organizer_messages_helptext" id="id_organizer_messages" checked>'
    ) in html


def test_preferences_are_per_member(member, member_client, other_member):
    member_client.post(URL, {})

    assert email_prefs.preferences_for(member.email)["reminders"] is False
    assert email_prefs.preferences_for(other_member.email)["reminders"] is True


def test_preferences_bad_input_is_400_and_saves_nothing(member, member_client):
    response = member_client.post(URL, {"announcements": "yes please", "reminders": "on"})

    assert response.status_code == 400
    assert response.context["form"].errors == {"announcements": ["Tick the box or leave it empty."]}
    assert EmailPreference.objects.count() == 0


def test_preferences_follow_a_changed_email_address(member):
    from allauth.account.models import EmailAddress
    from allauth.account.signals import email_changed

    from cop_portal.mail.preferences import preferences_for, set_preference

    set_preference(member.email, "reminders", False)
    old = EmailAddress.objects.get(user=member)
    new = EmailAddress.objects.create(user=member, email="new.address@example.com", verified=True)

    email_changed.send(
        sender=EmailAddress, request=None, user=member, from_email_address=old, to_email_address=new
    )

    assert preferences_for("new.address@example.com")["reminders"] is False
