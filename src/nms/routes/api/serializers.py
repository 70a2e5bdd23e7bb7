"""The ИОМ API's serializers: the route, its parts, workflow steps, reports and templates.

The routes' enums are named schema components (see `_enum_field`); every change of a route
carries the version the user saw (`VersionSerializer`).
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from nms.accounts.models import User
from nms.common.api import ScopedPrimaryKeyField, StrictDateField, StrictDatesMixin
from nms.itembank.models import CompetencyArea
from nms.registry.models import Person
from nms.routes import selectors, services, workflow
from nms.routes.access import roles_on
from nms.routes.models import (
    ActivityKind,
    ItemReport,
    ItemStatus,
    Level,
    Route,
    RouteEvent,
    RouteItem,
    RouteTemplate,
    RouteVersion,
    Status,
    TemplateItem,
)

NAME = {"read_only": True, "allow_null": True}


def _enum_field(component: str, choices: list[tuple[str, str]]) -> type[serializers.ChoiceField]:
    """A choice field whose values are the one enum component `component` of the schema.

    The routes' states and levels share field names with other choice sets (`status`, `level`)
    and appear under several names (`status`, `from_status`, `target`); a named component keeps
    them one enum in the schema, free of drf-spectacular's naming-collision warnings.
    """

    @extend_schema_field(serializers.ChoiceField(choices=choices), component_name=component)
    class EnumField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices, **kwargs)

    return EnumField


RouteStatusField = _enum_field("RouteStatusEnum", Status.choices)
RouteItemStatusField = _enum_field("RouteItemStatusEnum", ItemStatus.choices)
LevelField = _enum_field("RouteLevelEnum", Level.choices)
TransitionField = _enum_field(
    "RouteTransitionEnum", [(t.name, t.label) for t in workflow.TRANSITIONS.values()]
)


# -- versions: a save on a stale copy is 409 -----------------------------------------------------
class RouteConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    version = serializers.IntegerField(help_text="Текущая версия маршрута.")


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        label="Версия маршрута",
        help_text="Версия, которую видел пользователь; если маршрут изменён после неё — 409.",
    )


# -- the route's parts ---------------------------------------------------------------------------
class GeneralInfoSerializer(serializers.Serializer):
    """Section 1, as taken from the registry when the route was created."""

    full_name = serializers.CharField()
    birth_date = serializers.CharField()
    organization = serializers.CharField()
    organization_short = serializers.CharField()
    municipality = serializers.CharField()
    position = serializers.CharField()
    education = serializers.CharField()
    pedagogical_education = serializers.BooleanField()
    experience_years = serializers.CharField()
    category = serializers.CharField()
    attestation_date = serializers.CharField()
    subjects = serializers.CharField()


class DeficitSerializer(serializers.Serializer):
    """Section 2: an area's score in the diagnostics the route is built on."""

    area_id = serializers.IntegerField()
    area = serializers.CharField()
    score = serializers.CharField()
    max_score = serializers.CharField()
    share = serializers.CharField()
    is_deficit = serializers.BooleanField()


class RouteItemReportSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.display_name", read_only=True)
    decided_by_name = serializers.CharField(source="decided_by.display_name", **NAME)

    class Meta:
        model = ItemReport
        fields = [
            "id",
            "item",
            "author",
            "author_name",
            "text",
            "file",
            "link",
            "created_at",
            "decision",
            "decided_by",
            "decided_by_name",
            "decided_at",
            "comment",
        ]
        read_only_fields = fields


class RouteItemSerializer(serializers.ModelSerializer):
    """A line of the development map (section 3) with the teacher's reports on it."""

    level = LevelField(read_only=True)
    area_name = serializers.CharField(source="area.name", **NAME)
    status = RouteItemStatusField(read_only=True)
    is_overdue = serializers.SerializerMethodField(
        help_text="Срок прошёл, пункт не выполнен, маршрут реализуется (просрочен)."
    )
    reports = RouteItemReportSerializer(many=True, read_only=True)

    class Meta:
        model = RouteItem
        fields = [
            "id",
            "position",
            *services.ITEM_FIELDS[:6],
            "area_name",
            *services.ITEM_FIELDS[6:],
            "status",
            "is_overdue",
            "evidence_file",
            "evidence_link",
            "reports",
        ]
        read_only_fields = fields

    def get_is_overdue(self, item) -> bool:
        return selectors.is_item_overdue(item)


class RouteItemWriteSerializer(StrictDatesMixin, VersionSerializer, serializers.ModelSerializer):
    level = LevelField(label="Уровень")

    class Meta:
        model = RouteItem
        fields = [*services.ITEM_FIELDS, "version"]


class RouteItemPatchSerializer(RouteItemWriteSerializer):
    """Only the fields given change; the version is always needed."""

    level = LevelField(label="Уровень", required=False)

    class Meta(RouteItemWriteSerializer.Meta):
        # The service cannot clear the area of an existing item (it would put "" in the key).
        extra_kwargs = {
            **{field: {"required": False} for field in services.ITEM_FIELDS},
            "area": {"required": False, "allow_null": False},
        }


class RouteItemChangeSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="Новая версия маршрута.")
    item = RouteItemSerializer()


class RouteEventSerializer(serializers.ModelSerializer):
    from_status = RouteStatusField(read_only=True, help_text="Пусто у первого шага (создание).")
    to_status = RouteStatusField(read_only=True)
    actor_name = serializers.CharField(source="actor.display_name", read_only=True)

    class Meta:
        model = RouteEvent
        fields = ["from_status", "to_status", "actor", "actor_name", "comment", "created_at"]
        read_only_fields = fields


class OutcomeSerializer(serializers.Serializer):
    """An area's entry and exit share of a completed route."""

    area = serializers.CharField()
    entry = serializers.DecimalField(max_digits=5, decimal_places=2)
    exit = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    change = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    was_deficit = serializers.BooleanField()
    closed = serializers.BooleanField()


class TransitionOptionSerializer(serializers.Serializer):
    name = TransitionField()
    label = serializers.CharField()
    target = RouteStatusField()
    needs_comment = serializers.BooleanField(
        help_text="Нужен ли комментарий (возврат на доработку, досрочное закрытие)."
    )


class NewResultSerializer(serializers.Serializer):
    """A newer diagnostics result whose deficits differ from section 2."""

    id = serializers.IntegerField()
    taken_on = serializers.DateField()
    procedure_name = serializers.CharField(source="procedure.name")
    deficits = serializers.SerializerMethodField()

    def get_deficits(self, result) -> list[str]:
        return [s.area.name for s in result.area_scores.all() if s.is_deficit]


# -- routes --------------------------------------------------------------------------------------
class RouteBaseSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    status = RouteStatusField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    methodist_name = serializers.CharField(source="methodist.display_name", **NAME)
    tutor_name = serializers.CharField(source="tutor.display_name", **NAME)

    class Meta:
        model = Route
        fields = [
            "id",
            "person",
            "person_name",
            "route_type",
            "status",
            "status_display",
            "starts_on",
            "ends_on",
            "methodist",
            "methodist_name",
            "tutor",
            "tutor_name",
            "version",
        ]
        read_only_fields = fields


class RouteRowSerializer(RouteBaseSerializer):
    """A row of the register: from the route, its person and methodist and the annotations."""

    organization = serializers.CharField(source="section_organization", read_only=True)
    municipality = serializers.CharField(source="section_municipality", read_only=True)
    items_total = serializers.IntegerField(read_only=True)
    items_done = serializers.IntegerField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta(RouteBaseSerializer.Meta):
        fields = [
            *RouteBaseSerializer.Meta.fields,
            "organization",
            "municipality",
            "items_total",
            "items_done",
            "is_overdue",
        ]
        read_only_fields = fields


class RouteDetailSerializer(RouteBaseSerializer):
    """The four sections of the route, its workflow steps and what the user may do next."""

    general_info = GeneralInfoSerializer(read_only=True)
    deficits = DeficitSerializer(many=True, read_only=True)
    items = RouteItemSerializer(many=True, read_only=True)
    events = RouteEventSerializer(many=True, read_only=True)
    audit_due_on = serializers.DateField(read_only=True)
    outcome = serializers.SerializerMethodField(
        help_text="Изменение по областям между входной и выходной диагностикой (завершённый)."
    )
    available_transitions = serializers.SerializerMethodField(
        help_text="Шаги, которые пользователь может сделать в текущем состоянии."
    )
    can_edit_map = serializers.SerializerMethodField(
        help_text="Может ли пользователь сейчас менять карту развития."
    )
    new_result = serializers.SerializerMethodField(
        help_text="Более новый результат диагностики с другими дефицитами, по которому методист "
        "может обновить раздел 2 (`POST update-deficits/`); только тем, кто может обновить."
    )

    class Meta(RouteBaseSerializer.Meta):
        fields = [
            *RouteBaseSerializer.Meta.fields,
            "audit_due_on",
            "template",
            "entry_result",
            "exit_result",
            "general_info",
            "deficits",
            "items",
            "evaluation",
            "self_evaluation",
            "school_proposals",
            "closed_reason",
            "outcome",
            "events",
            "available_transitions",
            "can_edit_map",
            "new_result",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OutcomeSerializer(many=True))
    def get_outcome(self, route):
        return OutcomeSerializer(selectors.outcome(route), many=True).data

    @extend_schema_field(TransitionOptionSerializer(many=True))
    def get_available_transitions(self, route):
        roles = roles_on(self.context["request"].user, route)
        steps = workflow.available(roles, route.status)
        return TransitionOptionSerializer(steps, many=True).data

    def get_can_edit_map(self, route) -> bool:
        return services.can_edit_map(self.context["request"].user, route)

    @extend_schema_field(NewResultSerializer(allow_null=True))
    def get_new_result(self, route):
        if not services.can_update_deficits(self.context["request"].user, route):
            return None
        result = selectors.new_result_for(route)
        return NewResultSerializer(result).data if result else None


def methodist_field():
    return ScopedPrimaryKeyField(
        lambda scope: selectors.methodists_visible(scope.user),
        queryset=User.objects.all(),
        required=False,
        allow_null=True,
        label="Региональный методист",
    )


class RouteCreateSerializer(serializers.Serializer):
    person = ScopedPrimaryKeyField(
        lambda scope: scope.people(), queryset=Person.objects.all(), label="Работник"
    )
    starts_on = StrictDateField(label="Начало")
    ends_on = StrictDateField(label="Окончание")
    methodist = methodist_field()


class TransitionSerializer(VersionSerializer):
    name = TransitionField(label="Шаг")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class DeficitsUpdateSerializer(VersionSerializer):
    result = serializers.IntegerField(
        label="Результат диагностики", help_text="`new_result.id` из карточки маршрута."
    )


class GeneralInfoUpdateSerializer(VersionSerializer):
    """Section 1 while the route is a draft: only the fields given change."""

    organization = serializers.CharField(required=False, allow_blank=True, max_length=500)
    position = serializers.CharField(required=False, allow_blank=True, max_length=500)
    subjects = serializers.CharField(required=False, allow_blank=True, max_length=500)
    education = serializers.CharField(required=False, allow_blank=True, max_length=500)
    experience_years = serializers.DecimalField(
        required=False, max_digits=4, decimal_places=1, min_value=0, max_value=70
    )
    category = serializers.CharField(required=False, allow_blank=True, max_length=500)
    attestation_date = StrictDateField(required=False)

    def validate(self, attrs):
        if "attestation_date" in attrs:
            attrs["attestation_date"] = attrs["attestation_date"].strftime("%d.%m.%Y")
        return attrs


class TextsSerializer(VersionSerializer):
    """Section 4 and the school's proposals: only the texts given change."""

    school_proposals = serializers.CharField(required=False, allow_blank=True)
    evaluation = serializers.CharField(required=False, allow_blank=True)
    self_evaluation = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs):
        if set(attrs) == {"version"}:
            raise serializers.ValidationError("Укажите хотя бы один текст.")
        return attrs


class RouteVersionSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.display_name", **NAME)

    class Meta:
        model = RouteVersion
        fields = ["number", "author", "author_name", "reason", "created_at"]
        read_only_fields = fields


class RouteVersionDetailSerializer(RouteVersionSerializer):
    class Meta(RouteVersionSerializer.Meta):
        fields = [*RouteVersionSerializer.Meta.fields, "snapshot"]
        read_only_fields = fields


class SuggestionSerializer(serializers.Serializer):
    area_id = serializers.IntegerField()
    level = LevelField()
    activity_kind = serializers.ChoiceField(choices=ActivityKind.choices)
    title = serializers.CharField()
    result_form = serializers.CharField()
    source = serializers.CharField()
    why = serializers.CharField()


class AreaSuggestionsSerializer(serializers.Serializer):
    area = serializers.CharField()
    suggestions = SuggestionSerializer(many=True)


class DueItemSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="route.person.full_name", read_only=True)
    status = RouteItemStatusField(read_only=True)

    class Meta:
        model = RouteItem
        fields = ["id", "route", "person_name", "title", "due_on", "status"]
        read_only_fields = fields


class AuditDueSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    audit_due_on = serializers.DateField(read_only=True)

    class Meta:
        model = Route
        fields = ["id", "person", "person_name", "ends_on", "audit_due_on"]
        read_only_fields = fields


class DashboardSerializer(serializers.Serializer):
    overdue_items = DueItemSerializer(many=True)
    audits_due = AuditDueSerializer(many=True)


class OutcomesSummarySerializer(serializers.Serializer):
    completed = serializers.IntegerField(help_text="Завершённых маршрутов с обеими диагностиками.")
    with_deficits = serializers.IntegerField(help_text="Из них с дефицитами на входе.")
    closed = serializers.IntegerField(help_text="Из них все дефициты закрыты на выходе.")
    share = serializers.FloatField(allow_null=True, help_text="Доля закрывших дефициты, %.")


# -- reports -------------------------------------------------------------------------------------
class ReportCreateSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="", label="Отчёт")
    file = serializers.FileField(required=False, label="Файл")
    link = serializers.URLField(required=False, allow_blank=True, default="", label="Ссылка")


class ReportDecisionSerializer(serializers.Serializer):
    accept = serializers.BooleanField(label="Принять", help_text="Нет — вернуть на доработку.")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


# -- templates -----------------------------------------------------------------------------------
class TemplateItemSerializer(serializers.ModelSerializer):
    level = LevelField(label="Уровень")

    class Meta:
        model = TemplateItem
        fields = [
            "position",
            "level",
            "activity_kind",
            "title",
            "source",
            "area",
            "competency",
            "start_offset_days",
            "duration_days",
            "result_form",
        ]
        read_only_fields = ["position"]


class RouteTemplateSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.display_name", **NAME)
    items = TemplateItemSerializer(many=True, read_only=True)

    class Meta:
        model = RouteTemplate
        fields = ["id", "name", "description", "areas", "author_name", "created_at", "items"]
        read_only_fields = fields


class RouteTemplateCreateSerializer(serializers.ModelSerializer):
    areas = serializers.PrimaryKeyRelatedField(
        many=True, queryset=CompetencyArea.objects.all(), required=False, label="Дефициты"
    )
    items = TemplateItemSerializer(many=True, label="Пункты")

    class Meta:
        model = RouteTemplate
        fields = ["name", "description", "areas", "items"]


class TemplateApplySerializer(serializers.Serializer):
    people = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        label="Работники (id)",
        help_text="Кто вне области доступа или уже имеет действующий маршрут — пропускается.",
    )
    starts_on = StrictDateField(label="Начало")
    ends_on = StrictDateField(label="Окончание")
    methodist = methodist_field()


class TemplateAppliedSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Создано маршрутов.")
    ids = serializers.ListField(child=serializers.IntegerField(), help_text="Их id.")
