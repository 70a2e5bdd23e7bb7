"""Forms of the portal's working pages. They check formats; who may do what is decided by
services."""

from django import forms

from nms.accounts.scope import scope_of
from nms.common.forms import DateField
from nms.events.models import Event
from nms.portal.access import EDIT
from nms.portal.models import (
    Community,
    DecisionBody,
    DocumentKind,
    InnovationSite,
    MemberRole,
    News,
    Resource,
    SiteStatus,
)
from nms.registry.models import Subject
from nms.registry.selectors import search_people

TEXTAREA = forms.Textarea(attrs={"rows": 4})


def _editing_scope(user):
    scope = scope_of(user)
    from nms.accounts.access import action

    return scope.restricted_to(action(EDIT).roles)


class SiteForm(forms.ModelForm):
    class Meta:
        model = InnovationSite
        fields = [
            "organization", "project", "topic", "description", "starts_on", "ends_on",
            "applied_on",
        ]  # fmt: skip
        field_classes = {"starts_on": DateField, "ends_on": DateField, "applied_on": DateField}
        widgets = {"description": TEXTAREA}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organizations = _editing_scope(user).organizations().only("id", "short_name")
        self.fields["organization"].queryset = organizations.order_by("short_name")


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label="Решение",
        choices=[
            (SiteStatus.ACTIVE, "присвоить статус РИП"),
            (SiteStatus.REJECTED, "отказать"),
            (SiteStatus.COMPLETED, "работа завершена"),
            (SiteStatus.TERMINATED, "прекратить статус"),
        ],
    )
    decided_by = forms.ChoiceField(label="Решение приняло", choices=DecisionBody.choices)
    order_number = forms.CharField(label="Номер приказа", max_length=50)
    order_date = DateField(label="Дата приказа")
    comment = forms.CharField(label="Основание", required=False, widget=TEXTAREA)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label="Документ", choices=DocumentKind.choices)
    year = forms.IntegerField(label="Год", min_value=2000, max_value=2100)
    file = forms.FileField(label="Файл")


class CommunityForm(forms.ModelForm):
    subjects = forms.ModelMultipleChoiceField(
        Subject.objects.all(), required=False, label="Предметы"
    )
    events = forms.ModelMultipleChoiceField(
        Event.objects.none(), required=False, label="Мероприятия"
    )

    class Meta:
        model = Community
        fields = [
            "name", "kind", "level", "municipality", "topic", "description", "subjects",
            "links", "events", "founded_on", "published",
        ]  # fmt: skip
        field_classes = {"founded_on": DateField}
        widgets = {"description": TEXTAREA, "links": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = _editing_scope(user)
        self.fields["municipality"].queryset = scope.municipalities().order_by("name")
        if not scope.is_region and not scope.is_all:
            self.fields["municipality"].required = True
        regions = scope_of(user).region_ids
        events = Event.objects.order_by("-starts_on")
        if not scope_of(user).is_all:
            events = events.filter(region_id__in=sorted(regions))
        self.fields["events"].queryset = events.only("id", "title", "starts_on")


class ResourceForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = ["title", "kind", "url", "description", "tags", "audience", "published"]
        widgets = {"description": TEXTAREA}


class NewsForm(forms.ModelForm):
    class Meta:
        model = News
        fields = ["title", "published_on", "text", "published"]
        field_classes = {"published_on": DateField}
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}


class MemberForm(forms.Form):
    person = forms.CharField(
        label="Работник",
        max_length=200,
        help_text="СНИЛС или ФИО: должен найтись ровно один работник.",
    )
    role = forms.ChoiceField(label="Роль", choices=MemberRole.choices)
    joined_on = DateField(label="Вступил", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = scope_of(user).people()

    def clean_person(self):
        value = self.cleaned_data["person"]
        found = list(search_people(self.people, value)[:2])
        if not found:
            raise forms.ValidationError("Работник не найден в вашей области доступа.")
        if len(found) > 1:
            raise forms.ValidationError("Найдено несколько работников: уточните ФИО или СНИЛС.")
        return found[0]


class PublicSearchForm(forms.Form):
    """The public lists' search: words (ё as е) and one choice of a kind."""

    q = forms.CharField(label="Поиск", required=False, max_length=100)
