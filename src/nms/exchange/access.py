"""What a scope may see and do in the app exchange: the regional passports of further
professional education are the region's (the ministry, ЦНППМ); forming one is ЦНППМ's."""

from django.db.models import Q

from nms.accounts.access import register_action, register_model
from nms.accounts.models import Role
from nms.exchange.models import PassportExport

PASSPORT = "exchange.passport"


def passports(scope):
    if scope.is_all:
        return PassportExport.objects.all()
    regions = [
        a.region_id
        for a in scope.assignments
        if a.role in (Role.MINISTRY, Role.CNPPM) and a.region_id
    ]
    return PassportExport.objects.filter(Q(region_id__in=regions))


register_model(PassportExport, passports)
register_action(
    PASSPORT,
    (Role.ADMIN, Role.MINISTRY, Role.CNPPM),
    "формировать региональный паспорт ДПО и файлы обмена",
)
