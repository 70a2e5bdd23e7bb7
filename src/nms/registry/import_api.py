"""Import over the API: POST an XLSX file (multipart field `file`), get the import report.

200 when the file was saved, 400 with every error when it was rejected (nothing saved), 403 for a
role that may not import this kind. The work is done by `nms.registry.importers`.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from nms.common.api import ImportFileSerializer
from nms.common.api_imports import ImportReportSerializer
from nms.registry import importers


class _ImportView(APIView):
    parser_classes = [MultiPartParser, FormParser]
    kind = ""

    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            report = importers.ImportReport.rejected("Приложите файл XLSX в поле file.", "file")
        else:
            report = importers.run_import(request.user, self.kind, upload)
        return Response(
            report.as_dict(),
            status=status.HTTP_200_OK if report.ok else status.HTTP_400_BAD_REQUEST,
        )


def _schema(summary: str):
    return extend_schema(
        summary=summary,
        tags=["import"],
        request={"multipart/form-data": ImportFileSerializer},
        responses={200: ImportReportSerializer, 400: ImportReportSerializer},
    )


class StaffImportView(_ImportView):
    kind = importers.STAFF

    @_schema("Загрузить список работников (XLSX)")
    def post(self, request):
        return super().post(request)


class OrganizationImportView(_ImportView):
    kind = importers.ORGANIZATIONS

    @_schema("Загрузить организации (XLSX)")
    def post(self, request):
        return super().post(request)
