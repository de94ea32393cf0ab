"""Organizer pages about members. Included by members.urls (app_name "members")."""

from django.urls import path

from members.views import organize

urlpatterns = [
    path("organize/members/", organize.member_list, name="organize-members"),
    path(
        "organize/members/contacts.csv",
        organize.member_contacts_csv,
        name="organize-members-csv",
    ),
    path(
        "organize/members/<int:user_id>/organizer/",
        organize.member_organizer_view,
        name="organize-member-organizer",
    ),
]
