"""Forms of the route pages. They check formats; who may do what is decided by services."""

from django import forms
from django.forms.models import fields_for_model
from django.utils.text import capfirst

from nms.accounts.scope import scope_of
from nms.common.forms import DateField
from nms.deficits import maps
from nms.itembank.models import CompetencyArea
from nms.registry.models import Subject
from nms.registry.selectors import search_people
from nms.routes import selectors
from nms.routes.models import Route, RouteItem, TemplateItem
from nms.routes.services import GENERAL_INFO_FIELDS, ITEM_FIELDS

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class MethodistChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class VersionedForm(forms.Form):
    """Carries the route's version the user saw, so a save on a stale copy is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class RouteCreateForm(forms.Form):
    person = forms.CharField(
        label="Работник (СНИЛС или ФИО)",
        max_length=200,
        help_text="Должен найтись ровно один работник из вашей области доступа.",
    )
    starts_on = DateField(label="Начало")
    ends_on = DateField(label="Окончание")
    methodist = MethodistChoiceField(
        queryset=None, required=False, label="Региональный методист", empty_label="не назначен"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if scope_of(user).can("routes.create_any"):
            self.fields["methodist"].queryset = selectors.methodists_visible(user)
        else:  # a teacher opens a route for themself
            del self.fields["person"], self.fields["methodist"]

    def clean_person(self):
        found = list(search_people(scope_of(self.user).people(), self.cleaned_data["person"])[:2])
        if not found:
            raise forms.ValidationError("Работник не найден в вашей области доступа.")
        if len(found) > 1:
            raise forms.ValidationError("Найдено несколько работников: уточните ФИО или СНИЛС.")
        return found[0]


class ItemForm(VersionedForm):
    """A line of the development map."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                RouteItem,
                fields=ITEM_FIELDS,
                field_classes={"starts_on": DateField, "due_on": DateField},
            )
        )
        self.fields["area"].empty_label = "—"
        self.fields["title"].widget.attrs["size"] = 80

    def item_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in ITEM_FIELDS}


class TransitionForm(VersionedForm):
    """The route's one actions form: a comment and a button per step the user may take. Whether
    the step needs the comment is the service's rule (`workflow.Transition.needs_comment`)."""

    comment = forms.CharField(
        label="Комментарий",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Обязателен, чтобы вернуть на доработку или закрыть досрочно.",
    )


class DeficitsUpdateForm(VersionedForm):
    """Section 2 renewed from the newer result the page offered."""

    result = forms.IntegerField(widget=forms.HiddenInput)


class TextsForm(VersionedForm):
    """The route's texts (school proposals, evaluation, self-evaluation) the user may fill."""

    def __init__(self, *args, route: Route, fields: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        for name in fields:
            self.fields[name] = forms.CharField(
                label=capfirst(Route._meta.get_field(name).verbose_name),
                widget=TEXTAREA,
                initial=getattr(route, name),
            )


class GeneralInfoForm(VersionedForm):
    """Section 1, pre-filled from the registry snapshot; the teacher confirms or corrects it."""

    def __init__(self, *args, route: Route, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in GENERAL_INFO_FIELDS.items():
            self.fields[name] = self._field(name, label, route.general_info.get(name, ""))

    @staticmethod
    def _field(name, label, initial):
        if name == "attestation_date":
            return DateField(label=label, required=False, initial=initial)
        if name == "experience_years":
            return forms.DecimalField(
                label=label, required=False, initial=initial, min_value=0, max_value=70,
                decimal_places=1, localize=True,
            )  # fmt: skip
        return forms.CharField(label=label, required=False, initial=initial, max_length=500)

    def clean_attestation_date(self):
        value = self.cleaned_data["attestation_date"]
        return value.strftime("%d.%m.%Y") if value else ""

    def clean_experience_years(self):
        value = self.cleaned_data["experience_years"]
        return "" if value is None else str(value)


class ReportForm(forms.Form):
    text = forms.CharField(label="Что сделано", widget=TEXTAREA, required=False)
    file = forms.FileField(label="Файл", required=False)
    link = forms.URLField(label="Ссылка", required=False, assume_scheme="https")


# -- templates ---------------------------------------------------------------------------------
class TemplateForm(forms.Form):
    name = forms.CharField(label="Наименование", max_length=300)
    description = forms.CharField(label="Описание", widget=TEXTAREA, required=False)
    areas = forms.ModelMultipleChoiceField(
        CompetencyArea.objects.all(),
        required=False,
        label="Дефициты, на которые рассчитан",
        widget=forms.CheckboxSelectMultiple,
    )


TEMPLATE_ITEM_LABELS = {
    "level": "уровень",
    "activity_kind": "вид",
    "title": "мероприятие",
    "area": "область компетенций",
    "competency": "формируемая компетенция",
    "start_offset_days": "начало, через дней",
    "duration_days": "длительность, дней",
    "result_form": "форма результата",
}


class TemplateItemForm(forms.Form):
    """A row of the template's map; a row without a title is left out."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                TemplateItem, fields=list(TEMPLATE_ITEM_LABELS), labels=TEMPLATE_ITEM_LABELS
            )
        )
        for field in self.fields.values():
            field.required = False
            field.widget.attrs["style"] = "width: 100%"

    def clean(self):
        data = super().clean()
        if not data.get("title"):
            return {}
        for name in ("level", "activity_kind", "result_form"):
            if not data.get(name):
                self.add_error(name, "Обязательное поле.")
        data["competency"] = data.get("competency") or ""
        data["start_offset_days"] = data.get("start_offset_days") or 0
        data["duration_days"] = data.get("duration_days") or 30
        return data


TemplateItemFormSet = forms.formset_factory(TemplateItemForm, extra=6)


class TemplateApplyForm(forms.Form):
    """Who gets a route from the template: a group with the same deficits, or registry filters."""

    profile = forms.ChoiceField(label="Группа со сходными дефицитами", required=False)
    municipality = forms.ModelChoiceField(
        queryset=None, required=False, label="Муниципалитет", empty_label="все"
    )
    organization = forms.ModelChoiceField(
        queryset=None, required=False, label="Организация", empty_label="все"
    )
    subject = forms.ModelChoiceField(
        Subject.objects.all(), required=False, label="Предмет", empty_label="все"
    )
    only_deficit = forms.BooleanField(
        label="Только с дефицитом в областях шаблона", required=False, initial=True
    )
    starts_on = DateField(label="Начало")
    ends_on = DateField(label="Окончание")
    methodist = MethodistChoiceField(
        queryset=None, required=False, label="Региональный методист", empty_label="не назначен"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_of(user)
        self.fields["municipality"].queryset = scope.municipalities()
        self.fields["organization"].queryset = scope.organizations().only("id", "short_name")
        self.fields["methodist"].queryset = selectors.methodists_visible(user)
        profiles = maps.deficit_profiles(user, maps.MapFilters()).profiles
        self.fields["profile"].choices = [("", "не выбрана — по фильтрам ниже")] + [
            (p.codes, f"{', '.join(a.name for a in p.areas)} ({p.people} чел.)") for p in profiles
        ]
