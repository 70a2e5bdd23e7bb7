"""The import page: choose what to import, upload XLSX, read the report. Logic is in importers."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from nms.accounts.scope import scope_of
from nms.common.views import require, xlsx_response
from nms.registry import importers


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="Что загружаем", widget=forms.RadioSelect)
    file = forms.FileField(
        label="Файл XLSX",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        self.fields["kind"].initial = kinds[0][0]


@login_required
def import_page(request):
    require(scope_of(request.user).can_edit_registry)
    kinds = importers.available_kinds(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, kinds=kinds)
    report = None
    if request.method == "POST" and form.is_valid():
        report = importers.run_import(
            request.user, form.cleaned_data["kind"], form.cleaned_data["file"]
        )
    return render(request, "registry/import.html", {"form": form, "report": report, "kinds": kinds})


@login_required
def import_template(request, kind):
    kinds = dict(importers.available_kinds(request.user))
    if kind not in kinds:
        raise Http404("Страница не найдена")
    content = importers.import_template(request.user, kind)
    return xlsx_response(content, f"шаблон_{kinds[kind].lower()}.xlsx")
