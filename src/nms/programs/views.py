"""Pages of the app programs: the catalogue, runs, enrollments, imports. Reads through the
selectors (the user's scope), writes through the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from nms.accounts.scope import get_visible_or_404, scope_of
from nms.common import jobs
from nms.common.views import (
    ImportSpec,
    ImportView,
    ScopedDetailView,
    ScopedListView,
    ScopedObjectMixin,
    ServiceFormView,
    save_through_service,
    xlsx_response,
)
from nms.programs import exports, importers, selectors, services
from nms.programs.access import EDIT_CATALOGUE, ENROLL, enrollable_people
from nms.programs.filters import EnrollmentFilterSet, ProgrammeFilterSet
from nms.programs.forms import (
    CompleteForm,
    DropForm,
    EnrollForm,
    ProgrammeForm,
    RunForm,
    TeamForm,
)
from nms.programs.models import Enrollment, EnrollmentStatus, Programme, Run
from nms.programs.tables import EnrollmentTable, ProgrammeTable


# -- the catalogue -------------------------------------------------------------------------------
class ProgrammeListView(ScopedListView):
    model = Programme
    selector = staticmethod(selectors.programmes_for_list)
    filterset_class = ProgrammeFilterSet
    table = ProgrammeTable
    template_name = "programs/programme_list.html"
    title = "Программы ДПП"
    create_url_name = "program-create"
    create_action = EDIT_CATALOGUE
    create_label = "Добавить программу"
    export = staticmethod(exports.programmes_xlsx)
    export_filename = "программы_ДПП_{date}.xlsx"
    export_kind = "export_programmes"
    export_title = "Выгрузка программ ДПП в XLSX"
    export_what = "программ"
    export_action = ""  # the catalogue is everyone's

    def can_export(self) -> bool:
        return True

    def get_context_data(self) -> dict:
        return {
            **super().get_context_data(),
            "can_import": bool(importers.available_kinds(self.request.user)),
            "own_organizations": selectors.own_organizations(self.request.user),
        }


class ProgrammeDetailView(ScopedDetailView):
    model = Programme
    template_name = "programs/programme_detail.html"
    context_object_name = "programme"
    edit_action = EDIT_CATALOGUE
    edit_url_name = "program-edit"

    def get_context(self, programme):
        runs = selectors.runs_for_list(self.request.user).filter(programme=programme)
        return {
            "runs": runs,
            "can_add_run": self.allowed(EDIT_CATALOGUE, programme),
        }


class ProgrammeFormView(ServiceFormView):
    model = Programme
    form_class = ProgrammeForm
    action = EDIT_CATALOGUE


class ProgrammeCreateView(ProgrammeFormView):
    service = staticmethod(services.programme_create)
    title = "Новая программа ДПП"
    success_message = "Программа добавлена."


class ProgrammeEditView(ProgrammeFormView):
    service = staticmethod(services.programme_update)
    title = "Изменение: {object.title}"


# -- runs ----------------------------------------------------------------------------------------
class RunCreateView(ServiceFormView):
    model = Programme
    form_class = RunForm
    action = EDIT_CATALOGUE
    title = "Новый поток"
    success_message = "Поток добавлен."
    pk_url_kwarg = "run_pk"  # never in the URL: this page creates

    def authorize(self) -> None:
        self.require_view()
        self.programme = get_visible_or_404(
            self.scope.visible(Programme), pk=self.kwargs["programme_pk"]
        )
        self.check(self.action, self.programme)

    def call_service(self, form, extras):
        return services.run_create(self.request.user, self.programme, form.cleaned_data)

    def get_context(self, form):
        return {"back": self.programme}


class RunEditView(ServiceFormView):
    model = Run
    form_class = RunForm
    action = EDIT_CATALOGUE
    service = staticmethod(services.run_update)
    title = "Изменение потока: {object}"


class RunDetailView(ScopedDetailView):
    model = Run
    selector = staticmethod(selectors.runs_for_list)
    template_name = "programs/run_detail.html"
    context_object_name = "run"
    edit_action = EDIT_CATALOGUE
    edit_url_name = "run-edit"

    def get_context(self, run):
        user = self.request.user
        can_enroll = self.allowed(ENROLL, run)
        return {
            "enrollments": selectors.enrollments_for_list(user).filter(run=run),
            "teams": run.teams.select_related("organization"),
            "can_enroll": can_enroll,
            "enroll_form": EnrollForm() if can_enroll else None,
            "team_form": TeamForm(user=user) if can_enroll else None,
        }


class RunEnrollView(ScopedObjectMixin, View):
    """POST: enroll a person (by СНИЛС) in the run."""

    model = Run
    hide_refusals = False

    def post(self, request, pk):
        run = self.get_object()
        self.check(ENROLL, run)
        form = EnrollForm(request.POST)
        if form.is_valid():
            person = selectors_person(request.user, form.cleaned_data["snils"])
            if person is None:
                form.add_error("snils", "Работник с таким СНИЛС не найден в вашей области.")
            else:
                saved = save_through_service(
                    form, lambda: services.enroll(request.user, run, person)
                )
                if saved is not None:
                    messages.success(request, f"{person.full_name} зачислен(а) на поток.")
                    return redirect(run)
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect(run)


def selectors_person(user, snils: str):
    return enrollable_people(scope_of(user)).filter(snils=snils).first()


class TeamEnrollView(ScopedObjectMixin, View):
    """POST: enroll an organization's managers together as a team."""

    model = Run

    def post(self, request, pk):
        run = self.get_object()
        self.check(ENROLL, run)
        form = TeamForm(request.POST, user=request.user)
        if form.is_valid():
            saved = save_through_service(
                form,
                lambda: services.team_enroll(request.user, run, form.cleaned_data["organization"]),
            )
            if saved is not None:
                messages.success(request, f"Команда зачислена: {saved.members.count()} чел.")
                return redirect(run)
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect(run)


# -- enrollments ---------------------------------------------------------------------------------
class EnrollmentListView(ScopedListView):
    model = Enrollment
    selector = staticmethod(selectors.enrollments_for_list)
    filterset_class = EnrollmentFilterSet
    table = EnrollmentTable
    title = "Обучение по программам ДПП"
    export = staticmethod(exports.enrollments_xlsx)
    export_filename = "обучение_ДПП_{date}.xlsx"
    export_kind = "export_enrollments"
    export_title = "Выгрузка обучения по ДПП в XLSX"
    export_what = "зачислений"


class EnrollmentDetailView(ScopedDetailView):
    model = Enrollment
    selector = staticmethod(selectors.enrollments_for_list)
    template_name = "programs/enrollment_detail.html"
    context_object_name = "enrollment"

    def get_context(self, enrollment):
        can_record = self.allowed(ENROLL, enrollment)
        active = enrollment.status == EnrollmentStatus.ENROLLED
        initial = {"version": enrollment.version}
        return {
            "complete_form": CompleteForm(initial=initial) if can_record and active else None,
            "drop_form": DropForm(initial=initial) if can_record and active else None,
            "can_post_course": enrollment.is_completed and self.scope.can("routes.create_any"),
        }


class EnrollmentActionView(ScopedObjectMixin, View):
    """POST of one of the enrollment's forms through its service; errors shown on the page."""

    model = Enrollment
    selector = staticmethod(selectors.enrollments_for_list)
    action = ENROLL
    form_class = None
    done = ""

    def post(self, request, pk):
        enrollment = self.get_object()
        self.check(self.action, enrollment)
        form = self.form_class(request.POST)
        if form.is_valid():
            saved = save_through_service(form, lambda: self.run(enrollment, form.cleaned_data))
            if saved is not None:
                messages.success(request, self.done)
                return redirect(self.success_url(enrollment, saved))
        context = {
            "object": enrollment,
            "enrollment": enrollment,
            "complete_form": form if isinstance(form, CompleteForm) else CompleteForm(),
            "drop_form": form if isinstance(form, DropForm) else DropForm(),
            "can_post_course": False,
        }
        return render(request, "programs/enrollment_detail.html", context, status=400)

    def success_url(self, enrollment, saved):
        return enrollment.get_absolute_url()


class EnrollmentCompleteView(EnrollmentActionView):
    form_class = CompleteForm
    done = "Завершение обучения записано."

    def run(self, enrollment, data):
        return services.enrollment_complete(
            self.request.user,
            enrollment,
            completed_on=data["completed_on"],
            certificate_number=data["certificate_number"],
            expected_version=data["version"],
        )


class EnrollmentDropView(EnrollmentActionView):
    form_class = DropForm
    done = "Работник отчислен."

    def run(self, enrollment, data):
        return services.enrollment_drop(
            self.request.user,
            enrollment,
            reason=data["reason"],
            expected_version=data["version"],
        )


class PostCourseView(ScopedObjectMixin, View):
    """POST: open a route «посткурсовое сопровождение» for the person after a completion."""

    model = Enrollment
    selector = staticmethod(selectors.enrollments_for_list)

    def post(self, request, pk):
        enrollment = self.get_object()
        self.check("routes.create_any", enrollment.person)
        try:
            route = services.open_post_course_route(request.user, enrollment)
        except (ValidationError, PermissionDenied) as error:  # told on the page
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect(enrollment)
        messages.success(request, "Открыт маршрут посткурсового сопровождения.")
        return redirect(reverse("route-detail", args=[route.pk]))


# -- imports -------------------------------------------------------------------------------------
@jobs.job_work(phase="Проверка и сохранение строк файла…")
def import_job(job, progress) -> jobs.JobOutcome:
    from io import BytesIO

    report = importers.run_import(
        job.user, job.params["kind"], BytesIO(bytes(job.upload)), progress
    )
    return jobs.JobOutcome(report=report.as_dict(), message=report.summary)


class ProgramsImportView(ImportView):
    spec = ImportSpec(
        kinds=importers.available_kinds, work=import_job, template=importers.import_template
    )
    template_name = "programs/import.html"
    title = "Импорт: программы ДПП и завершения обучения"

    def authorize(self) -> None:
        if not importers.available_kinds(self.request.user):
            raise Http404("Страница не найдена")


@login_required
def import_template(request, kind):
    kinds = dict(importers.available_kinds(request.user))
    if kind not in kinds:
        raise Http404("Страница не найдена")
    content = importers.import_template(request.user, kind)
    return xlsx_response(content, f"шаблон_{kinds[kind].lower()}.xlsx")
