"""Demo accounts: one per role, sharing one password, bound to people of the generated region."""

from dataclasses import dataclass

from nms.accounts.models import Role, User
from nms.registry.models import Municipality, Organization, Person, Region

DEMO_PASSWORD = "demo-nms-2026"
# Usernames in the order the table lists them; each is also the role it gets.
USERNAMES = ("admin", "ministry", "cnppm", "methodist", "municipal", "school", "teacher", "expert")
# Display names of the accounts that are not linked to a person of the registry.
NAMES = {"admin": ("Андрей", "Соколов"), "ministry": ("Ольга", "Воронцова")}


@dataclass
class DemoPeople:
    """Whom the demo accounts are bound to (people are saved before the accounts)."""

    centre: Municipality
    cnppm: Person
    methodist: Person
    assigned: list[Person]
    municipal: Person
    school: Organization
    school_head: Person
    teacher: Person
    expert: Person


def create_demo_accounts(region: Region, people: DemoPeople) -> list[str]:
    """Create the accounts whose usernames are still free; return the usernames created."""
    bindings = {
        "admin": {"is_superuser": True, "is_staff": True},
        "ministry": {"region": region},
        "cnppm": {"region": region, "person": people.cnppm},
        "methodist": {"region": region, "person": people.methodist},
        "municipal": {"municipality": people.centre, "person": people.municipal},
        "school": {"organization": people.school, "person": people.school_head},
        "teacher": {"person": people.teacher},
        "expert": {"person": people.expert},
    }
    taken = set(User.objects.filter(username__in=USERNAMES).values_list("username", flat=True))
    created = []
    for username in USERNAMES:
        if username in taken:
            continue
        fields = bindings[username]
        person = fields.get("person")
        first_name, last_name = NAMES.get(username) or (person.first_name, person.last_name)
        user = User(
            username=username,
            role=Role(username),
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@example.ru",
            **fields,
        )
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        if username == "methodist":
            user.assigned_people.set(people.assigned)
        created.append(username)
    return created


def _scope_description(user: User) -> str:
    if user.is_superuser:
        return "вся система"
    role = user.role
    if role in (Role.MINISTRY, Role.CNPPM):
        return f"регион «{user.region}»"
    if role == Role.METHODIST:
        return f"регион «{user.region}», сопровождает {user.assigned_people.count()} чел."
    if role == Role.MUNICIPAL:
        return str(user.municipality)
    if role == Role.SCHOOL:
        return str(user.organization)
    if user.person is None:
        return "—"
    main = user.person.employments.select_related("organization").first()
    place = f", {main.organization}" if main else ""
    return f"{user.person.full_name}{place}"


def demo_accounts_rows() -> list[tuple[str, str, str, str]]:
    """(login, role, scope, password) of the demo accounts that exist."""
    users = User.objects.filter(username__in=USERNAMES).select_related(
        "region", "municipality", "organization", "person"
    )
    by_name = {u.username: u for u in users}
    rows = []
    for username in USERNAMES:
        user = by_name.get(username)
        if user is None:
            continue
        password = DEMO_PASSWORD if user.check_password(DEMO_PASSWORD) else "(изменён)"
        rows.append((username, user.get_role_display(), _scope_description(user), password))
    return rows


def accounts_table() -> str:
    """The demo accounts as a plain-text table for the console."""
    rows = demo_accounts_rows()
    if not rows:
        return "Демонстрационных учётных записей нет."
    header = ("Логин", "Роль", "Область видимости", "Пароль")
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(r, widths, strict=True)).rstrip()
        for r in (header, *rows)
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(["Демонстрационные учётные записи:", *lines])
