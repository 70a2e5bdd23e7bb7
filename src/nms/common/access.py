"""What a scope may see of the background jobs: one's own only (the administrator: all); and the
managers' tools every app's pages offer — the registers, list exports, the API, maps of a
territory — which a teacher or an expert, who work on their own data, are not shown."""

from nms.accounts.access import register_action, register_model
from nms.accounts.models import Role
from nms.common.models import Job

MANAGERS = (
    Role.ADMIN,
    Role.MINISTRY,
    Role.CNPPM,
    Role.METHODIST,
    Role.MUNICIPAL,
    Role.SCHOOL,
)


def _jobs(scope):
    if scope.is_all:
        return Job.objects.all()
    if not scope.user.is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(user=scope.user)


register_model(Job, _jobs)

register_action(
    "common.manager_tools",
    MANAGERS,
    "видеть инструменты руководителей: реестры, выгрузки в XLSX, API, карты территории",
)
