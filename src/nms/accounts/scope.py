"""The one place that decides what a user may see and change.

Every page, API endpoint, export and count starts from `scope_of(user)`. A user outside the scope
of an object must not learn it exists: views answer 404 (see `get_visible_or_404`).
"""

from functools import cached_property

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from nms.accounts.models import Role
from nms.registry.models import Employment, Municipality, Organization, Person, Region

NOTHING = Q(pk__in=[])


class Scope:
    def __init__(self, user):
        self.user = user
        if not user.is_authenticated:
            self.role = None
        else:
            self.role = Role.ADMIN if user.is_superuser else user.role

    # -- what the scope is bound to ------------------------------------------------------------
    @property
    def is_all(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_region(self) -> bool:
        return self.role in (Role.MINISTRY, Role.CNPPM)

    @cached_property
    def _own_person_id(self):
        return self.user.person_id if self.role else None

    # -- filters on each registry model --------------------------------------------------------
    def _person_q(self) -> Q:
        user, role = self.user, self.role
        if role is None:
            return NOTHING
        if self.is_all:
            return Q()
        if self.is_region:
            return Q(region_id=user.region_id)
        if role == Role.MUNICIPAL:
            return Q(
                Exists(
                    Employment.objects.filter(
                        person=OuterRef("pk"), organization__municipality_id=user.municipality_id
                    )
                )
            )
        if role == Role.SCHOOL:
            return Q(
                Exists(
                    Employment.objects.filter(
                        person=OuterRef("pk"), organization_id=user.organization_id
                    )
                )
            )
        if role == Role.METHODIST:
            return Q(
                Exists(
                    user.assigned_people.through.objects.filter(
                        user_id=user.pk, person_id=OuterRef("pk")
                    )
                )
            ) | Q(pk=self._own_person_id or 0)
        return Q(pk=self._own_person_id or 0)

    def _organization_q(self) -> Q:
        user, role = self.user, self.role
        if role is None:
            return NOTHING
        if self.is_all:
            return Q()
        if self.is_region:
            return Q(region_id=user.region_id)
        if role == Role.MUNICIPAL:
            return Q(municipality_id=user.municipality_id)
        if role == Role.SCHOOL:
            return Q(pk=user.organization_id)
        people = Person.objects.filter(self._person_q())
        return Q(Exists(Employment.objects.filter(organization=OuterRef("pk"), person__in=people)))

    def people(self) -> QuerySet[Person]:
        return Person.objects.filter(self._person_q())

    def organizations(self) -> QuerySet[Organization]:
        return Organization.objects.filter(self._organization_q())

    def employments(self) -> QuerySet[Employment]:
        return Employment.objects.filter(person__in=self.people())

    def municipalities(self) -> QuerySet[Municipality]:
        if self.role is None:
            return Municipality.objects.none()
        if self.is_all:
            return Municipality.objects.all()
        if self.is_region:
            return Municipality.objects.filter(region_id=self.user.region_id)
        if self.role == Role.MUNICIPAL:
            return Municipality.objects.filter(pk=self.user.municipality_id)
        return Municipality.objects.filter(
            Exists(self.organizations().filter(municipality=OuterRef("pk")))
        )

    def regions(self) -> QuerySet[Region]:
        if self.is_all:
            return Region.objects.all()
        return Region.objects.filter(pk=self.user.region_id or self._derived_region_id())

    def _derived_region_id(self):
        municipality = self.municipalities().first()
        return municipality.region_id if municipality else 0

    @property
    def description(self) -> str:
        """Where the user's view ends, in words for the page header."""
        user, role = self.user, self.role
        if role is None:
            return ""
        if self.is_all:
            return "все регионы"
        if self.is_region:
            return f"регион: {user.region}"
        if role == Role.MUNICIPAL:
            return f"муниципалитет: {user.municipality}"
        if role == Role.SCHOOL:
            return f"организация: {user.organization}"
        if role == Role.METHODIST:
            return "сопровождаемые педагоги"
        return "только собственные данные"

    # -- what the user may change --------------------------------------------------------------
    @property
    def can_edit_registry(self) -> bool:
        return self.is_all or self.role in (Role.CNPPM, Role.MUNICIPAL, Role.SCHOOL)

    @property
    def can_edit_organizations(self) -> bool:
        return self.is_all or self.role in (Role.CNPPM, Role.MUNICIPAL)

    @property
    def can_manage_diagnostics(self) -> bool:
        """Runs procedures: regional ones (ЦНППМ) or its municipality's (municipal service)."""
        return self.is_all or self.role in (Role.CNPPM, Role.MUNICIPAL)

    @property
    def can_see_item_bank(self) -> bool:
        """The bank holds answer keys: only its authors and reviewers see it."""
        return self.is_all or self.role in (Role.CNPPM, Role.EXPERT)

    @property
    def can_edit_item_bank(self) -> bool:
        return self.is_all or self.role == Role.CNPPM

    def editable_organizations(self) -> QuerySet[Organization]:
        """Organizations whose staff the user may add or change."""
        if not self.can_edit_registry:
            return Organization.objects.none()
        return self.organizations()

    def editable_municipalities(self) -> QuerySet[Municipality]:
        """Municipalities where the user may create or change organizations."""
        if not self.can_edit_organizations:
            return Municipality.objects.none()
        return self.municipalities()

    def can_edit_person(self, person: Person) -> bool:
        return self.can_edit_registry and self.people().filter(pk=person.pk).exists()

    def can_edit_organization(self, organization: Organization) -> bool:
        return (
            self.can_edit_organizations and self.organizations().filter(pk=organization.pk).exists()
        )

    def default_region(self) -> Region | None:
        """The region new records go to: the user's own, or the only one there is."""
        if self.user.region_id:
            return self.user.region
        regions = list(self.regions()[:2])
        return regions[0] if len(regions) == 1 else None


def scope_of(user) -> Scope:
    """The user's scope, computed once per user object (i.e. once per request)."""
    scope = getattr(user, "_nms_scope", None)
    if scope is None:
        scope = Scope(user)
        if user.is_authenticated:
            user._nms_scope = scope
    return scope


def get_visible_or_404(queryset: QuerySet, **lookup):
    """One object of a scoped queryset, or 404 — never 403 — when it is outside the scope."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404("Объект не найден") from exc
