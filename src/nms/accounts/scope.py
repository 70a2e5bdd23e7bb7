"""A user's scope: the union of their role assignments in force today.

Every page, API endpoint, export, count and task starts from `scope_of(user)` and asks the access
registry (`nms.accounts.access`) through it: `scope.visible(Model)` for what the user may see,
`scope.can("app.action", obj)` for what they may do. What a model's scope is, each app declares in
its own `access.py`. A user outside the scope of an object must not learn it exists: views answer
404 (see `get_visible_or_404`).

An action is checked against the assignments whose role may take it (`restricted_to`): a regional
methodist who also teaches agrees other teachers' routes as a methodist and sees their own route
only as a teacher.
"""

from functools import cached_property

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from nms.accounts import access
from nms.accounts.models import REQUIRED_BINDING, Role, RoleAssignment, active_on

# The order roles are listed in (the header, the home page).
ROLE_ORDER = list(Role)
REGION_WIDE = frozenset({Role.MINISTRY, Role.CNPPM})


class Scope:
    def __init__(self, user, assignments=None):
        self.user = user
        if assignments is None:
            assignments = self._load(user)
        self.assignments = tuple(
            sorted(assignments, key=lambda a: (ROLE_ORDER.index(Role(a.role)), a.pk or 0))
        )
        self.roles = frozenset(Role(a.role) for a in self.assignments)

    @staticmethod
    def _load(user) -> list[RoleAssignment]:
        if not user.is_authenticated:
            return []
        assignments = list(
            RoleAssignment.objects.filter(active_on(), user_id=user.pk)
            .select_related("region", "municipality__region", "organization", "person")
            .order_by("id")
        )
        if user.is_superuser and Role.ADMIN not in {a.role for a in assignments}:
            assignments.insert(0, RoleAssignment(user_id=user.pk, role=Role.ADMIN))
        return assignments

    def restricted_to(self, roles) -> "Scope":
        """The same user with only the assignments of the given roles (made once per scope)."""
        roles = frozenset(Role(r) for r in roles)
        made = self.__dict__.setdefault("_restricted", {})
        if roles not in made:
            made[roles] = Scope(self.user, [a for a in self.assignments if Role(a.role) in roles])
        return made[roles]

    @property
    def signature(self) -> str:
        """Names what this scope may see: a figure kept for it (`nms.common.aggregates`) is
        not shown once an assignment changes."""
        held = ",".join(f"{a.role}.{a.pk or 0}.{a.version or 0}" for a in self.assignments)
        return f"{self.user.pk}:{held}"

    def of_role(self, role) -> list[RoleAssignment]:
        return [a for a in self.assignments if a.role == role]

    def has(self, *roles) -> bool:
        return any(Role(r) in self.roles for r in roles)

    # -- what the scope is bound to ------------------------------------------------------------
    @property
    def is_all(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def is_region(self) -> bool:
        """Sees a whole region (ministry, ЦНППМ)."""
        return bool(self.roles & REGION_WIDE)

    @property
    def person_id(self):
        """The person the account belongs to: their own work is never theirs to approve."""
        return self.user.person_id if self.user.is_authenticated else None

    @cached_property
    def region_ids(self) -> set[int]:
        """Regions the assignments are bound to, directly or through their binding."""
        ids = set()
        for a in self.assignments:
            if a.region_id:
                ids.add(a.region_id)
            if a.municipality_id:
                ids.add(a.municipality.region_id)
            if a.organization_id:
                ids.add(a.organization.region_id)
            if a.person_id:
                ids.add(a.person.region_id)
        return ids

    # -- the access registry -------------------------------------------------------------------
    def visible(self, model) -> QuerySet:
        """The model's objects the scope may see. The rule's queryset is built once per scope
        (i.e. per request; a page asks for the same ones many times) and handed out as a fresh
        copy, never evaluated itself."""
        made = self.__dict__.setdefault("_visible", {})
        if model not in made:
            made[model] = access.visible(self, model)
        return made[model].all()

    def can(self, action_name: str, obj=None) -> bool:
        """Whether an assignment whose role may take the action allows it (on `obj`, if given)."""
        action = access.action(action_name)
        narrowed = self.restricted_to(action.roles)
        if not narrowed.assignments:
            return False
        if obj is None:
            return True
        if action.check is not None:
            return action.check(narrowed, obj)
        return narrowed.visible(type(obj)).filter(pk=obj.pk).exists()

    # -- the registry's models, the ones every app filters by ----------------------------------
    def people(self) -> QuerySet:
        return self.visible(apps.get_model("registry", "Person"))

    def organizations(self) -> QuerySet:
        return self.visible(apps.get_model("registry", "Organization"))

    def employments(self) -> QuerySet:
        return self.visible(apps.get_model("registry", "Employment"))

    def municipalities(self) -> QuerySet:
        return self.visible(apps.get_model("registry", "Municipality"))

    def regions(self) -> QuerySet:
        return self.visible(apps.get_model("registry", "Region"))

    def default_region(self):
        """The region new records go to: the user's only one, or the only one there is."""
        for a in self.assignments:
            if a.region_id and len(self.region_ids) == 1:
                return a.region
        regions = list(self.regions()[:2])
        return regions[0] if len(regions) == 1 else None

    # -- for the pages -------------------------------------------------------------------------
    @property
    def description(self) -> str:
        """Where the user's view ends, in words for the page header."""
        if not self.assignments:
            return ""
        return "; ".join(describe(a) for a in self.assignments)

    @property
    def role_labels(self) -> list[str]:
        return [Role(r).label for r in ROLE_ORDER if r in self.roles]

    # Template-friendly names of the actions the header and menus ask about.
    @property
    def can_edit_registry(self) -> bool:
        return self.can("registry.edit_people")

    @property
    def can_edit_organizations(self) -> bool:
        return self.can("registry.edit_organizations")

    @property
    def can_manage_diagnostics(self) -> bool:
        return self.can("diagnostics.manage")

    @property
    def can_see_item_bank(self) -> bool:
        return self.can("itembank.view")

    @property
    def can_edit_item_bank(self) -> bool:
        return self.can("itembank.edit")

    def editable_organizations(self) -> QuerySet:
        """Organizations whose staff the user may add or change."""
        return self.restricted_to(access.action("registry.edit_people").roles).organizations()

    def editable_municipalities(self) -> QuerySet:
        """Municipalities where the user may create or change organizations."""
        roles = access.action("registry.edit_organizations").roles
        return self.restricted_to(roles).municipalities()

    def can_edit_person(self, person) -> bool:
        return self.can("registry.edit_people", person)

    def can_edit_organization(self, organization) -> bool:
        return self.can("registry.edit_organizations", organization)


def describe(assignment: RoleAssignment) -> str:
    """«региональный методист: регион …» — a role and what it is bound to."""
    role = Role(assignment.role)
    if role == Role.ADMIN:
        return "администратор: вся система"
    field = REQUIRED_BINDING.get(role)
    binding = getattr(assignment, field) if field else None
    if role in (Role.TEACHER, Role.EXPERT):
        return f"{role.label}: собственные данные"
    if role == Role.METHODIST:
        return f"{role.label}: сопровождаемые педагоги"
    return f"{role.label}: {binding}" if binding else role.label


def scope_of(user) -> Scope:
    """The user's scope, computed once per user object (i.e. once per request); nobody's
    (None, anonymous) sees nothing."""
    if user is None:
        user = AnonymousUser()
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
