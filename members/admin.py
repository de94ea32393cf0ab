from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from members.models import Profile, User
from members.services.counts import (
    neighborhood_counts_refresh,
    neighborhoods_of,
    topic_counts_refresh,
    topic_ids_of,
)
from members.services.profile import profiles_search_refresh
from members.services.search_index import profiles_search_forget
from sessions_app.models import Rsvp
from sessions_app.services.counts import session_counts_refresh


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "display_name"]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["display_name"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "display_name", "usable_password", "password1", "password2"],
            },
        ),
    ]

    # Deactivating or deleting an account here takes its topics out of the stored
    # counts, as the services do (members/services/counts.py); a new name or a deletion
    # reaches the directory's search index (members/services/search_index.py).
    @transaction.atomic
    def save_model(self, request: HttpRequest, obj: User, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data:
            topic_counts_refresh(tag_ids=topic_ids_of(user=obj))
            neighborhood_counts_refresh(names=neighborhoods_of(user=obj))
        # A new name, or an account (de)activated: the search reads both (and keeps its
        # results until told: members/kept_searches.py).
        if change and {"display_name", "is_active"} & set(form.changed_data):
            profiles_search_refresh(profiles=Profile.objects.filter(pk=obj.pk))

    @transaction.atomic
    def delete_model(self, request: HttpRequest, obj: User) -> None:
        topics = topic_ids_of(user=obj)
        neighborhoods = neighborhoods_of(user=obj)
        answered = _sessions_answered(User.objects.filter(pk=obj.pk))
        user_id = obj.pk
        super().delete_model(request, obj)
        profiles_search_forget(user_ids=[user_id])
        topic_counts_refresh(tag_ids=topics)
        neighborhood_counts_refresh(names=neighborhoods)
        session_counts_refresh(session_ids=answered)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        topics: set[int] = set()
        neighborhoods: set[str] = set()
        user_ids = list(queryset.values_list("pk", flat=True))
        for user_id in user_ids:
            topics |= topic_ids_of(user=user_id)
            neighborhoods |= neighborhoods_of(user=user_id)
        answered = _sessions_answered(queryset)
        super().delete_queryset(request, queryset)
        profiles_search_forget(user_ids=user_ids)
        topic_counts_refresh(tag_ids=topics)
        neighborhood_counts_refresh(names=neighborhoods)
        session_counts_refresh(session_ids=answered)


def _sessions_answered(users: QuerySet[User]) -> set[int]:
    """The sessions these accounts' RSVPs are for: the RSVPs go with the accounts, and
    the statistics' stored counts of those sessions with them."""
    return set(Rsvp.objects.filter(user__in=users).values_list("session_id", flat=True))
