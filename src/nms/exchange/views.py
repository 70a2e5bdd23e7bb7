"""The page /exchange/: the federal exchange formats in one place and the outbound regional
passport of further professional education (formed at once, in the request: it is a fixed number
of aggregate queries)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.views import View

from nms.common.views import ScopedMixin, xlsx_response
from nms.exchange import services
from nms.exchange.access import PASSPORT, passports
from nms.exchange.forms import PassportForm

FORMATS = [
    ("Входящий", "Перечень программ ФР ДПП (XLSX или CSV)", "programs-import"),
    (
        "Входящий",
        "Результаты федеральной оценки компетенций (ФИС ОКО и др.), XLSX",
        "results-import",
    ),
    ("Входящий", "Результаты обучающихся по учителю (ВПР, ОГЭ, ЕГЭ), XLSX", "outcomes-import"),
    ("Исходящий", "Региональный паспорт ДПО, XLSX", ""),
]


class ExchangeView(ScopedMixin, View):
    view_action = PASSPORT

    def context(self, form):
        return {
            "title": "Обмен с федеральными системами",
            "form": form,
            "formats": FORMATS,
            "history": passports(self.scope).select_related("region", "created_by")[:20],
        }

    def get(self, request):
        return render(request, "exchange/home.html", self.context(PassportForm(user=request.user)))

    def post(self, request):
        form = PassportForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                content, record = services.form_passport(
                    request.user, data["region"], data["starts_on"], data["ends_on"]
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
            else:
                name = f"паспорт_ДПО_{record.starts_on:%d.%m.%Y}-{record.ends_on:%d.%m.%Y}.xlsx"
                return xlsx_response(content, name)
        return render(request, "exchange/home.html", self.context(form))
