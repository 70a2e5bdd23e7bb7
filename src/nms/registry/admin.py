from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from nms.common.concurrency import VersionCheckedModelForm
from nms.registry.models import (
    Employment,
    Municipality,
    Organization,
    Person,
    Position,
    Region,
    Subject,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "code")


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("name", "oktmo", "region")
    search_fields = ("name", "oktmo")


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    form = VersionCheckedModelForm  # a save over a newer change is refused (seen_version)
    list_display = ("short_name", "inn", "kind", "municipality", "is_low_results")
    list_filter = ("kind", "is_low_results", "municipality")
    search_fields = ("short_name", "full_name", "inn")


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    form = VersionCheckedModelForm  # a save over a newer change is refused (seen_version)
    list_display = ("last_name", "first_name", "middle_name", "snils", "birth_date")
    search_fields = ("search_text",)


@admin.register(Employment)
class EmploymentAdmin(SimpleHistoryAdmin):
    form = VersionCheckedModelForm  # a save over a newer change is refused (seen_version)
    list_display = ("person", "organization", "position", "manager_kind", "category")
    list_select_related = ("person", "organization", "position")
    raw_id_fields = ("person", "organization")


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ("name", "is_pedagogical")
    search_fields = ("name",)


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    search_fields = ("name",)
