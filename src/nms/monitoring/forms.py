"""Forms of the monitoring pages. They check formats; who may do what is decided by services."""

from django import forms

from nms.accounts.scope import scope_of
from nms.common.concurrency import VersionField
from nms.common.forms import DateField
from nms.monitoring.cards import Line
from nms.monitoring.models import Addressee, Decision, Indicator
from nms.registry.models import Municipality, Organization

TEXTAREA = forms.Textarea(attrs={"rows": 4})
YES_NO = [("", "—"), ("да", "да"), ("нет", "нет")]


class VersionedForm(forms.Form):
    """A button's form: the version of the record the user saw."""

    version = VersionField()


class CardForm(VersionedForm):
    """The card's values: per indicator a number (or да/нет), an explanation, a link."""

    def __init__(self, *args, lines: list[Line], **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            i, v = line.indicator, line.value
            label = f"{i.code}. {i.name}"
            if line.yes_no:
                initial = None if v is None or v.yes is None else ("да" if v.yes else "нет")
                self.fields[f"v{i.pk}"] = forms.ChoiceField(
                    label=label, choices=YES_NO, required=False, initial=initial
                )
            else:
                initial = None if v is None or v.number is None else line.shown
                self.fields[f"v{i.pk}"] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=30,
                    initial=initial,
                    help_text=i.get_unit_display(),
                )
            self.fields[f"t{i.pk}"] = forms.CharField(
                label="Пояснение",
                required=False,
                max_length=2000,
                initial=v.text if v else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"l{i.pk}"] = forms.CharField(
                label="Ссылка на подтверждающий документ",
                required=False,
                max_length=200,
                initial=v.link if v else "",
            )

    def rows(self):
        """(line, value field, text field, link field) for the template."""
        return [
            (line, self[f"v{line.indicator.pk}"], self[f"t{line.indicator.pk}"],
             self[f"l{line.indicator.pk}"])
            for line in self.lines
        ]  # fmt: skip

    def values(self) -> dict:
        data = self.cleaned_data
        found = {}
        for line in self.lines:
            pk = line.indicator.pk
            raw = data.get(f"v{pk}")
            entry = {"text": data.get(f"t{pk}", ""), "link": data.get(f"l{pk}", "")}
            entry["yes" if line.yes_no else "number"] = raw
            found[pk] = entry
        return found


class ReturnForm(VersionedForm):
    comment = forms.CharField(
        label="Что исправить", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


def region_indicator_choices(region):
    from nms.monitoring.cards import region_indicators

    ids = [i.pk for i in region_indicators(region)]
    return Indicator.objects.filter(pk__in=ids).order_by("indicator_set", "code")


class IndicatorField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code}. {obj.name[:120]}"


class IndicatorsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code}. {obj.name[:120]}"


class RuleForm(forms.Form):
    indicator = IndicatorField(queryset=Indicator.objects.none(), label="Показатель")
    addressee = forms.ChoiceField(label="Кому", choices=Addressee.choices)
    text = forms.CharField(label="Текст рекомендации", widget=TEXTAREA, max_length=4000)
    active = forms.BooleanField(label="Действует", required=False, initial=True)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = region_indicator_choices(region)


class RecommendationForm(VersionedForm):
    text = forms.CharField(label="Текст рекомендации", widget=TEXTAREA, max_length=4000)


class ManualRecommendationForm(forms.Form):
    """A recommendation written by hand, addressed to a role of a territory (a draft)."""

    addressee = forms.ChoiceField(label="Кому", choices=Addressee.choices)
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.none(), label="Муниципалитет", required=False,
        help_text="Для муниципальной методической службы.",
    )  # fmt: skip
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label="Организация", required=False,
        help_text="Для педагогов или администрации организации.",
    )  # fmt: skip
    indicator = IndicatorField(
        queryset=Indicator.objects.none(), label="Показатель (необязательно)", required=False
    )
    period = forms.CharField(label="Период", max_length=30)
    text = forms.CharField(label="Текст рекомендации", widget=TEXTAREA, max_length=4000)

    def __init__(self, *args, user, region, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_of(user)
        self.fields["indicator"].queryset = region_indicator_choices(region)
        self.fields["municipality"].queryset = scope.municipalities().filter(region=region)
        self.fields["organization"].queryset = (
            scope.organizations().filter(region=region).order_by("short_name")
        )


class GenerateForm(forms.Form):
    period = forms.CharField(label="Период", max_length=30)


class DecisionForm(forms.Form):
    title = forms.CharField(label="Решение", max_length=500)
    document = forms.CharField(label="Документ (вид, номер)", max_length=300, required=False)
    decided_on = DateField(label="Дата")
    measures = forms.CharField(label="Меры", widget=TEXTAREA, max_length=8000)
    indicators = IndicatorsField(
        queryset=Indicator.objects.none(),
        label="Показатели",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    municipalities = forms.ModelMultipleChoiceField(
        queryset=Municipality.objects.none(), label="Муниципалитеты", required=False
    )
    organizations = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.none(),
        label="Организации",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    base_period = forms.CharField(label="Базовый период мониторинга", max_length=30)
    responsible = forms.CharField(label="Ответственный", max_length=300)
    deadline = DateField(label="Срок")
    status = forms.ChoiceField(label="Состояние", choices=Decision.Status.choices)

    def __init__(self, *args, user, region, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_of(user)
        self.fields["indicators"].queryset = region_indicator_choices(region)
        self.fields["municipalities"].queryset = scope.municipalities().filter(region=region)
        self.fields["organizations"].queryset = (
            scope.organizations().filter(region=region).order_by("short_name")
        )
