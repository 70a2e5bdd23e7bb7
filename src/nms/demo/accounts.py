"""Demo accounts: one per role, sharing one password, bound to people of the generated region."""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from nms.accounts.models import Role, RoleAssignment, User
from nms.accounts.scope import Scope
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
    """Create the accounts whose usernames are still free; return the usernames created.

    The methodist and the school administrator also teach: each holds a teacher's role too.
    """
    roles = {
        "admin": [],
        "ministry": [{"role": Role.MINISTRY, "region": region}],
        "cnppm": [{"role": Role.CNPPM, "region": region}],
        "methodist": [
            {"role": Role.METHODIST, "region": region},
            {"role": Role.TEACHER, "person": people.methodist},
        ],
        "municipal": [{"role": Role.MUNICIPAL, "municipality": people.centre}],
        "school": [
            {"role": Role.SCHOOL, "organization": people.school},
            {"role": Role.TEACHER, "person": people.school_head},
        ],
        "teacher": [{"role": Role.TEACHER, "person": people.teacher}],
        "expert": [{"role": Role.EXPERT, "person": people.expert}],
    }
    persons = {
        "cnppm": people.cnppm,
        "methodist": people.methodist,
        "municipal": people.municipal,
        "school": people.school_head,
        "teacher": people.teacher,
        "expert": people.expert,
    }
    taken = set(User.objects.filter(username__in=USERNAMES).values_list("username", flat=True))
    created = []
    password = make_password(DEMO_PASSWORD)  # hashed once: the same password for every account
    for username in USERNAMES:
        if username in taken:
            continue
        person = persons.get(username)
        first_name, last_name = NAMES.get(username) or (person.first_name, person.last_name)
        user = User(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@example.ru",
            person=person,
            is_superuser=username == "admin",
            is_staff=username == "admin",
        )
        user.password = password
        user.full_clean()
        user.save()
        for fields in roles[username]:
            assignment = RoleAssignment(user=user, **fields)
            assignment.full_clean()
            assignment.save()
        if username == "methodist":
            user.assigned_people.set(people.assigned)
        created.append(username)
    return created


def _scope_description(user: User) -> str:
    if user.is_superuser:
        return "вся система"
    scope = Scope(user)
    parts = []
    for assignment in scope.assignments:
        if assignment.role == Role.METHODIST:
            parts.append(f"сопровождает {user.assigned_people.count()} чел.")
        elif assignment.role in (Role.TEACHER, Role.EXPERT):
            main = assignment.person.main_employment()
            place = f", {main.organization}" if main else ""
            parts.append(f"{assignment.person.full_name}{place}")
        else:
            parts.append(str(assignment.binding))
    return "; ".join(parts) or "—"


def demo_accounts_rows() -> list[tuple[str, str, str, str]]:
    """(login, role, scope, password) of the demo accounts that exist."""
    users = User.objects.filter(username__in=USERNAMES).select_related("person")
    by_name = {u.username: u for u in users}
    rows, checked = [], {}  # a hash is checked once: the accounts share one
    for username in USERNAMES:
        user = by_name.get(username)
        if user is None:
            continue
        if user.password not in checked:
            checked[user.password] = user.check_password(DEMO_PASSWORD)
        password = DEMO_PASSWORD if checked[user.password] else "(изменён)"
        labels = ", ".join(Scope(user).role_labels)
        rows.append((username, labels, _scope_description(user), password))
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
