"""Django admin pages (zh-hans) for regions and users with their region and role; the audit trail
is read-only here too (the database refuses changes to it anyway, see migration 0002)."""

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from sifund.web.models import Event, Profile, Region

admin.site.site_header = "社保基金预算绩效管理 · 系统管理"
admin.site.site_title = "sifund 系统管理"
admin.site.index_title = "地区、用户与操作记录"


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "parent")
    search_fields = ("name",)
    list_filter = ("level",)


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    verbose_name_plural = "所属地区与角色"


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class SifundUserAdmin(UserAdmin):
    inlines = (ProfileInline,)
    list_display = ("username", "region", "role", "is_active", "last_login")

    @admin.display(description="所属地区")
    def region(self, obj: Any) -> str:
        p = getattr(obj, "sifund", None)
        return p.region.name if p else ""

    @admin.display(description="角色")
    def role(self, obj: Any) -> str:
        p = getattr(obj, "sifund", None)
        return p.get_role_display() if p else ""


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
