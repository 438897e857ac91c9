"""Django admin pages (zh-hans) for regions, users' roles and tokens; the audit trail is read-only."""

from typing import Any

from django.contrib import admin

from sifund.web.models import Event, Profile, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "parent")
    search_fields = ("name",)
    list_filter = ("level",)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "region", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "region__name")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "action", "submission", "review", "comment")
    list_filter = ("action",)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: Any) -> bool:
        return False
