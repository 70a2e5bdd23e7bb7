"""Writes of the app outcomes: the ЦНППМ's decision on a proposal of ШНОР (the flag itself is
the registry's, set through its service). Results come in by the import (importers.py)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from nms.accounts.scope import scope_of
from nms.outcomes.access import LOW_RESULTS
from nms.outcomes.models import LowResultsDecision
from nms.registry import services as registry_services

NO_RIGHTS = "У вас нет прав подтверждать статус ШНОР."
ALREADY = "Решение по этой организации за этот учебный год уже принято."


@transaction.atomic
def decide_low_results(
    user,
    organization,
    school_year: int,
    *,
    confirm: bool,
    share_passing: Decimal | None = None,
    note: str = "",
) -> LowResultsDecision:
    """Confirm (the organization becomes ШНОР in the registry) or reject a proposal."""
    scope = scope_of(user)
    if not scope.can(LOW_RESULTS):
        raise PermissionDenied(NO_RIGHTS)
    narrowed = scope.restricted_to(scope_roles())
    if not narrowed.organizations().filter(pk=organization.pk).exists():
        raise PermissionDenied(NO_RIGHTS)
    if LowResultsDecision.objects.filter(
        organization=organization, school_year=school_year
    ).exists():
        raise ValidationError(ALREADY)
    if confirm and not organization.is_low_results:
        registry_services.organization_update(user, organization, {"is_low_results": True})
    return LowResultsDecision.objects.create(
        region_id=organization.region_id,
        organization=organization,
        school_year=school_year,
        confirmed=confirm,
        share_passing=share_passing,
        note=note.strip(),
        decided_by=user if getattr(user, "is_authenticated", False) else None,
    )


def scope_roles():
    from nms.accounts.access import action

    return action(LOW_RESULTS).roles
