"""Item bank and competency area pages: thin — reads through selectors, writes through services
(the XLSX through importers).

Every bank page answers 404 to a role without the bank (the bank holds answer keys).
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from nms.accounts.scope import get_visible_or_404, scope_of
from nms.common.pagination import paginate
from nms.common.views import require, save_through_service, xlsx_response
from nms.itembank import importers, selectors, services
from nms.itembank.filters import ItemFilterSet
from nms.itembank.forms import AreaForm, ImportForm, ItemForm, Question, SubCompetencyForm
from nms.itembank.models import CompetencyArea, ReviewStatus


def _item(request, pk):
    require(scope_of(request.user).can_see_item_bank)
    return get_visible_or_404(selectors.items_visible(request.user), pk=pk)


@login_required
def item_list(request):
    scope = scope_of(request.user)
    require(scope.can_see_item_bank)
    filterset = ItemFilterSet(request.GET, queryset=selectors.items_visible(request.user))
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            importers.bank_export_xlsx(filterset.qs), f"банк_заданий_{date.today():%d.%m.%Y}.xlsx"
        )
    page = paginate(request, filterset.qs)
    context = {
        "filter": filterset,
        "page": page,
        "items": page.object_list,
        "can_edit": scope.can_edit_item_bank,
    }
    template = "itembank/bank_table.html" if request.htmx else "itembank/bank_list.html"
    return render(request, template, context)


@login_required
def item_detail(request, pk):
    item = _item(request, pk)
    return render(
        request,
        "itembank/bank_detail.html",
        {
            "item": item,
            "question": Question(item.code, item, None, None),
            "key": services.format_key(item.kind, item.key),
            "key_lines": services.key_lines(item),
            "actions": services.status_actions(request.user, item),
            "can_edit": scope_of(request.user).can_edit_item_bank,
            "in_use": services.item_in_use(item),
            "variant_count": item.variants.count(),
        },
    )


@login_required
def item_create(request):
    require(scope_of(request.user).can_edit_item_bank)
    form = ItemForm(request.POST or None)
    if form.is_valid():
        item = save_through_service(
            form, lambda: services.item_create(request.user, form.cleaned_data)
        )
        if item:
            messages.success(request, "Задание добавлено в банк как черновик.")
            return redirect("bank-detail", item.pk)
    return render(request, "itembank/bank_form.html", {"form": form, "title": "Новое задание"})


@login_required
def item_edit(request, pk):
    item = _item(request, pk)
    require(scope_of(request.user).can_edit_item_bank)
    form = ItemForm(request.POST or None, initial=ItemForm.initial_for(item))
    if form.is_valid():
        data = form.cleaned_data
        if saved := save_through_service(
            form, lambda: services.item_update(request.user, item, data)
        ):
            note = (
                " Задание снова отправлено на экспертизу."
                if item.status == ReviewStatus.APPROVED and saved.status == ReviewStatus.REVIEW
                else ""
            )
            messages.success(request, "Изменения сохранены." + note)
            return redirect("bank-detail", item.pk)
    return render(
        request,
        "itembank/bank_form.html",
        {
            "form": form,
            "title": f"Изменение задания {item.code}",
            "item": item,
            "in_use": services.item_in_use(item),
        },
    )


@login_required
@require_POST
def item_status(request, pk):
    item = _item(request, pk)
    try:
        item = services.item_set_status(request.user, item, request.POST.get("status", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Статус задания: «{item.get_status_display()}».")
    return redirect("bank-detail", item.pk)


@login_required
def item_import(request):
    require(scope_of(request.user).can_edit_item_bank)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = importers.bank_import(request.user, form.cleaned_data["file"])
    return render(request, "itembank/bank_import.html", {"form": form, "report": report})


@login_required
def item_template(request):
    require(scope_of(request.user).can_see_item_bank)
    return xlsx_response(importers.bank_template_xlsx(), "шаблон_банка_заданий.xlsx")


# -- competency areas --------------------------------------------------------------------------
@login_required
def area_list(request):
    require(scope_of(request.user).can_edit_item_bank)
    return render(
        request, "itembank/area_list.html", {"areas": selectors.areas_with_subcompetencies()}
    )


@login_required
def area_edit(request, pk=None):
    require(scope_of(request.user).can_edit_item_bank)
    area = get_object_or_404(CompetencyArea, pk=pk) if pk else None
    form = AreaForm(request.POST or None, instance=area)
    if form.is_valid():
        data = form.cleaned_data
        saved = save_through_service(form, lambda: services.area_save(request.user, area, data))
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
    if form.is_valid():
        name = form.cleaned_data["name"]
        if save_through_service(
            form, lambda: services.subcompetency_save(request.user, area, sub, name)
        ):
            messages.success(request, "Компетенция сохранена.")
            return redirect("area-list")
    title = f"Компетенция области «{area}»"
    return render(request, "itembank/area_form.html", {"form": form, "title": title})
