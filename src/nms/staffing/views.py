"""Staffing pages: thin — selectors read, services write and decide who may do what.

- The public vacancy list (`public_vacancy_list`, /staffing/vacancies/public/) answers anonymous
  visitors: organization, municipality, position, subject, rates, load, requirements of the
  published open vacancies — no person's data.
- «Кадры» (`staffing_home`) for the ministry, ЦНППМ, municipal and school administration:
  registers of staff schedules, vacancies, diplomas, specialties, target contracts and
  pedagogical classes on the generic views, an organization's staffing card, the imports.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from nms.accounts.models import Role
from nms.common.pagination import paginate
from nms.common.table_export import table_xlsx
from nms.common.views import (
    ImportSpec,
    ImportView,
    ScopedDetailView,
    ScopedListView,
    ScopedMixin,
    ScopedObjectMixin,
    ServiceFormView,
    require,
    xlsx_response,
)
from nms.registry.models import Organization
from nms.staffing import exports, importers, selectors, services
from nms.staffing.access import EDIT, EDIT_DIRECTORY, VIEW
from nms.staffing.filters import (
    ClassFilterSet,
    ContractFilterSet,
    DiplomaFilterSet,
    ScheduleFilterSet,
    SpecialtyFilterSet,
    VacancyFilterSet,
)
from nms.staffing.forms import (
    ClassForm,
    ContractForm,
    DiplomaForm,
    PublicVacancyFilterForm,
    RowForm,
    ScheduleForm,
    SpecialtyForm,
    VacancyForm,
)
from nms.staffing.models import (
    Diploma,
    PedagogicalClass,
    ScheduleRow,
    Specialty,
    StaffSchedule,
    TargetContract,
    Vacancy,
)
from nms.staffing.tables import (
    ClassTable,
    ContractTable,
    DiplomaTable,
    ScheduleTable,
    SpecialtyTable,
    VacancyTable,
)

PUBLIC_PAGE = 20


def _attempt(request, call) -> bool:
    """Run a service for a button; a refusal becomes an error message in Russian."""
    try:
        call()
    except PermissionDenied as error:
        messages.error(request, str(error) or services.NO_RIGHTS)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        return True
    return False


# -- the public vacancy list -----------------------------------------------------------------------
def public_vacancy_list(request):
    form = PublicVacancyFilterForm(
        request.GET or None,
        municipalities=selectors.public_municipalities(),
        subjects=selectors.public_subjects(),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.public_vacancies(
        q=filters.get("q") or "",
        municipality=filters.get("municipality"),
        subject=filters.get("subject"),
    )
    page = paginate(request, rows, PUBLIC_PAGE)
    return render(request, "staffing/public_vacancies.html", {"form": form, "page": page})


# -- the section's home ----------------------------------------------------------------------------
class StaffingHomeView(ScopedMixin, View):
    view_action = VIEW

    def get(self, request):
        scope = self.scope
        links = [
            ("Штатные расписания", "staffing-schedule-list"),
            ("Вакансии", "staffing-vacancy-list"),
            ("Дипломы работников", "staffing-diploma-list"),
            ("Справочник специальностей", "staffing-specialty-list"),
            ("Целевое обучение", "staffing-contract-list"),
            ("Педагогические классы", "staffing-class-list"),
            ("Открытый список вакансий", "public-vacancy-list"),
        ]
        organizations = list(scope.restricted_to(VIEWERS_FOR_CARD).organizations()[:2])
        return render(
            request,
            "staffing/home.html",
            {
                "links": links,
                "can_import": bool(importers.available_kinds(request.user)),
                "own_organization": organizations[0] if len(organizations) == 1 else None,
            },
        )


VIEWERS_FOR_CARD = (Role.SCHOOL,)


class OrganizationCardView(ScopedObjectMixin, View):
    """An organization's staffing card: its schedule and totals, open vacancies, teachers
    outside their profile, target contracts, pedagogical classes."""

    model = Organization
    view_action = VIEW

    def get(self, request, pk):
        organization = self.get_object()
        context = selectors.organization_card(request.user, organization)
        context["can_edit"] = self.scope.can(EDIT, StaffSchedule(organization=organization))
        return render(request, "staffing/organization_card.html", context)


# -- staff schedules -------------------------------------------------------------------------------
class ScheduleListView(ScopedListView):
    model = StaffSchedule
    selector = staticmethod(selectors.schedules_for_list)
    filterset_class = ScheduleFilterSet
    table = ScheduleTable
    title = "Штатные расписания"
    view_action = VIEW
    create_url_name = "staffing-schedule-create"
    create_action = EDIT
    create_label = "Добавить штатное расписание"
    export = staticmethod(exports.schedules_xlsx)
    export_filename = "штатные_расписания_{date}.xlsx"
    export_what = "штатных расписаний"
    template_name = "staffing/schedule_list.html"


class ScheduleDetailView(ScopedDetailView):
    model = StaffSchedule
    view_action = VIEW
    template_name = "staffing/schedule_detail.html"
    context_object_name = "schedule"
    edit_action = EDIT
    edit_url_name = "staffing-schedule-edit"

    def get_queryset(self):
        return super().get_queryset().select_related("organization__municipality")

    def get_context(self, schedule) -> dict:
        can_edit = self.allowed(EDIT, schedule)
        return {
            "rows": list(selectors.schedule_rows(schedule)),
            "totals": selectors.schedule_totals(schedule),
            "row_form": RowForm() if can_edit else None,
        }


class ScheduleFormMixin:
    model = StaffSchedule
    form_class = ScheduleForm
    action = EDIT
    view_action = VIEW
    hide_refusals = True


class ScheduleCreateView(ScheduleFormMixin, ServiceFormView):
    service = staticmethod(services.schedule_create)
    title = "Новое штатное расписание"
    success_message = "Штатное расписание создано: добавьте строки или загрузите файл."


class ScheduleEditView(ScheduleFormMixin, ServiceFormView):
    service = staticmethod(services.schedule_update)
    title = "Штатное расписание: {object}"


class ScheduleRowAddView(ScopedObjectMixin, View):
    """POST: a row added to the schedule (the schedule's version the page showed)."""

    model = StaffSchedule
    view_action = VIEW
    hide_refusals = True

    def post(self, request, pk):
        schedule = self.get_object()
        self.check(EDIT, schedule)
        form = RowForm(request.POST)
        version = concurrency_version(request)
        if not form.is_valid():
            messages.error(request, _form_errors(form))
        elif _attempt(
            request,
            lambda: services.row_add(
                request.user, schedule, form.cleaned_data, expected_version=version
            ),
        ):
            messages.success(request, "Строка добавлена.")
        return redirect(schedule)


class ScheduleRowDeleteView(ScopedObjectMixin, View):
    model = ScheduleRow
    view_action = VIEW
    hide_refusals = True

    def get_queryset(self):
        return super().get_queryset().select_related("schedule")

    def post(self, request, pk):
        row = self.get_object()
        self.check(EDIT, row.schedule)
        version = concurrency_version(request)
        if _attempt(
            request, lambda: services.row_delete(request.user, row, expected_version=version)
        ):
            messages.success(request, "Строка удалена.")
        return redirect(row.schedule)


def concurrency_version(request):
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _form_errors(form) -> str:
    return " ".join(
        f"{form.fields[name].label if name in form.fields else ''}: {' '.join(errs)}".strip(": ")
        for name, errs in form.errors.items()
    )


# The job's work moved to importers (the API starts it too); jobs queued before name this path.
import_job = importers.import_job


class StaffingImportView(ImportView):
    spec = ImportSpec(
        kinds=importers.available_kinds,
        work=importers.import_job,
        template=importers.import_template,
    )
    template_name = "staffing/import.html"
    title = "Импорт: штатные расписания и дипломы"

    def authorize(self) -> None:
        if not importers.available_kinds(self.request.user):
            raise Http404("Страница не найдена")


def import_template(request, kind):
    if not request.user.is_authenticated:
        raise Http404("Страница не найдена")
    kinds = dict(importers.available_kinds(request.user))
    if kind not in kinds:
        raise Http404("Страница не найдена")
    content = importers.import_template(request.user, kind)
    return xlsx_response(content, f"шаблон_{kinds[kind].lower().replace(' ', '_')}.xlsx")


# -- vacancies ---------------------------------------------------------------------------------
class VacancyListView(ScopedListView):
    model = Vacancy
    selector = staticmethod(selectors.vacancies_for_list)
    filterset_class = VacancyFilterSet
    table = VacancyTable
    title = "Вакансии"
    view_action = VIEW
    create_url_name = "staffing-vacancy-create"
    create_action = EDIT
    create_label = "Добавить вакансию"
    export = staticmethod(exports.vacancies_xlsx)
    export_filename = "вакансии_{date}.xlsx"
    export_what = "вакансий"


class VacancyDetailView(ScopedDetailView):
    model = Vacancy
    view_action = VIEW
    template_name = "staffing/vacancy_detail.html"
    context_object_name = "vacancy"
    edit_action = EDIT
    edit_url_name = "staffing-vacancy-edit"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("organization__municipality", "position", "subject")
        )


class VacancyFormMixin:
    model = Vacancy
    form_class = VacancyForm
    action = EDIT
    view_action = VIEW
    hide_refusals = True


class VacancyCreateView(VacancyFormMixin, ServiceFormView):
    service = staticmethod(services.vacancy_create)
    title = "Новая вакансия"
    success_message = "Вакансия сохранена."
    PREFILLED = ("organization", "position", "subject", "rates")

    def form_kwargs(self) -> dict:
        """From a schedule's vacant row: its organization, position, subject and rates."""
        kwargs = super().form_kwargs()
        if self.request.method == "GET":
            got = {name: self.request.GET.get(name) for name in self.PREFILLED}
            kwargs["initial"] = {name: value for name, value in got.items() if value}
        return kwargs


class VacancyEditView(VacancyFormMixin, ServiceFormView):
    service = staticmethod(services.vacancy_update)
    title = "Вакансия: {object}"


class VacancyActionView(ScopedObjectMixin, View):
    """POST: publish, unpublish or close the vacancy (with the version the page showed)."""

    model = Vacancy
    view_action = VIEW
    hide_refusals = True
    ACTIONS = {
        "publish": ("Вакансия опубликована в открытом списке.", True),
        "unpublish": ("Вакансия снята с публикации.", False),
        "close": ("Вакансия закрыта.", None),
    }

    def post(self, request, pk, what):
        vacancy = self.get_object()
        require(what in self.ACTIONS)
        self.check(EDIT, vacancy)
        message, published = self.ACTIONS[what]
        version = concurrency_version(request)
        if what == "close":

            def call():
                services.vacancy_close(request.user, vacancy, expected_version=version)
        else:

            def call():
                services.vacancy_publish(request.user, vacancy, published, expected_version=version)

        if _attempt(request, call):
            messages.success(request, message)
        return redirect(vacancy)


# -- diplomas ----------------------------------------------------------------------------------
class DiplomaListView(ScopedListView):
    model = Diploma
    selector = staticmethod(selectors.diplomas_for_list)
    filterset_class = DiplomaFilterSet
    table = DiplomaTable
    title = "Дипломы работников"
    view_action = VIEW
    create_url_name = "staffing-diploma-create"
    create_action = EDIT
    create_label = "Добавить диплом"
    export = staticmethod(exports.diplomas_xlsx)
    export_filename = "дипломы_{date}.xlsx"
    export_what = "дипломов"


class DiplomaDetailView(ScopedDetailView):
    model = Diploma
    template_name = "staffing/diploma_detail.html"
    context_object_name = "diploma"
    edit_action = EDIT
    edit_url_name = "staffing-diploma-edit"

    def get_queryset(self):
        return super().get_queryset().select_related("person", "specialty")

    def get_context(self, diploma) -> dict:
        return {"subjects": list(diploma.specialty.subjects.all())}


class DiplomaFormMixin:
    model = Diploma
    form_class = DiplomaForm
    action = EDIT
    view_action = VIEW
    hide_refusals = True


class DiplomaCreateView(DiplomaFormMixin, ServiceFormView):
    service = staticmethod(services.diploma_create)
    title = "Новый диплом"
    success_message = "Диплом сохранён."


class DiplomaEditView(DiplomaFormMixin, ServiceFormView):
    service = staticmethod(services.diploma_update)
    title = "Диплом: {object}"


# -- specialties -------------------------------------------------------------------------------
class SpecialtyListView(ScopedListView):
    model = Specialty
    selector = staticmethod(selectors.specialties_for_list)
    filterset_class = SpecialtyFilterSet
    table = SpecialtyTable
    title = "Справочник специальностей"
    view_action = VIEW
    export = staticmethod(table_xlsx(SpecialtyTable, "Специальности"))
    export_filename = "специальности_{date}.xlsx"
    create_url_name = "staffing-specialty-create"
    create_action = EDIT_DIRECTORY
    create_label = "Добавить специальность"


class SpecialtyDetailView(ScopedDetailView):
    model = Specialty
    view_action = VIEW
    template_name = "staffing/specialty_detail.html"
    context_object_name = "specialty"
    edit_action = EDIT_DIRECTORY
    edit_url_name = "staffing-specialty-edit"

    def get_context(self, specialty) -> dict:
        return {"subjects": list(specialty.subjects.all())}


class SpecialtyFormMixin:
    model = Specialty
    form_class = SpecialtyForm
    action = EDIT_DIRECTORY
    view_action = VIEW
    hide_refusals = True


class SpecialtyCreateView(SpecialtyFormMixin, ServiceFormView):
    service = staticmethod(services.specialty_create)
    title = "Новая специальность"
    success_message = "Специальность добавлена в справочник."


class SpecialtyEditView(SpecialtyFormMixin, ServiceFormView):
    service = staticmethod(services.specialty_update)
    title = "Специальность: {object}"


# -- target contracts --------------------------------------------------------------------------
class ContractListView(ScopedListView):
    model = TargetContract
    selector = staticmethod(selectors.contracts_for_list)
    filterset_class = ContractFilterSet
    table = ContractTable
    title = "Договоры о целевом обучении"
    view_action = VIEW
    create_url_name = "staffing-contract-create"
    create_action = EDIT
    create_label = "Добавить договор"
    export = staticmethod(exports.contracts_xlsx)
    export_filename = "целевые_договоры_{date}.xlsx"
    export_what = "договоров"


class ContractDetailView(ScopedDetailView):
    model = TargetContract
    view_action = VIEW
    template_name = "staffing/contract_detail.html"
    context_object_name = "contract"
    edit_action = EDIT
    edit_url_name = "staffing-contract-edit"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related(
                "municipality", "organization", "specialty", "person", "employment__organization"
            )
        )


class ContractFormMixin:
    model = TargetContract
    form_class = ContractForm
    action = EDIT
    view_action = VIEW
    hide_refusals = True


class ContractCreateView(ContractFormMixin, ServiceFormView):
    service = staticmethod(services.contract_create)
    title = "Новый договор о целевом обучении"
    success_message = "Договор сохранён."


class ContractEditView(ContractFormMixin, ServiceFormView):
    service = staticmethod(services.contract_update)
    title = "{object}"


# -- pedagogical classes ---------------------------------------------------------------------------
class ClassListView(ScopedListView):
    model = PedagogicalClass
    selector = staticmethod(selectors.classes_for_list)
    filterset_class = ClassFilterSet
    table = ClassTable
    title = "Психолого-педагогические классы"
    view_action = VIEW
    create_url_name = "staffing-class-create"
    create_action = EDIT
    create_label = "Добавить класс"
    export = staticmethod(exports.classes_xlsx)
    export_filename = "педагогические_классы_{date}.xlsx"
    export_what = "классов"


class ClassDetailView(ScopedDetailView):
    model = PedagogicalClass
    view_action = VIEW
    template_name = "staffing/class_detail.html"
    context_object_name = "item"
    edit_action = EDIT
    edit_url_name = "staffing-class-edit"


class ClassFormMixin:
    model = PedagogicalClass
    form_class = ClassForm
    action = EDIT
    view_action = VIEW
    hide_refusals = True


class ClassCreateView(ClassFormMixin, ServiceFormView):
    service = staticmethod(services.class_create)
    title = "Новый педагогический класс"
    success_message = "Класс сохранён."


class ClassEditView(ClassFormMixin, ServiceFormView):
    service = staticmethod(services.class_update)
    title = "{object}"
