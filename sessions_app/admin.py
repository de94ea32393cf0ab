from django.contrib import admin

from sessions_app.models import Venue


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "neighborhood", "capacity", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "address", "neighborhood"]
    prepopulated_fields = {"slug": ["name"]}
