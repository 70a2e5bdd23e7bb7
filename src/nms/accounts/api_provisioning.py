"""POST /api/v1/accounts/issue/: accounts for an organization's, a municipality's, chosen or
filtered people's staff in bulk; the answer carries the logins and one-time passwords, once.

Above settings.NMS_SYNC_ACCOUNTS_LIMIT new accounts the answer is 202 with a background job
(`/api/v1/jobs/{id}/`); when it is done, its `file_url` gives the XLSX of logins and one-time
passwords once to the user who asked (the download wipes it)."""

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from nms.accounts import provisioning
from nms.common.api import ScopeAllows, service_errors
from nms.common.api_jobs import JobSerializer, job_accepted


class AccountsIssueSerializer(serializers.Serializer):
    organization = serializers.IntegerField(
        required=False, min_value=1, help_text="Все работники организации."
    )
    municipality = serializers.IntegerField(
        required=False, min_value=1, help_text="Все работники организаций муниципалитета."
    )
    people = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        allow_empty=False,
        max_length=provisioning.MAX_PEOPLE,
        help_text="Выбранные работники (id).",
    )
    filters = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Фильтры списка работников, как в адресе страницы: «q=…&category=highest»; "
        "пустая строка — все работники, которых вы можете изменять.",
    )
    send_mail = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Отправить каждому письмо с логином и паролем (если почта настроена).",
    )

    def validate(self, attrs):
        given = [key for key in ("organization", "municipality", "people") if attrs.get(key)]
        if "filters" in attrs:
            given.append("filters")
        if len(given) != 1:
            raise serializers.ValidationError(provisioning.ONE_SELECTION)
        return attrs


class IssuedAccountSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person.pk")
    full_name = serializers.CharField()
    organization = serializers.CharField()
    username = serializers.CharField()
    password = serializers.CharField(help_text="Разовый пароль; при первом входе его меняют.")
    email = serializers.CharField()


class SkippedAccountSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person.pk")
    full_name = serializers.CharField()
    organization = serializers.CharField()
    username = serializers.CharField(help_text="Логин уже имеющейся учётной записи.")


class AccountsIssuedSerializer(serializers.Serializer):
    issued = IssuedAccountSerializer(many=True)
    skipped = SkippedAccountSerializer(
        many=True, help_text="У этих работников учётная запись уже есть."
    )
    mailed = serializers.IntegerField(help_text="Сколько писем отправлено.")


class IssueAccountsView(APIView):
    """Выдать учётные записи работникам организации, муниципалитета или выбранным работникам.

    Каждому работнику без учётной записи — логин, разовый пароль и роль «педагог»; пароли
    возвращаются только в этом ответе. Работники вне вашей области доступа — 404. Если новых
    учётных записей больше NMS_SYNC_ACCOUNTS_LIMIT, ответ 202 — фоновая задача; файл XLSX с
    паролями по её `file_url` можно скачать один раз.
    """

    permission_classes = [ScopeAllows(provisioning.ACTION, provisioning.NO_RIGHTS)]

    @extend_schema(
        tags=["accounts"],
        request=AccountsIssueSerializer,
        responses={
            201: AccountsIssuedSerializer,
            202: OpenApiResponse(
                JobSerializer,
                description="Больше NMS_SYNC_ACCOUNTS_LIMIT новых учётных записей: фоновая "
                "задача; её файл с паролями можно скачать один раз.",
            ),
            400: OpenApiResponse(description=provisioning.ONE_SELECTION),
            403: OpenApiResponse(description=provisioning.NO_RIGHTS),
            404: OpenApiResponse(description="Организация, муниципалитет или работник не найдены."),
        },
    )
    def post(self, request):
        serializer = AccountsIssueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors():
            selection = provisioning.selection_resolve(
                request.user,
                organization=data.get("organization"),
                municipality=data.get("municipality"),
                people=data.get("people"),
                filters=data.get("filters"),
            )
            send_mail = data["send_mail"] and provisioning.mail_configured()
            login_url = request.build_absolute_uri(reverse("login"))
            if provisioning.needs_job(provisioning.selection_counts(selection)):
                job = provisioning.accounts_issue_start(
                    request.user, selection, send_mail=send_mail, login_url=login_url
                )
                response = job_accepted(request, job)
                response["Cache-Control"] = "no-store"
                return response
            accounts = provisioning.accounts_create(
                request.user, selection.people, organization=selection.organization
            )
        issued = [a for a in accounts if not a.skipped]
        mailed = provisioning.accounts_mail(issued, login_url) if send_mail else 0
        answer = {
            "issued": issued,
            "skipped": [a for a in accounts if a.skipped],
            "mailed": mailed,
        }
        response = Response(AccountsIssuedSerializer(answer).data, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response
