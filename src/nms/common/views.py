"""What every app's pages are built from: a model declares its shape and gets its pages here.

    class OrganizationListView(ScopedListView):
        model = Organization
        selector = selectors.organizations_for_list   # or nothing: the access registry's set
        filterset_class = OrganizationFilterSet
        table = OrganizationTable                     # nms.common.tables
        export = exports.organizations_xlsx           # ?format=xlsx; a job above the limit
        title = "Организации"

    class OrganizationEditView(ServiceFormView):
        model = Organization
        form_class = OrganizationForm
        service = services.organization_update        # service(user, object, data)
        action = "registry.edit_organizations"        # scope.can(action, object), else 403

- `ScopedListView`: the list of what the scope shows (`selector(user)` or
  `scope.visible(model)`), filtered by the filter set (and `search` on ?q=), sorted by the
  table's headers, paginated, the table alone for htmx; `?format=xlsx` exports it through
  `export(queryset, progress=None) -> bytes`, in the request up to NMS_EXPORT_SYNC_LIMIT rows and
  as a background job above it.
- `ScopedDetailView`: one object through the access registry; outside the scope, 404.
- `ServiceFormView`: create (no pk in the URL) or edit through a service with a declared form;
  the service's ValidationError lands on the form and nothing is saved.
- `ImportView`: upload an XLSX file for an import spec; the import runs as a background job.

Pages a role lacks entirely answer 404 like objects outside the scope: `view_action` (the scope
must allow it for any method of the page) and `hide_refusals = True` (a refused write is 404,
not 403) say so.

Every object is looked up in the scope first (outside it: 404, never 403 — a refusal would tell
that it exists); only then is the write checked, `scope.can(action, obj)`, a refusal being 403.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.views import View

from nms.accounts.scope import get_visible_or_404, scope_of
from nms.common import concurrency, jobs
from nms.common.pagination import PAGE_SIZE, paginate


# -- helpers shared by every app's views -------------------------------------------------------
def save_through_service(form, call):
    """Run a service call for a valid form; put its ValidationError onto the form.

    The services are transactional themselves and decide what a refusal keeps (a late answer is
    refused, yet the attempt is closed as expired). Returns the service's result, or None when
    the form got errors.
    """
    try:
        return call()
    except concurrency.StaleRecord as error:
        # The user's input stays in the form; its hidden version moves to the current one.
        concurrency.move_to_current(form, error)
        form.add_error(None, error.messages)
        return None
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, messages_ in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages_)
        else:
            form.add_error(None, error.messages)
        return None


def require(condition: bool) -> None:
    """Pages a role lacks entirely answer 404, like objects outside the scope."""
    if not condition:
        raise Http404("Страница не найдена")


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=jobs.XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def declared(view, name: str):
    """A function declared as a class attribute, taken without binding it to the view."""
    value = inspect.getattr_static(type(view) if not isinstance(view, type) else view, name)
    return value.__func__ if isinstance(value, staticmethod) else value


# -- the scope ---------------------------------------------------------------------------------
class ScopedMixin(LoginRequiredMixin):
    """A page of a model: its queryset is what the user's scope shows of it.

    `selector(user) -> QuerySet` (the app's selector, with what the page reads prefetched) or,
    without one, the access registry's `scope.visible(model)`.
    """

    model: type[Model] | None = None
    selector: Callable | None = None
    view_action = ""  # the scope must allow it, else every method of the page answers 404
    hide_refusals = False  # a refused `check` answers 404 (the page is not there for the role)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.authorize()
        return super().dispatch(request, *args, **kwargs)

    def authorize(self) -> None:
        """Everything the page checks before it answers, raising Http404 (or PermissionDenied).

        The same check decides whether a link to the page is shown (`permits`, the `allowed_url`
        template tag): a page overriding it keeps its links honest."""
        self.require_view()

    @classmethod
    def permits(cls, request, *args, **kwargs) -> bool:
        """Whether the page at these URL arguments would answer `request.user` (not 404/403)."""
        if not request.user.is_authenticated:
            return False
        view = cls()
        view.setup(request, *args, **kwargs)
        try:
            view.authorize()
        except (Http404, PermissionDenied):
            return False
        return True

    def require_view(self) -> None:
        """404 unless the scope allows `view_action` (when the page declares one)."""
        if self.view_action:
            require(self.scope.can(self.view_action))

    @property
    def scope(self):
        return scope_of(self.request.user)

    @classmethod
    def queryset_for(cls, user) -> QuerySet:
        selector = declared(cls, "selector")
        if selector is not None:
            return selector(user)
        if cls.model is None:
            raise ImproperlyConfigured(f"{cls.__name__} declares neither model nor selector")
        return scope_of(user).visible(cls.model)

    def get_queryset(self) -> QuerySet:
        return self.queryset_for(self.request.user)

    def allowed(self, action: str, obj=None) -> bool:
        return bool(action) and self.scope.can(action, obj)

    def check(self, action: str, obj=None) -> None:
        """403 unless the scope allows `action` (on `obj`, already looked up in the scope)."""
        if not action:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no action for its writes")
        if not self.scope.can(action, obj):
            if self.hide_refusals:
                raise Http404("Страница не найдена")
            raise PermissionDenied("У вас нет прав на это действие.")


class ScopedObjectMixin(ScopedMixin):
    """One object of the scope, named by the URL (`pk_url_kwarg`); outside the scope, 404."""

    pk_url_kwarg = "pk"

    def authorize(self) -> None:
        super().authorize()
        self.get_object()

    def get_object(self):
        """The object, looked up once per request (`authorize` looks it up first)."""
        if getattr(self, "_scoped_object", None) is None:
            self._scoped_object = get_visible_or_404(
                self.get_queryset(), pk=self.kwargs[self.pk_url_kwarg]
            )
        return self._scoped_object


# -- lists -------------------------------------------------------------------------------------
class ScopedListView(ScopedMixin, View):
    """A list page; see the module's docstring. Templates get `filter`, `page`, `table`, the
    rows under `context_object_name`, `title`, `can_create`/`create_url`, `can_export`."""

    filterset_class = None
    table = None  # a nms.common.tables.Table subclass
    search: Callable | None = None  # search(queryset, text) on ?q=, when the filter set has no q
    search_label = "Поиск"
    per_page = PAGE_SIZE
    template_name = "common/list.html"
    partial_template_name = "common/table.html"  # what htmx asks for: the table and its pages
    context_object_name = "object_list"
    title = ""
    create_url_name = ""
    create_action = ""
    create_label = "Добавить"
    # ?format=xlsx: export(queryset, progress=None) -> bytes; above the limit a background job,
    # `export_job` if declared, else the generic one (`list_export_job`).
    export: Callable | None = None
    export_job: Callable | None = None
    export_filename = "выгрузка_{date}.xlsx"
    export_kind = ""
    export_title = "Выгрузка в XLSX"
    export_what = "строк"  # «Выгружено работников: 12»
    export_action = "common.manager_tools"  # who is offered the export (and may take it)

    # -- the rows (the page and the export job alike) ------------------------------------------
    @classmethod
    def has_own_search(cls) -> bool:
        return declared(cls, "search") is not None and not (
            cls.filterset_class and "q" in cls.filterset_class.base_filters
        )

    @classmethod
    def rows(cls, request, query, **kwargs) -> tuple[object, QuerySet]:
        """(filter set, queryset) of the list for `request.user` with the `query` parameters;
        `kwargs` are the URL's (a list under an object overrides this to look it up)."""
        queryset = cls.queryset_for(request.user)
        filterset = None
        if cls.filterset_class is not None:
            filterset = cls.filterset_class(query, queryset=queryset, request=request)
            queryset = filterset.qs
        if cls.has_own_search() and (text := (query.get("q") or "").strip()):
            queryset = declared(cls, "search")(queryset, text)
        if cls.table is not None:
            queryset = cls.table.order(queryset, query)
        return filterset, queryset

    # -- the page ------------------------------------------------------------------------------
    def get(self, request, *args, **kwargs):
        filterset, queryset = self.rows(request, request.GET, **kwargs)
        if request.GET.get("format") == "xlsx" and self.can_export():
            return self.export_response(queryset)
        page = paginate(request, queryset, self.per_page)
        context = {
            "filter": filterset,
            "page": page,
            "table": self.make_table(page.object_list),
            self.context_object_name: page.object_list,
            **self.get_context_data(),
        }
        if getattr(request, "htmx", False):
            return render(request, self.partial_template_name, context)
        return render(request, self.template_name, context)

    def make_table(self, rows):
        """The table of a page of rows (a list may wrap its rows or choose its columns here)."""
        return self.table(rows, self.request) if self.table else None

    def get_context_data(self) -> dict:
        create_url = reverse(self.create_url_name) if self.create_url_name else ""
        return {
            "title": self.title,
            "search_label": self.search_label if self.has_own_search() else "",
            "create_url": create_url,
            "create_label": self.create_label,
            "can_create": bool(create_url) and self.allowed(self.create_action),
            "can_export": self.can_export(),
            "partial_template": self.partial_template_name,
        }

    # -- the export ----------------------------------------------------------------------------
    def can_export(self) -> bool:
        return declared(self, "export") is not None and self.allowed(self.export_action)

    def export_name(self) -> str:
        return self.export_filename.format(date=f"{date.today():%d.%m.%Y}")

    def export_response(self, queryset):
        if queryset.count() <= settings.NMS_EXPORT_SYNC_LIMIT:
            return xlsx_response(declared(self, "export")(queryset), self.export_name())
        query = self.request.GET.copy()
        query.pop("format", None)
        query.pop("page", None)
        view = type(self)
        params = {
            "query": query.urlencode(),
            "filename": self.export_name(),
            "view": f"{view.__module__}.{view.__qualname__}",
        }
        if self.kwargs:
            params["kwargs"] = dict(self.kwargs)
        job = jobs.job_start(
            self.request.user,
            kind=self.export_kind or f"export_{queryset.model._meta.model_name}",
            title=self.export_title,
            work=declared(self, "export_job") or list_export_job,
            params=params,
        )
        return redirect(job)


@jobs.job_work(atomic=False, phase="Подготовка выгрузки…")
def list_export_job(job, progress) -> jobs.JobOutcome:
    """A big list export: the list again as the user who asked saw it (same query), exported by
    the list view's `export`."""
    path = job.params.get("view", "")
    view = import_string(path) if path.startswith(jobs.WORK_PACKAGES) else None
    if not (isinstance(view, type) and issubclass(view, ScopedListView)) or not view.export:
        raise jobs.JobFailed("Выгрузка не найдена.")
    request = SimpleNamespace(user=job.user)
    kwargs = job.params.get("kwargs") or {}
    _, queryset = view.rows(request, QueryDict(job.params.get("query", "")), **kwargs)
    content = declared(view, "export")(queryset, progress)
    return jobs.JobOutcome(
        file=content,
        filename=job.params.get("filename", "выгрузка.xlsx"),
        message=f"Файл готов. Выгружено {view.export_what}: {job.total}.",
    )


# -- one object --------------------------------------------------------------------------------
class ScopedDetailView(ScopedObjectMixin, View):
    """One object's page. Templates get `object`, the object under `context_object_name`,
    `can_edit` (`scope.can(edit_action, object)`) and `edit_url`; add more in `get_context`."""

    template_name = "common/detail.html"
    context_object_name = ""
    edit_action = ""
    edit_url_name = ""

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        context = {"object": obj, **self.get_context_data(obj)}
        if self.context_object_name:
            context[self.context_object_name] = obj
        return render(request, self.template_name, context)

    def get_context_data(self, obj) -> dict:
        can_edit = self.allowed(self.edit_action, obj)
        edit_url = reverse(self.edit_url_name, args=[obj.pk]) if self.edit_url_name else ""
        return {"can_edit": can_edit, "edit_url": edit_url, **self.get_context(obj)}

    def get_context(self, obj) -> dict:
        return {}


# -- create and edit ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ExtraForm:
    """A second form on a create page whose data the service takes as a keyword argument."""

    title: str
    form_class: type[forms.Form]
    prefix: str = ""


class ServiceFormView(ScopedMixin, View):
    """Create (no pk in the URL) or edit (`pk_url_kwarg` in the URL) through a service.

    `service(user, data, **extras)` creates, `service(user, object, data)` changes; `action` is
    asked of the scope — on the object, after it is looked up — and a refusal is 403. The form
    gets `user=` when its constructor takes it. `title` may name the object: "Изменение:
    {object.short_name}". On success: `success_message`, then the saved object's page.
    """

    form_class: type[forms.BaseForm]
    form_prefix: str | None = None
    extra_forms: dict[str, ExtraForm] = {}  # only when creating
    service: Callable
    action = ""
    template_name = "common/edit.html"
    title = ""
    success_message = "Изменения сохранены."
    pk_url_kwarg = "pk"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = None

    @property
    def creating(self) -> bool:
        return self.pk_url_kwarg not in self.kwargs

    def authorize(self) -> None:
        self.require_view()
        if not self.creating:
            self.object = get_visible_or_404(self.get_queryset(), pk=self.kwargs[self.pk_url_kwarg])
        self.check(self.action, self.object)

    def make_form(self, form_class, prefix=None, **kwargs):
        data = self.request.POST if self.request.method == "POST" else None
        files = self.request.FILES if self.request.method == "POST" else None
        if "user" in inspect.signature(form_class.__init__).parameters:
            kwargs["user"] = self.request.user
        return form_class(data, files, prefix=prefix, **kwargs)

    def form_kwargs(self) -> dict:
        """What the main form is made with besides the data (a ModelForm: the object edited)."""
        return {} if self.creating else {"instance": self.object}

    def get_forms(self):
        form = self.make_form(self.form_class, self.form_prefix, **self.form_kwargs())
        if not self.creating:  # the version the user saw (nms.common.concurrency)
            concurrency.add_version_field(form, self.object)
        extras = {}
        if self.creating:
            for name, extra in self.extra_forms.items():
                extras[name] = self.make_form(extra.form_class, extra.prefix or name)
        return form, extras

    def call_service(self, form, extras):
        service = declared(self, "service")
        data = form.cleaned_data
        if self.creating:
            cleaned = {name: extra.cleaned_data for name, extra in extras.items()}
            return service(self.request.user, data, **cleaned)
        if "version" in form.fields and concurrency.is_versioned(self.object):
            data = {k: v for k, v in data.items() if k != "version"}
            version = form.cleaned_data["version"]
            return service(self.request.user, self.object, data, expected_version=version)
        return service(self.request.user, self.object, data)

    def get(self, request, *args, **kwargs):
        form, extras = self.get_forms()
        return self.render_forms(form, extras)

    def post(self, request, *args, **kwargs):
        form, extras = self.get_forms()
        valid = [f.is_valid() for f in (form, *extras.values())]  # every form gets its errors
        if all(valid):
            saved = save_through_service(form, lambda: self.call_service(form, extras))
            if saved is not None:
                messages.success(request, self.get_success_message(saved))
                return redirect(self.get_success_url(saved))
        return self.render_forms(form, extras)

    def get_success_message(self, saved) -> str:
        return self.success_message

    def get_success_url(self, saved) -> str:
        return saved.get_absolute_url()

    def render_forms(self, form, extras):
        context = {
            "form": form,
            "extra_forms": [
                {"title": self.extra_forms[name].title, "form": extra}
                for name, extra in extras.items()
            ],
            "title": self.title.format(object=self.object),
            "back": self.object,
            "object": self.object,
            **self.get_context(form),
        }
        return render(self.request, self.template_name, context)

    def get_context(self, form) -> dict:
        """More for the template (the object, if any, is `self.object`)."""
        return {}


# -- import ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ImportSpec:
    """What a file may be imported as: `kinds(user) -> [(kind, label)]` (what the user may
    import), the job's work `work(job, progress) -> JobOutcome` (it reads `job.upload` and
    `job.params["kind"]`, as the user who uploaded) and `template(user, kind) -> bytes`."""

    kinds: Callable
    work: Callable
    template: Callable | None = None


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="Что загружаем", widget=forms.RadioSelect)
    file = forms.FileField(
        label="Файл XLSX",
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{jobs.XLSX}"}),
    )

    def __init__(self, *args, kinds, hide_single_kind=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        if kinds:
            self.fields["kind"].initial = kinds[0][0]
        if hide_single_kind and len(kinds) == 1:
            # One thing to import: nothing to choose, the kind is implied.
            self.fields["kind"].required = False
            self.fields["kind"].widget = forms.HiddenInput()

    def clean_kind(self):
        kind = self.cleaned_data.get("kind")
        choices = self.fields["kind"].choices
        if not kind and not self.fields["kind"].required and len(choices) == 1:
            return choices[0][0]
        return kind

    def clean_file(self):
        """A file over settings.NMS_IMPORT_MAX_BYTES is refused here, before it is read into a
        job (the importer checks the same limit for the API and the command)."""
        file = self.cleaned_data.get("file")
        limit = settings.NMS_IMPORT_MAX_BYTES
        if file is not None and file.size > limit:
            raise ValidationError(
                f"Файл слишком большой: {megabytes(file.size)}, допускается не больше "
                f"{megabytes(limit)}. Разделите его на части."
            )
        return file


def megabytes(size: int) -> str:
    """12 582 912 → «12 МБ», 1 572 864 → «1,5 МБ»."""
    return f"{size / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0") + " МБ"


class ImportView(ScopedMixin, View):
    """The upload page of an import spec: the file becomes a background job (its page shows the
    progress and then the report); `action` is asked of the scope (a refusal is 403)."""

    spec: ImportSpec
    action = ""
    template_name = "common/import.html"
    title = "Импорт из XLSX"
    intro = ""
    hide_single_kind = False  # one kind only: no choice shown, the upload is that kind

    def authorize(self) -> None:
        self.require_view()
        self.check(self.action)

    def kinds(self):
        return list(self.spec.kinds(self.request.user))

    def make_form(self, kinds, data=None, files=None):
        return ImportForm(data, files, kinds=kinds, hide_single_kind=self.hide_single_kind)

    def get(self, request, *args, **kwargs):
        return self.render_form(self.make_form(self.kinds()))

    def post(self, request, *args, **kwargs):
        kinds = self.kinds()
        form = self.make_form(kinds, request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(form)
        kind, file = form.cleaned_data["kind"], form.cleaned_data["file"]
        job = jobs.job_start(
            request.user,
            kind=f"import_{kind}",
            title=f"Импорт: {dict(kinds)[kind].lower()} из файла «{file.name}»",
            work=self.spec.work,
            params={"kind": kind},
            upload=file.read(),
            upload_name=file.name,
        )
        return redirect(job)

    def render_form(self, form):
        context = {
            "form": form,
            "kinds": form.fields["kind"].choices,
            "title": self.title,
            "intro": self.intro,
            "report": None,
            **self.get_context(),
        }
        return render(self.request, self.template_name, context)

    def get_context(self) -> dict:
        """More for the template (an app's page names its columns, its template file)."""
        return {}
