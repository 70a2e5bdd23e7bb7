"""Writes of the app exchange: forming the regional passport of further professional education
(the file, and the record that it was formed — the monitoring's B3)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError

from nms.accounts.scope import scope_of
from nms.exchange import passport
from nms.exchange.access import PASSPORT
from nms.exchange.models import PassportExport

NO_RIGHTS = "У вас нет прав формировать паспорт ДПО."


def check_period(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on is None or ends_on is None:
        raise ValidationError("Укажите начало и окончание периода.")
    if ends_on < starts_on:
        raise ValidationError("Окончание периода раньше его начала.")
    if (ends_on - starts_on).days > 366 * 5:
        raise ValidationError("Период паспорта — не больше пяти лет.")


def regions_for(user):
    return scope_of(user).restricted_to(_roles()).regions()


def form_passport(user, region, starts_on: date, ends_on: date) -> tuple[bytes, PassportExport]:
    """Build the passport's workbook for the region and period and record that it was formed."""
    data = passport_figures(user, region, starts_on, ends_on)
    content = passport.passport_xlsx(data)
    record = PassportExport.objects.create(
        region=region,
        starts_on=starts_on,
        ends_on=ends_on,
        programmes=data.figure("Программ ДПП в каталоге региона") or 0,
        completions=data.figure("Завершений обучения в периоде") or 0,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    return content, record


def passport_figures(user, region, starts_on: date, ends_on: date) -> passport.Passport:
    """The passport's figures (nothing recorded): for a region the user may form it for."""
    scope = scope_of(user)
    if not scope.can(PASSPORT):
        raise PermissionDenied(NO_RIGHTS)
    if not regions_for(user).filter(pk=region.pk).exists():
        raise PermissionDenied(NO_RIGHTS)
    check_period(starts_on, ends_on)
    return passport.build(region, starts_on, ends_on)


def _roles():
    from nms.accounts.access import action

    return action(PASSPORT).roles
