"""The page «Учётные записи» (accounts for a selection of staff in bulk) and the password change
that ends a one-time password."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from nms.accounts import provisioning
from nms.common.filters import parse_id
from nms.common.views import xlsx_response


def _id(value: str) -> int:
    number = parse_id(value)  # digits within the database's range, or not found
    if number is None:
        raise Http404("Объект не найден")
    return number


def selection_query(query) -> dict:
    """The page's query as keyword arguments of `provisioning.selection_resolve`:
    ?person=<id>&person=<id> (the people list's checkboxes); ?organization=<id> or
    ?municipality=<id> alone (an organization's card); or the people list's own filters
    (?q=…&category=…, «all found»). An id that is not a number is not found (404)."""
    people = [_id(value) for value in query.getlist("person") if value]
    present = [key for key in provisioning.FILTER_KEYS if key in query]
    filled = {key for key in present if query.get(key)}
    selection = {"organization": None, "municipality": None, "people": people or None}
    if filled == {"organization"}:
        selection["organization"] = _id(query["organization"])
    elif filled == {"municipality"}:
        selection["municipality"] = _id(query["municipality"])
    elif present:
        selection["filters"] = query
    return selection


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def issue(request):
    """How many of the selection have no account; on POST their accounts, answered as the XLSX
    of logins and one-time passwords (kept nowhere else) — or, above
    settings.NMS_SYNC_ACCOUNTS_LIMIT, a background job whose page gives that file once."""
    provisioning.issuing_scope(request.user)  # 403 before anything about the selection
    query = selection_query(request.GET)
    context = {"mail": provisioning.mail_configured(), "limit": settings.NMS_SYNC_ACCOUNTS_LIMIT}
    if not any(value is not None for value in query.values()):
        return render(request, "accounts/issue.html", context)
    try:
        selection = provisioning.selection_resolve(request.user, **query)
    except ValidationError as error:
        context["error"] = " ".join(error.messages)
        return render(request, "accounts/issue.html", context, status=400)
    counts = provisioning.selection_counts(selection)
    context.update(selection=selection, counts=counts, in_background=provisioning.needs_job(counts))
    if request.method == "GET":
        return render(request, "accounts/issue.html", context)

    send_mail = bool(request.POST.get("send_mail")) and context["mail"]
    login_url = request.build_absolute_uri(reverse("login"))
    if context["in_background"]:
        job = provisioning.accounts_issue_start(
            request.user, selection, send_mail=send_mail, login_url=login_url
        )
        return redirect(job)
    issued = provisioning.accounts_create(
        request.user, selection.people, organization=selection.organization
    )
    created = [account for account in issued if not account.skipped]
    if not created:
        messages.info(request, "У всех работников выборки уже есть учётные записи.")
        return redirect(request.get_full_path())
    if send_mail:
        sent = provisioning.accounts_mail(created, login_url)
        messages.success(request, f"Отправлено писем с логином и паролем: {sent}.")
    messages.success(request, f"Создано учётных записей: {len(created)}.")
    return xlsx_response(
        provisioning.accounts_xlsx(issued), provisioning.accounts_filename(selection)
    )


# -- the first login: the one-time password is replaced -------------------------------------------
class OwnPasswordChangeForm(PasswordChangeForm):
    """The new password must not be the old one (above all, not the one-time password)."""

    def clean(self):
        cleaned = super().clean()
        new = cleaned.get("new_password2")
        if new and self.user.check_password(new):
            raise forms.ValidationError(
                "Новый пароль должен отличаться от прежнего.", code="password_unchanged"
            )
        return cleaned


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change that also ends a one-time password (`must_change_password`)."""

    form_class = OwnPasswordChangeForm

    def get(self, request, *args, **kwargs):
        if request.user.must_change_password:
            messages.warning(
                request,
                "Вы вошли по разовому паролю. Задайте собственный пароль, чтобы продолжить работу.",
            )
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        form.user.must_change_password = False  # saved with the new password by form.save()
        return super().form_valid(form)
