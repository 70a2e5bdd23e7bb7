"""Item bank and competency area pages: thin — reads through selectors, writes through services
(the XLSX through importers).

Every bank page answers 404 to a role without the bank (the bank holds answer keys).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from nms.accounts.scope import get_visible_or_404, scope_of
from nms.common import concurrency
from nms.common.views import (
    ImportSpec,
    ImportView,
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
    require,
    save_through_service,
    xlsx_response,
)
from nms.itembank import importers, selectors, services
from nms.itembank.filters import ItemFilterSet
from nms.itembank.forms import AreaForm, ItemForm, Question, SubCompetencyForm
from nms.itembank.models import CompetencyArea, Item, ReviewStatus
from nms.itembank.tables import AreaTable, ItemTable

VIEW_BANK = "itembank.view"
EDIT_BANK = "itembank.edit"


def _item(request, pk):
    require(scope_of(request.user).can_see_item_bank)
    return get_visible_or_404(selectors.items_visible(request.user), pk=pk)


class ItemListView(ScopedListView):
    model = Item
    selector = staticmethod(selectors.items_visible)
    view_action = VIEW_BANK
    filterset_class = ItemFilterSet
    table = ItemTable
    template_name = "itembank/bank_list.html"
    title = "Банк заданий"
    context_object_name = "items"
    create_url_name = "bank-create"
    create_action = EDIT_BANK
    create_label = "Добавить задание"
    export = staticmethod(importers.bank_export_xlsx)
    export_filename = "банк_заданий_{date}.xlsx"
    export_kind = "export_items"
    export_title = "Выгрузка банка заданий в XLSX"
    export_what = "заданий"


class ItemDetailView(ScopedDetailView):
    model = Item
    selector = staticmethod(selectors.items_visible)
    view_action = VIEW_BANK
    template_name = "itembank/bank_detail.html"
    context_object_name = "item"
    edit_action = EDIT_BANK
    edit_url_name = "bank-edit"

    def get_context(self, item):
        return {
            "question": Question(item.code, item, None, None),
            "key": services.format_key(item.kind, item.key),
            "key_lines": services.key_lines(item),
            "actions": services.status_actions(self.request.user, item),
            "in_use": services.item_in_use(item),
            "variant_count": item.variants.count(),
        }


class ItemFormView(ServiceFormView):
    """The bank's form (not a ModelForm: options and key in the bank's notation); a role that
    may not edit the bank does not have these pages (404)."""

    model = Item
    selector = staticmethod(selectors.items_visible)
    view_action = VIEW_BANK
    hide_refusals = True
    form_class = ItemForm
    action = EDIT_BANK
    template_name = "itembank/bank_form.html"


class ItemCreateView(ItemFormView):
    service = staticmethod(services.item_create)
    title = "Новое задание"
    success_message = "Задание добавлено в банк как черновик."


class ItemEditView(ItemFormView):
    service = staticmethod(services.item_update)
    title = "Изменение задания {object.code}"

    def form_kwargs(self):
        return {"initial": ItemForm.initial_for(self.object)}

    def get_context(self, form):
        return {"item": self.object, "in_use": services.item_in_use(self.object)}

    def get_success_message(self, saved):
        if self.object.status == ReviewStatus.APPROVED and saved.status == ReviewStatus.REVIEW:
            return "Изменения сохранены. Задание снова отправлено на экспертизу."
        return "Изменения сохранены."


@login_required
@require_POST
def item_status(request, pk):
    item = _item(request, pk)
    version = request.POST.get("version", "")
    try:
        item = services.item_set_status(
            request.user,
            item,
            request.POST.get("status", ""),
            int(version) if version.isdigit() else None,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Статус задания: «{item.get_status_display()}».")
    return redirect("bank-detail", item.pk)


class ItemImportView(ImportView):
    """The upload becomes a background job; its page shows the progress and then the report."""

    spec = ImportSpec(kinds=importers.import_kinds, work=importers.import_job)
    view_action = VIEW_BANK
    action = EDIT_BANK
    hide_refusals = True
    hide_single_kind = True
    template_name = "itembank/bank_import.html"
    title = "Загрузка заданий из XLSX"


@login_required
def item_template(request):
    require(scope_of(request.user).can_see_item_bank)
    return xlsx_response(importers.bank_template_xlsx(), "шаблон_банка_заданий.xlsx")


# -- competency areas --------------------------------------------------------------------------
class AreaListView(ScopedListView):
    model = CompetencyArea
    selector = staticmethod(
        lambda user: selectors.areas_with_subcompetencies().order_by("order", "name")
    )
    view_action = EDIT_BANK
    table = AreaTable
    title = "Области профессиональных компетенций"
    context_object_name = "areas"
    create_url_name = "area-create"
    create_action = EDIT_BANK
    create_label = "Добавить область"


@login_required
def area_edit(request, pk=None):
    require(scope_of(request.user).can_edit_item_bank)
    area = get_object_or_404(CompetencyArea, pk=pk) if pk else None
    form = AreaForm(request.POST or None, instance=area)
    concurrency.add_version_field(form, area)  # the version the user saw
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        saved = save_through_service(
            form, lambda: services.area_save(request.user, area, data, version)
        )
        if saved:
            messages.success(request, "Область сохранена.")
            return redirect("area-list")
    title = f"Область «{area}»" if area else "Новая область компетенций"
    return render(request, "itembank/area_form.html", {"form": form, "title": title})


@login_required
def subcompetency_edit(request, area_pk, pk=None):
    require(scope_of(request.user).can_edit_item_bank)
    area = get_object_or_404(CompetencyArea, pk=area_pk)
    sub = get_object_or_404(area.subcompetencies, pk=pk) if pk else None
    form = SubCompetencyForm(request.POST or None, instance=sub)
    concurrency.add_version_field(form, sub)  # the version the user saw
    if form.is_valid():
        name, version = form.cleaned_data["name"], form.cleaned_data.get("version")
        if save_through_service(
            form, lambda: services.subcompetency_save(request.user, area, sub, name, version)
        ):
            messages.success(request, "Компетенция сохранена.")
            return redirect("area-list")
    title = f"Компетенция области «{area}»"
    return render(request, "itembank/area_form.html", {"form": form, "title": title})
