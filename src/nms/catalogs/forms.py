"""Forms of the catalogs pages. They check formats; who may do what is decided by services."""

from django import forms
from django.db.models import Q

from nms.accounts.scope import scope_of
from nms.catalogs import selectors, services
from nms.catalogs.models import Item, ItemLevel, MaterialKind, Verdict
from nms.common.forms import DateField
from nms.itembank.models import CompetencyArea
from nms.registry.models import Municipality, Organization, Person, Subject
from nms.registry.selectors import search_people

TEXTAREA = forms.Textarea(attrs={"rows": 3})
LEVEL_CHOICES = [("", "все"), *ItemLevel.choices]


class ItemForm(forms.ModelForm):
    """A practice's or a material's card. Authors from the registry are typed as ФИО or СНИЛС,
    one a line, and looked up among the people the user sees and the workers of the chosen
    organization; the user becomes an author of what they create."""

    kind = "practice"
    authors_text = forms.CharField(
        label="Соавторы из реестра",
        required=False,
        widget=TEXTAREA,
        help_text="ФИО или СНИЛС, по одному в строке; вы сами добавляетесь автором.",
    )
    areas = forms.ModelMultipleChoiceField(
        CompetencyArea.objects.all(), required=False, label="Области компетенций"
    )
    subjects = forms.ModelMultipleChoiceField(
        Subject.objects.all(), required=False, label="Предметы"
    )
    tags = forms.CharField(label="Теги", required=False, max_length=500, help_text="через запятую")

    class Meta:
        model = Item
        fields = [
            "title", "description", "organization", "coauthors", "level", "direction", "event",
            "material_kind", "audience", "links",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 6}), "links": TEXTAREA}

    def __init__(self, *args, user, initial_event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        scope = scope_of(user)
        self.fields["organization"].queryset = scope.organizations().only("id", "short_name")
        self.fields["level"].choices = ItemLevel.choices
        if self.kind == "practice":
            del self.fields["material_kind"]
            del self.fields["audience"]
            from nms.events.models import Event

            events = Event.objects.filter(region_id__in=scope.region_ids or [0])
            if initial_event is not None:
                events = events | Event.objects.filter(pk=initial_event.pk)
                self.initial["event"] = initial_event.pk
            self.fields["event"].queryset = events.order_by("-starts_on", "id")
        else:
            del self.fields["direction"]
            del self.fields["event"]
            self.fields["material_kind"].choices = MaterialKind.choices
            self.fields["material_kind"].required = True
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            others = [
                a.person
                for a in instance.authorships.select_related("person")
                if a.person_id != user.person_id
            ]
            self.initial["authors_text"] = "\n".join(p.full_name for p in others)
            self.initial["areas"] = list(instance.areas.values_list("pk", flat=True))
            self.initial["subjects"] = list(instance.subjects.values_list("pk", flat=True))
            self.initial["tags"] = ", ".join(instance.tags.values_list("name", flat=True))

    def clean(self):
        data = super().clean()
        organization = data.get("organization")
        candidates = Q(pk__in=scope_of(self.user).people().values("pk"))
        if organization is not None:
            candidates |= Q(employments__organization=organization)
        people = Person.objects.filter(candidates).distinct()
        authors = []
        for n, line in enumerate((data.get("authors_text") or "").splitlines(), start=1):
            line = line.strip().strip(",")
            if not line:
                continue
            found = list(search_people(people, line)[:2])
            if not found:
                self.add_error(
                    "authors_text",
                    f"Строка {n}: «{line}» не найден(а) среди работников организации и вашей "
                    "области доступа — впишите его (её) в «Соавторы не из реестра».",
                )
            elif len(found) > 1:
                self.add_error("authors_text", f"Строка {n}: найдено несколько — уточните ФИО.")
            elif found[0] not in authors:
                authors.append(found[0])
        instance = self.instance
        own = self.user.person_id
        if instance.pk and own and instance.authorships.filter(person_id=own).exists():
            authors.insert(0, Person(pk=own))
        data["authors"] = authors
        return data


class PracticeForm(ItemForm):
    kind = "practice"


class MaterialForm(ItemForm):
    kind = "material"


class FileForm(forms.Form):
    file = forms.FileField(label="Файл материалов")


class CommentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    comment = forms.CharField(label="Комментарий", required=False, widget=TEXTAREA)


class AssignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    experts = forms.ModelMultipleChoiceField(
        Person.objects.none(),
        label="Эксперты",
        widget=forms.CheckboxSelectMultiple,
        help_text="Эксперты региона с учётной записью; авторы работы не показываются.",
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = services.eligible_experts(item)
        self.fields["experts"].label_from_instance = lambda p: p.full_name


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(label="Решение эксперта", choices=Verdict.choices)
    comment = forms.CharField(
        label="Заключение",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="обязательно, если предлагаете доработать или отклонить",
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.name} (0–{criterion.max_score})",
                min_value=0,
                max_value=criterion.max_score,
            )

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "verdict": data["verdict"],
            "comment": data.get("comment", ""),
            "scores": {str(c.pk): data.get(f"score_{c.pk}") for c in self.criteria},
        }


class ReplicationForm(forms.Form):
    organization = forms.ModelChoiceField(
        Organization.objects.none(), required=False, label="Организация"
    )
    municipality = forms.ModelChoiceField(
        Municipality.objects.none(), required=False, label="Муниципалитет"
    )
    level = forms.ChoiceField(label="Уровень тиражирования", choices=ItemLevel.choices)
    replicated_on = DateField(label="Дата")
    note = forms.CharField(label="Как внедрена", required=False, max_length=500)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_of(user).restricted_to(("admin", "cnppm", "municipal", "school"))
        self.fields["organization"].queryset = scope.organizations().only("id", "short_name")
        self.fields["municipality"].queryset = scope.municipalities()


class PublicFilterForm(forms.Form):
    q = forms.CharField(label="Поиск", required=False, max_length=200)
    level = forms.ChoiceField(label="Уровень", choices=LEVEL_CHOICES, required=False)
    area = forms.ModelChoiceField(
        CompetencyArea.objects.all(), required=False, label="Область", empty_label="все"
    )
    subject = forms.ModelChoiceField(
        Subject.objects.all(), required=False, label="Предмет", empty_label="все"
    )
    municipality = forms.ModelChoiceField(
        Municipality.objects.none(), required=False, label="Муниципалитет", empty_label="все"
    )
    tag = forms.ModelChoiceField(
        selectors.Tag.objects.none(), required=False, label="Тег", empty_label="все"
    )

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = selectors.public_municipalities(kind)
        self.fields["tag"].queryset = selectors.public_tags(kind)


class CriterionForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label="Критерий", max_length=300, required=False)
    max_score = forms.IntegerField(label="Максимальный балл", min_value=1, max_value=100)
    order = forms.IntegerField(label="Порядок", min_value=0, required=False)
    active = forms.BooleanField(label="Применяется", required=False)


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2)
