"""API token authentication: named tokens of `ApiToken` that expire and are revoked."""

from datetime import timedelta

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from nms.accounts.models import ApiToken

INVALID = "Недействительный токен."
EXPIRED = "Срок действия токена истёк. Получите новый токен."
INACTIVE = "Пользователь неактивен или удалён."
# The time of the last use is written at most this often (not a write on every call).
LAST_USED_STEP = timedelta(minutes=1)


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`. Listed first among the authentication classes, so a call
    without credentials is answered 401 with `WWW-Authenticate: Token`."""

    model = ApiToken

    def authenticate_credentials(self, key):
        token = ApiToken.find(key)
        if token is None:
            raise exceptions.AuthenticationFailed(INVALID)
        if token.is_expired:
            raise exceptions.AuthenticationFailed(EXPIRED)
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(INACTIVE)
        now = timezone.now()
        if token.last_used is None or now - token.last_used > LAST_USED_STEP:
            ApiToken.objects.filter(pk=token.pk).update(last_used=now)
            token.last_used = now
        return token.user, token
