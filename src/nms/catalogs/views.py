"""Pages of the practices bank and the catalogue of methodical materials: thin — selectors read,
services write and decide who may do what.

- Public banks (anonymous allowed): `public-practice-list`, `public-practice-detail`,
  `public-material-list`, `public-material-detail` and the published items' files — published
  items only, the authors' names and the organization, nothing else about anyone.
- Working pages: lists of what the scope shows (search, filters, XLSX), the item's page with the
  workflow buttons the user may press, its forms; «Мои экспертизы» of an expert; the review form.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from nms.accounts.scope import get_visible_or_404, scope_of
from nms.catalogs import conf, exports, selectors, services
from nms.catalogs.filters import MaterialFilterSet, PracticeFilterSet
from nms.catalogs.forms import (
    AssignForm,
    CommentForm,
    CriterionFormSet,
    FileForm,
    MaterialForm,
    PracticeForm,
    PublicFilterForm,
    ReplicationForm,
    ReviewForm,
)
from nms.catalogs.models import Criterion, Item, ItemKind, ItemStatus, Material, Practice
from nms.catalogs.tables import MaterialTable, PracticeTable
from nms.common.links import permits_with
from nms.common.pagination import paginate
from nms.common.views import ScopedDetailView, ScopedListView, ServiceFormView, require

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


def _form_errors(request, form) -> None:
    messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))


# -- the public banks --------------------------------------------------------------------------
PUBLIC = {
    ItemKind.PRACTICE: {
        "title": "Банк эффективных практик",
        "intro": "Практики педагогов и организаций региона, прошедшие профессионально-"
        "общественную экспертизу.",
        "detail": "public-practice-detail",
        "list": "public-practice-list",
    },
    ItemKind.MATERIAL: {
        "title": "Каталог методических материалов",
        "intro": "Аннотированный каталог методических рекомендаций, разработок и сборников, "
        "прошедших экспертизу.",
        "detail": "public-material-detail",
        "list": "public-material-list",
    },
}


def _public_list(request, kind):
    form = PublicFilterForm(request.GET or None, kind=kind)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.public_rows(
        kind,
        q=filters.get("q") or "",
        level=filters.get("level") or "",
        area=filters.get("area"),
        subject=filters.get("subject"),
        municipality=filters.get("municipality"),
        tag=filters.get("tag"),
    )
    if form.is_bound and not form.is_valid():  # a filter naming nothing published: nothing
        rows = rows.none()
    page = paginate(request, rows, PUBLIC_PAGE)
    return render(
        request,
        "catalogs/public_list.html",
        {
            "form": form,
            "page": page,
            "items": selectors.public_page(page.object_list),
            "kind": kind,
            **PUBLIC[kind],
        },
    )


def public_practice_list(request):
    return _public_list(request, ItemKind.PRACTICE)


def public_material_list(request):
    return _public_list(request, ItemKind.MATERIAL)


def _public_detail(request, kind, pk):
    item = selectors.public_item(kind, pk)
    if item is None:
        raise Http404("Не найдено")
    row = selectors.public_page([item])[0]
    return render(
        request,
        "catalogs/public_detail.html",
        {
            "item": item,
            "row": row,
            "files": list(item.files.all()),
            "replications": item.replications.count() if item.is_practice else 0,
            **PUBLIC[kind],
        },
    )


def public_practice_detail(request, pk):
    return _public_detail(request, ItemKind.PRACTICE, pk)


def public_material_detail(request, pk):
    return _public_detail(request, ItemKind.MATERIAL, pk)


def public_file(request, pk, file_pk):
    """A file of a published item, for anyone."""
    item = Item.objects.filter(pk=pk, status=ItemStatus.PUBLISHED).first()
    if item is None:
        raise Http404("Не найдено")
    found = get_visible_or_404(item.files.all(), pk=file_pk)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.filename)


# -- working lists -----------------------------------------------------------------------------
class PracticeListView(ScopedListView):
    model = Practice
    selector = staticmethod(selectors.practices_for_list)
    filterset_class = PracticeFilterSet
    table = PracticeTable
    title = "Эффективные практики"
    template_name = "catalogs/list.html"
    create_url_name = "catalogs-practice-create"
    create_action = "catalogs.submit"
    create_label = "Подать практику"
    export = staticmethod(exports.items_xlsx)
    export_filename = "практики_{date}.xlsx"
    export_what = "практик"

    def get_context_data(self) -> dict:
        return {
            **super().get_context_data(),
            "public_url": reverse("public-practice-list"),
            "pending_reviews": selectors.pending_reviews_count(self.request.user),
            "can_curate": self.scope.can("catalogs.curate"),
        }


class MaterialListView(PracticeListView):
    model = Material
    selector = staticmethod(selectors.materials_for_list)
    filterset_class = MaterialFilterSet
    table = MaterialTable
    title = "Методические материалы"
    create_url_name = "catalogs-material-create"
    create_label = "Подать материал"
    export_filename = "методические_материалы_{date}.xlsx"
    export_what = "материалов"

    def get_context_data(self) -> dict:
        return {**super().get_context_data(), "public_url": reverse("public-material-list")}


@login_required
def my_reviews(request):
    """«Мои экспертизы»: the items the user is assigned to review, the open ones first."""
    rows = list(selectors.my_assignments(request.user)[:200])
    rows.sort(key=lambda a: (hasattr(a, "review"), -a.pk))
    return render(request, "catalogs/my_reviews.html", {"assignments": rows})


# -- one item ----------------------------------------------------------------------------------
class ItemDetailView(ScopedDetailView):
    model = Practice
    template_name = "catalogs/item_detail.html"
    context_object_name = "item"

    def get_context(self, item) -> dict:
        user = self.request.user
        in_review = item.status in services.IN_REVIEW
        curate = in_review and services.can_curate(user, item)
        context = {
            **selectors.detail_context(user, item),
            "can_edit": services.can_edit(user, item),
            "edit_url": reverse(
                "catalogs-practice-edit" if item.is_practice else "catalogs-material-edit",
                args=[item.pk],
            ),
            "can_curate": curate,
            "assignment": services.open_assignment(user, item),
            "can_replicate": services.can_replicate(user, item),
            "version_form": CommentForm(initial={"version": item.version}),
            "file_form": FileForm(),
            "reviews_required": conf.reviews_required(),
            "list_url": reverse(
                "catalogs-practice-list" if item.is_practice else "catalogs-material-list"
            ),
        }
        if curate:
            context["assign_form"] = AssignForm(item=item, initial={"version": item.version})
            context["publish_refusal"] = services.publish_refusal(item)
        if context["can_replicate"]:
            context["replication_form"] = ReplicationForm(user=user)
        return context


class PracticeDetailView(ItemDetailView):
    model = Practice


class MaterialDetailView(ItemDetailView):
    model = Material


class PracticeCreateView(ServiceFormView):
    model = Practice
    form_class = PracticeForm
    service = staticmethod(services.practice_create)
    action = "catalogs.submit"
    title = "Новая практика"
    success_message = "Черновик сохранён. Добавьте файлы и подайте практику на экспертизу."

    def form_kwargs(self) -> dict:
        kwargs = super().form_kwargs()
        if self.creating and self.model is Practice:
            from nms.events.models import Event

            event_id = self.request.GET.get("event", "")
            if event_id.isdigit():
                event = Event.objects.filter(
                    pk=int(event_id), region_id__in=self.scope.region_ids or [0]
                ).first()
                if event is not None:
                    kwargs["initial_event"] = event
        return kwargs


class MaterialCreateView(PracticeCreateView):
    model = Material
    form_class = MaterialForm
    service = staticmethod(services.material_create)
    title = "Новый методический материал"
    success_message = "Черновик сохранён. Добавьте файлы и подайте материал на экспертизу."


class PracticeEditView(ServiceFormView):
    model = Practice
    form_class = PracticeForm
    service = staticmethod(services.item_update)
    title = "Изменение: {object}"

    def authorize(self) -> None:
        self.object = get_visible_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if not services.can_edit(self.request.user, self.object):
            raise PermissionDenied(services.NO_RIGHTS)


class MaterialEditView(PracticeEditView):
    model = Material
    form_class = MaterialForm


# -- the workflow buttons ------------------------------------------------------------------------
def _item(request, pk) -> Item:
    return get_visible_or_404(scope_of(request.user).visible(Item), pk=pk)


@login_required
@require_POST
def item_submit(request, pk):
    item = _item(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Форма устарела: обновите страницу.")
        return redirect(item)
    data = form.cleaned_data
    if _attempt(
        request,
        lambda: services.submit(
            request.user, item, expected_version=data["version"], comment=data["comment"]
        ),
    ):
        messages.success(request, "Подано на экспертизу.")
    return redirect(item)


@login_required
@require_POST
def item_assign(request, pk):
    item = _item(request, pk)
    form = AssignForm(request.POST, item=item)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(item)
    data = form.cleaned_data
    if _attempt(
        request,
        lambda: services.assign_experts(
            request.user, item, data["experts"], expected_version=data["version"]
        ),
    ):
        messages.success(request, "Эксперты назначены.")
    return redirect(item)


DECIDED = {
    "publish": "Опубликовано: работа появилась в открытом банке.",
    "revise": "Возвращено автору на доработку.",
    "reject": "Отклонено.",
}


@login_required
@require_POST
def item_decide(request, pk, decision):
    item = _item(request, pk)
    if decision not in DECIDED:
        raise Http404("Страница не найдена")
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Форма устарела: обновите страницу.")
        return redirect(item)
    data = form.cleaned_data
    if _attempt(
        request,
        lambda: services.decide(
            request.user,
            item,
            decision,
            comment=data["comment"],
            expected_version=data["version"],
        ),
    ):
        messages.success(request, DECIDED[decision])
    return redirect(item)


@login_required
@require_POST
def item_file_add(request, pk):
    item = _item(request, pk)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        if _attempt(
            request, lambda: services.file_add(request.user, item, form.cleaned_data["file"])
        ):
            messages.success(request, "Файл добавлен.")
    else:
        _form_errors(request, form)
    return redirect(item)


@login_required
def item_file(request, pk, file_pk):
    """A file of an item the user sees (an unpublished item's files never leave the scope)."""
    item = _item(request, pk)
    found = get_visible_or_404(item.files.all(), pk=file_pk)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.filename)


def _review_permits(request, pk, **kwargs) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    item = scope_of(user).visible(Item).filter(pk=pk).first()
    return item is not None and services.open_assignment(user, item) is not None


@login_required
@permits_with(_review_permits)
def item_review(request, pk):
    """The assigned expert's review form: a score by each criterion and a verdict."""
    item = _item(request, pk)
    assignment = services.open_assignment(request.user, item)
    if assignment is None:
        raise Http404("Страница не найдена")
    criteria = services.criteria()
    form = ReviewForm(request.POST or None, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_write(request.user, assignment, form.service_data())
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Заключение сохранено.")
            return redirect(item)
    return render(
        request,
        "catalogs/review_form.html",
        {"form": form, "item": item, "authors": selectors.author_names(item)},
    )


@login_required
@require_POST
def item_replicate(request, pk):
    item = _item(request, pk)
    form = ReplicationForm(request.POST, user=request.user)
    if form.is_valid():
        if _attempt(
            request, lambda: services.replication_add(request.user, item, form.cleaned_data)
        ):
            messages.success(request, "Тиражирование отмечено.")
    else:
        _form_errors(request, form)
    return redirect(item)


def _criteria_permits(request, **kwargs) -> bool:
    return request.user.is_authenticated and scope_of(request.user).can("catalogs.curate")


@login_required
@permits_with(_criteria_permits)
def criteria_edit(request):
    """The criteria of the expert review and their top scores (the ЦНППМ keeps them)."""
    require(_criteria_permits(request))
    services.criteria()  # the default set, the first time
    current = list(Criterion.objects.all())
    initial = [
        {"id": c.pk, "name": c.name, "max_score": c.max_score, "order": c.order, "active": c.active}
        for c in current
    ]
    formset = CriterionFormSet(request.POST or None, initial=initial, prefix="c")
    if request.method == "POST" and formset.is_valid():
        rows = [f.cleaned_data for f in formset if f.cleaned_data]
        try:
            services.criteria_save(request.user, rows)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Критерии сохранены.")
            return redirect("catalogs-criteria")
    return render(request, "catalogs/criteria.html", {"formset": formset})
