"""What a scope may see of the background jobs: one's own only (the administrator: all)."""

from nms.accounts.access import register_model
from nms.common.models import Job


def _jobs(scope):
    if scope.is_all:
        return Job.objects.all()
    if not scope.user.is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(user=scope.user)


register_model(Job, _jobs)
