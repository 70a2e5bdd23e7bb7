"""The page «Токены API»: the user's own tokens, a new one (its key shown once), revoking one."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from nms.accounts.models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Название",
        max_length=100,
        help_text="Для чего токен: программа или сценарий, который им пользуется.",
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    key = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, key = ApiToken.issue(request.user, form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "tokens": ApiToken.objects.filter(user=request.user),
            "form": form,
            "new_key": key,
            "token_days": settings.NMS_TOKEN_DAYS,
        },
    )


@login_required
@require_POST
def revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.delete()
    messages.success(request, f"Токен «{token.name}» отозван.")
    return redirect("api-tokens")
