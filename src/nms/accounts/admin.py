from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect

from nms.accounts.models import ApiToken, RoleAssignment, User
from nms.common.concurrency import (
    SEEN_VERSION,
    VersionCheckedInlineFormSet,
    VersionCheckedModelForm,
    VersionField,
    claim,
)

# Role assignments are edited here only: a save or a deletion over a change made since the page
# was shown is refused with the input kept (the hidden `seen_version`, nms.common.concurrency).
ASSIGNMENT_FIELDS = (
    "role", "region", "municipality", "organization", "person", "subjects", "valid_from",
    "valid_to", SEEN_VERSION,
)  # fmt: skip


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    form = VersionCheckedModelForm
    formset = VersionCheckedInlineFormSet
    extra = 1
    fields = ASSIGNMENT_FIELDS
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
    form = VersionCheckedModelForm
    fields = ("user", *ASSIGNMENT_FIELDS)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deleted one by one, each with its version
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        """The confirmation carries the version it showed; a deletion over a newer change is
        refused (back to the change page, with the message), in the deletion's transaction."""
        assignment = self.get_object(request, unquote(object_id))
        if assignment is None:
            return super().delete_view(request, object_id, extra_context)
        extra_context = {**(extra_context or {}), "seen_version": assignment.version}
        if request.method != "POST" or not request.POST.get("post"):
            return super().delete_view(request, object_id, extra_context)
        try:
            with transaction.atomic():
                claim(assignment, VersionField().clean(request.POST.get(SEEN_VERSION)))
                return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("admin:accounts_roleassignment_change", assignment.pk)

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
