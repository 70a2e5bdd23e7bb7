"""Pages of the app events: the catalogue of events, participation, internship sites and
internships. Reads through the selectors (the user's scope), writes through the services."""

from django.contrib.auth.decorators import login_required

from nms.accounts.scope import get_visible_or_404
from nms.common.pagination import paginate
from nms.common.views import (
    ImportSpec,
    ImportView,
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
    require,
    xlsx_response,
)
from nms.events import exports, importers, selectors, services
from nms.events.access import EDIT, RECORD, SITES
from nms.events.filters import (
    EventFilterSet,
    InternshipFilterSet,
    ParticipationFilterSet,
    SiteFilterSet,
)
from nms.events.forms import EventForm, InternshipForm, InternshipSiteForm, ParticipationForm
from nms.events.models import Event, Internship, InternshipSite, Participation
from nms.events.tables import (
    EventTable,
    InternshipEditTable,
    InternshipTable,
    ParticipationEditTable,
    ParticipationTable,
    SiteTable,
    mark_visible_people,
)


# -- events ------------------------------------------------------------------------------------
class EventListView(ScopedListView):
    model = Event
    selector = staticmethod(selectors.events_for_list)
    filterset_class = EventFilterSet
    table = EventTable
    template_name = "events/event_list.html"
    title = "Мероприятия"
    context_object_name = "events"
    create_url_name = "event-create"
    create_action = EDIT
    create_label = "Добавить мероприятие"
    export = staticmethod(exports.events_xlsx)
    export_filename = "мероприятия_{date}.xlsx"
    export_kind = "export_events"
    export_title = "Выгрузка мероприятий в XLSX"
    export_what = "мероприятий"


class OrganizedEventListView(EventListView):
    """The events organized by the user's organization(s)."""

    selector = staticmethod(selectors.organized_events)
    title = "Мероприятия моей организации"


class EventDetailView(ScopedDetailView):
    model = Event
    selector = staticmethod(selectors.events_for_list)
    template_name = "events/event_detail.html"
    context_object_name = "event"
    edit_action = EDIT
    edit_url_name = "event-edit"

    def get_context(self, event):
        user = self.request.user
        participants = paginate(self.request, selectors.event_participations(user, event), 50)
        results = selectors.contest_results(user, event) if event.is_contest else []
        shown = [*participants] + [p for stage in results for p in stage["results"]]
        mark_visible_people(user, shown)
        return {
            "participants": participants,
            "results": results,
            "organizations": selectors.event_organizations(user, event)[:200],
            "counts": selectors.event_counts(event),
            "areas": list(event.areas.all()),
            "can_record": self.allowed(RECORD),
        }


class EventFormView(ServiceFormView):
    model = Event
    selector = staticmethod(selectors.events_for_list)
    form_class = EventForm
    action = EDIT


class EventCreateView(EventFormView):
    service = staticmethod(services.event_create)
    title = "Новое мероприятие"
    success_message = "Мероприятие добавлено."


class EventEditView(EventFormView):
    service = staticmethod(services.event_update)
    title = "Изменение: {object.title}"


# -- participation -----------------------------------------------------------------------------
class ParticipationListView(ScopedListView):
    model = Participation
    selector = staticmethod(selectors.participations_for_list)
    filterset_class = ParticipationFilterSet
    table = ParticipationTable
    template_name = "events/participation_list.html"
    title = "Участие в мероприятиях"
    context_object_name = "participations"
    export = staticmethod(exports.participations_xlsx)
    export_filename = "участие_{date}.xlsx"
    export_kind = "export_participations"
    export_title = "Выгрузка участия в XLSX"
    export_what = "записей"

    def get_context_data(self):
        return {**super().get_context_data(), "can_import": self.allowed(RECORD)}

    def make_table(self, rows):
        table = ParticipationEditTable if self.allowed(RECORD) else ParticipationTable
        return table(mark_visible_people(self.request.user, rows), self.request)


class ParticipationCreateView(ServiceFormView):
    """Record a participation in the event of the URL (`event_pk`)."""

    model = Participation
    form_class = ParticipationForm
    action = RECORD
    template_name = "events/participation_form.html"
    success_message = "Участие отмечено."
    pk_url_kwarg = "participation_pk"  # never in this URL: the page creates

    def authorize(self) -> None:
        self.event = get_visible_or_404(
            selectors.events_for_list(self.request.user), pk=self.kwargs["pk"]
        )
        super().authorize()

    def form_kwargs(self) -> dict:
        return {"event": self.event}

    def call_service(self, form, extras):
        return services.participation_record(self.request.user, self.event, form.cleaned_data)

    def get_success_url(self, saved) -> str:
        return self.event.get_absolute_url()

    def get_context(self, form) -> dict:
        return {"event": self.event, "back": self.event, "title": f"Участие: {self.event.title}"}


class ParticipationEditView(ServiceFormView):
    model = Participation
    selector = staticmethod(selectors.participations_for_list)
    form_class = ParticipationForm
    action = RECORD
    service = staticmethod(services.participation_update)
    template_name = "events/participation_form.html"
    title = "Участие: {object.person.full_name}"

    def get_context(self, form) -> dict:
        return {"event": self.object.event, "back": self.object.event}


class ParticipationImportView(ImportView):
    spec = ImportSpec(
        kinds=importers.import_kinds,
        work=importers.import_job,
        template=lambda user, kind: importers.template_xlsx(),
    )
    action = RECORD
    hide_refusals = True
    hide_single_kind = True
    template_name = "events/participation_import.html"
    title = "Загрузка участия в мероприятиях из XLSX"


@login_required
def participation_template(request):
    require(ParticipationImportView.permits(request))
    return xlsx_response(importers.template_xlsx(), "шаблон_участия.xlsx")


# -- internship sites --------------------------------------------------------------------------
class SiteListView(ScopedListView):
    model = InternshipSite
    selector = staticmethod(selectors.sites_for_list)
    filterset_class = SiteFilterSet
    table = SiteTable
    title = "Стажировочные площадки"
    context_object_name = "sites"
    create_url_name = "site-create"
    create_action = SITES
    create_label = "Добавить площадку"
    export = staticmethod(exports.sites_xlsx)
    export_filename = "стажировочные_площадки_{date}.xlsx"
    export_kind = "export_sites"
    export_title = "Выгрузка стажировочных площадок в XLSX"
    export_what = "площадок"


class SiteDetailView(ScopedDetailView):
    model = InternshipSite
    selector = staticmethod(selectors.sites_for_list)
    template_name = "events/site_detail.html"
    context_object_name = "site"
    edit_action = SITES
    edit_url_name = "site-edit"

    def get_context(self, site):
        internships = selectors.internships_for_list(self.request.user).filter(site=site)
        page = paginate(self.request, internships, 50)
        mark_visible_people(self.request.user, page)
        return {
            "internships": page,
            "can_record": self.allowed(RECORD),
        }


class SiteFormView(ServiceFormView):
    model = InternshipSite
    selector = staticmethod(selectors.sites_for_list)
    form_class = InternshipSiteForm
    action = SITES


class SiteCreateView(SiteFormView):
    service = staticmethod(services.site_create)
    title = "Новая стажировочная площадка"
    success_message = "Стажировочная площадка добавлена."


class SiteEditView(SiteFormView):
    service = staticmethod(services.site_update)
    title = "Изменение: {object}"


# -- internships -------------------------------------------------------------------------------
class InternshipListView(ScopedListView):
    model = Internship
    selector = staticmethod(selectors.internships_for_list)
    filterset_class = InternshipFilterSet
    table = InternshipTable
    title = "Стажировки"
    context_object_name = "internships"
    export = staticmethod(exports.internships_xlsx)
    export_filename = "стажировки_{date}.xlsx"
    export_kind = "export_internships"
    export_title = "Выгрузка стажировок в XLSX"
    export_what = "стажировок"

    def make_table(self, rows):
        table = InternshipEditTable if self.allowed(RECORD) else InternshipTable
        return table(mark_visible_people(self.request.user, rows), self.request)


class InternshipCreateView(ServiceFormView):
    model = Internship
    form_class = InternshipForm
    action = RECORD
    success_message = "Стажировка отмечена."
    pk_url_kwarg = "internship_pk"

    def authorize(self) -> None:
        self.site = get_visible_or_404(
            selectors.sites_for_list(self.request.user), pk=self.kwargs["pk"]
        )
        super().authorize()

    def form_kwargs(self) -> dict:
        return {"site": self.site}

    def call_service(self, form, extras):
        return services.internship_record(self.request.user, self.site, form.cleaned_data)

    def get_success_url(self, saved) -> str:
        return self.site.get_absolute_url()

    def get_context(self, form) -> dict:
        return {"back": self.site, "title": f"Стажировка: {self.site.organization}"}


class InternshipEditView(ServiceFormView):
    model = Internship
    selector = staticmethod(selectors.internships_for_list)
    form_class = InternshipForm
    action = RECORD
    service = staticmethod(services.internship_update)
    title = "Стажировка: {object.person.full_name}"
