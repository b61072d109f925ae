from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from linli.accounts.models import ApiToken, ConsentRecord, RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0


@admin.register(User)
class LinliUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "phone", "is_staff")
    search_fields = ("username", "display_name", "phone")
    fieldsets = (*(UserAdmin.fieldsets or ()), ("linli", {"fields": ("phone", "display_name")}))
    inlines = [RoleGrantInline]


admin.site.register(ApiToken, list_display=("user", "name", "prefix", "created_at", "revoked"))
admin.site.register(ConsentRecord, list_display=("user", "kind", "granted", "recorded_at"))
