"""Authentication for API clients (a token for a username and password) and the current user."""

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from nms.accounts.models import ApiToken, Role
from nms.accounts.scope import describe, scope_of
from nms.common.api import StrictDateField

BAD_CREDENTIALS = "Неверное имя пользователя или пароль."
TOKEN_NAME_FROM_PASSWORD = "Получен по паролю через API"
LOCKED_OUT = "Слишком много неудачных попыток входа. Повторите попытку позже."


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label="Имя пользователя")
    password = serializers.CharField(
        label="Пароль", write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
    expires = serializers.DateTimeField(read_only=True, help_text="Срок действия токена.")


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ObtainTokenView(APIView):
    """Получить токен по имени пользователя и паролю (заголовок `Authorization: Token …`).

    Каждый вызов выдаёт новый токен; он действует `NMS_TOKEN_DAYS` дней (30 по умолчанию),
    отзывается при смене пароля и на странице «Токены API»."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description=BAD_CREDENTIALS),
            429: OpenApiResponse(DetailSerializer, description=LOCKED_OUT),
        },
        auth=[],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # django-axes counts the failures and refuses a locked-out client; it needs the request.
        user = authenticate(
            request=request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if user is None:
            if getattr(request, "axes_locked_out", False):
                return Response({"detail": LOCKED_OUT}, status=status.HTTP_429_TOO_MANY_REQUESTS)
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: [BAD_CREDENTIALS]}
            )
        # As a login through the form: django-axes resets the failures, last_login is updated.
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        token, key = ApiToken.issue(user, TOKEN_NAME_FROM_PASSWORD)
        return Response({"token": key, "expires": token.expires})


class ValueLabelSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class ReferenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AssignmentSerializer(serializers.Serializer):
    role = ValueLabelSerializer()
    description = serializers.CharField(help_text="Роль и её привязка словами.")
    region = ReferenceSerializer(allow_null=True)
    municipality = ReferenceSerializer(allow_null=True)
    organization = ReferenceSerializer(allow_null=True)
    person = ReferenceSerializer(allow_null=True)
    subjects = ReferenceSerializer(many=True)
    valid_from = StrictDateField(allow_null=True)
    valid_to = StrictDateField(allow_null=True)


class ScopeSerializer(serializers.Serializer):
    all = serializers.BooleanField(help_text="Доступ ко всем записям (администратор).")
    description = serializers.CharField(help_text="Область доступа словами.")
    region = ReferenceSerializer(allow_null=True)
    person = ReferenceSerializer(allow_null=True)
    can_edit_registry = serializers.BooleanField()
    can_edit_organizations = serializers.BooleanField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField()
    roles = AssignmentSerializer(many=True, help_text="Действующие назначения ролей.")
    scope = ScopeSerializer()


def _reference(obj, name_attribute="name"):
    return None if obj is None else {"id": obj.pk, "name": getattr(obj, name_attribute)}


def _assignment(assignment) -> dict:
    role = Role(assignment.role)
    return {
        "role": {"value": role.value, "label": role.label},
        "description": describe(assignment),
        "region": _reference(assignment.region),
        "municipality": _reference(assignment.municipality),
        "organization": _reference(assignment.organization, "short_name"),
        "person": _reference(assignment.person, "full_name"),
        "subjects": [_reference(s) for s in assignment.subjects.all()] if assignment.pk else [],
        "valid_from": assignment.valid_from,
        "valid_to": assignment.valid_to,
    }


class MeView(APIView):
    """Текущий пользователь: его роли (у работника их может быть несколько) и область доступа."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        scope = scope_of(user)
        data = {
            "username": user.username,
            "display_name": user.display_name,
            "roles": [_assignment(a) for a in scope.assignments],
            "scope": {
                "all": scope.is_all,
                "description": scope.description,
                "region": None if scope.is_all else _reference(scope.default_region()),
                "person": _reference(user.person, "full_name"),
                "can_edit_registry": scope.can_edit_registry,
                "can_edit_organizations": scope.can_edit_organizations,
            },
        }
        return Response(MeSerializer(data).data)
