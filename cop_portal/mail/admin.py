from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cop_portal.mail.models import Dispatch, EmailPreference, OutgoingEmail
from cop_portal.mail.services import emails_retry


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["to", "kind", "status", "attempts", "next_attempt_at", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject", "key"]
    date_hierarchy = "created_at"
    # The queue's own bookkeeping: changed only by the worker (and "retry" below).
    # allauth's rows hold log-in codes in `params` until sent: never shown.
    readonly_fields = [field.name for field in OutgoingEmail._meta.fields if field.name != "params"]
    exclude = ["params"]
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Try the selected failed emails again"))
    def retry(self, request: HttpRequest, queryset: QuerySet[OutgoingEmail]) -> None:
        count = emails_retry(ids=queryset.values_list("pk", flat=True))
        self.message_user(request, f"{count} failed email(s) will be tried again.")


@admin.register(Dispatch)
class DispatchAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "planned", "queued", "created_at", "expanded_at"]
    list_filter = ["kind"]
    readonly_fields = [field.name for field in Dispatch._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ["email", "announcements", "reminders", "replies", "updated"]
    search_fields = ["email"]
    exclude = ["key"]  # the unsubscribe links' secret
