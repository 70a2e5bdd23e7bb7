from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from nms.accounts.models import ApiToken, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    fields = (
        "role", "region", "municipality", "organization", "person", "subjects", "valid_from",
        "valid_to",
    )  # fmt: skip
    raw_id_fields = ("organization", "person")
    filter_horizontal = ("subjects",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "last_name", "first_name", "is_active")
    list_filter = ("assignments__role", "is_active", "is_staff")
    inlines = (RoleAssignmentInline,)
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            "Работник и сопровождаемые",
            {"fields": ("person", "assigned_people", "must_change_password")},
        ),
    )
    raw_id_fields = ("person", "assigned_people")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "region", "municipality", "organization", "person")
    list_filter = ("role",)
    search_fields = ("user__username", "user__last_name")
    raw_id_fields = ("user", "organization", "person")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created", "last_used", "expires")
    search_fields = ("name", "user__username")
    raw_id_fields = ("user",)
    readonly_fields = ("prefix", "created", "last_used")

    def has_add_permission(self, request):
        return False  # a key is shown once, on the page «Токены API»
