from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from nms.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "last_name", "first_name", "role", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            "Роль и область доступа",
            {
                "fields": (
                    "role",
                    "region",
                    "municipality",
                    "organization",
                    "person",
                    "assigned_people",
                )
            },
        ),
    )
    raw_id_fields = ("person", "organization", "assigned_people")
