"""Accounts for a region's staff in bulk: a login, a one-time password and the teacher's role for
every person of a selection who has no account yet.

Who may: whoever may edit the people (`registry.edit_people`), and only for the people they may
edit. The selection (an organization, a municipality, chosen people or the people list's filters)
is resolved within that editing scope: an object outside it answers 404, a role without the right
403.

The one-time passwords exist only in memory: they are hashed into the users and handed back once
(`IssuedAccount.password`) for the XLSX, the API answer and the letters; they are never stored in
plain text. At the first login the user must set their own (see `middleware.py`).

More than settings.NMS_SYNC_ACCOUNTS_LIMIT new accounts (hashing takes ~0.1 s a password) are
made by a background job (`accounts_issue_start`) with a progress bar. Its result, the XLSX of
logins and one-time passwords, is the one place the passwords are kept: a one-time file
(`JobOutcome(once=True)`) that only the issuer can download, once — the download wipes it.

Logins: the last name transliterated, a dot, the initials — «Иванова Мария Андреевна» →
`ivanova.ma`, «Щёкин Юрий» → `shchekin.yu`; a taken login gets a number: `ivanova.ma2`, `…3`.
The transliteration (`TRANSLIT`) is the everyday one of Russian e-mail addresses: ё → e,
й → y, ы → y, ъ and ь dropped, х → kh, ц → ts, ч → ch, ш → sh, щ → shch, ю → yu, я → ya.

A fixed number of queries however many people: one for the people with their places of work,
one for the logins already taken, one insert of the users, one of their role assignments.
Hashing the passwords with the project's hasher is the only work per person.
"""

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404, QueryDict
from openpyxl import Workbook
from openpyxl.styles import Font

from nms.accounts import access
from nms.accounts.models import Role, RoleAssignment, User
from nms.accounts.scope import Scope, get_visible_or_404, scope_of
from nms.common import jobs
from nms.common.filters import parse_id
from nms.common.models import Job
from nms.common.tables import display
from nms.common.xlsx import add_sheet, workbook_bytes, write_row
from nms.registry.filters import PersonFilterSet
from nms.registry.models import Employment, Municipality, Organization, Person

ACTION = "registry.edit_people"
NO_RIGHTS = "У вас нет прав выдавать учётные записи."
ONE_SELECTION = (
    "Укажите что-то одно: организацию, муниципалитет, отмеченных работников или фильтры списка."
)
MAX_PEOPLE = 5000  # ids in one selection (the API's list, the page's ?person=…)
FILTER_KEYS = tuple(PersonFilterSet.base_filters)  # the people list's filters (?q=…&category=…)

# -- logins --------------------------------------------------------------------------------------
TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
    # letters of the other languages of the region's people (Ukrainian, Belarusian, Tatar, …)
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u", "ә": "a", "ө": "o", "ү": "u",
    "җ": "zh", "ң": "n", "һ": "h", "ғ": "g", "қ": "k", "ұ": "u",
}  # fmt: skip
LAST_NAME_MAX = 40
FALLBACK_LOGIN = "user"


def transliterate(text: str) -> str:
    """Lowercase Latin letters, digits and hyphens: Cyrillic by `TRANSLIT`, Latin letters with
    diacritics without them (Müller → muller), spaces as hyphens, anything else dropped."""
    out = []
    for char in text.strip().lower():
        if char in TRANSLIT:
            out.append(TRANSLIT[char])
        elif char.isspace() or char in "-‐–—":
            out.append("-")
        else:
            out.append(unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode())
    latin = re.sub(r"[^a-z0-9-]", "", "".join(out))
    return re.sub(r"-{2,}", "-", latin).strip("-")


def _initial(name: str) -> str:
    name = name.strip()
    return transliterate(name[0]) if name else ""


def login_base(last_name: str, first_name: str = "", middle_name: str = "") -> str:
    """`ivanova.ma` for «Иванова Мария Андреевна»; without a usable last name, `user`."""
    last = transliterate(last_name)[:LAST_NAME_MAX].strip("-") or FALLBACK_LOGIN
    initials = _initial(first_name) + _initial(middle_name)
    return f"{last}.{initials}" if initials else last


def unique_login(base: str, taken: set[str]) -> str:
    """The base, or the base with the smallest number from 2 that is not taken; marks it taken."""
    login, number = base, 1
    while login in taken:
        number += 1
        login = f"{base}{number}"
    taken.add(login)
    return login


def _taken_logins(bases: set[str]) -> set[str]:
    """The existing usernames a base or a base with a number would collide with: one query."""
    if not bases:
        return set()
    pattern = "^(" + "|".join(re.escape(base) for base in sorted(bases)) + r")[0-9]*$"
    names = User.objects.filter(username__iregex=pattern).values_list("username", flat=True)
    return {name.lower() for name in names}


# -- one-time passwords ----------------------------------------------------------------------------
# Easy to read from paper and to type: no 0/O/o, 1/l/I.
READABLE = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_LENGTH = 12


def one_time_password(length: int = PASSWORD_LENGTH) -> str:
    """A random password from `READABLE` with a lowercase and an uppercase letter and a digit."""
    while True:
        password = "".join(secrets.choice(READABLE) for _ in range(length))
        if (
            any(c.islower() for c in password)
            and any(c.isupper() for c in password)
            and any(c.isdigit() for c in password)
        ):
            return password


# -- who may, and whom ---------------------------------------------------------------------------
def issuing_scope(actor) -> Scope:
    """The actor's scope narrowed to the roles that may edit people; 403 when there are none."""
    scope = scope_of(actor)
    if not scope.can(ACTION):
        raise PermissionDenied(NO_RIGHTS)
    return scope.restricted_to(access.action(ACTION).roles)


@dataclass(frozen=True)
class Selection:
    """Whom a page or an API call issues accounts for: the editable people of an organization,
    a municipality, a list, or those the people list's filters find (`filters`, the query)."""

    label: str
    people: QuerySet
    organization: Organization | None = None
    municipality: Municipality | None = None
    person_ids: tuple[int, ...] = ()
    filters: str | None = None  # the people list's query ("" — no filter: all they may edit)

    def params(self) -> dict:
        """The keyword arguments of `selection_resolve` that find it again (for a job)."""
        if self.organization is not None:
            return {"organization": self.organization.pk}
        if self.municipality is not None:
            return {"municipality": self.municipality.pk}
        if self.filters is not None:
            return {"filters": self.filters}
        return {"people": list(self.person_ids)}


def selection_resolve(
    actor,
    *,
    organization: int | None = None,
    municipality: int | None = None,
    people: list[int] | None = None,
    filters: str | QueryDict | None = None,
) -> Selection:
    """Exactly one of the four; each looked up in the actor's editing scope (404 outside it).

    `filters` is the people list's query (`q=…&organization=…&category=…`, other parameters
    ignored): the people it finds among those the actor may edit; "" finds them all."""
    scope = issuing_scope(actor)
    given = [value for value in (organization, municipality, people) if value]
    if filters is not None:
        given.append(filters)
    if len(given) != 1:
        raise ValidationError(ONE_SELECTION)
    editable = scope.people()
    if filters is not None:
        return _filtered(actor, scope, filters)
    if organization:
        org = get_visible_or_404(scope.organizations(), pk=organization)
        employed = Employment.objects.filter(person=OuterRef("pk"), organization_id=org.pk)
        return Selection(org.short_name, editable.filter(Exists(employed)), organization=org)
    if municipality:
        mun = get_visible_or_404(scope.municipalities(), pk=municipality)
        employed = Employment.objects.filter(
            person=OuterRef("pk"), organization__municipality_id=mun.pk
        )
        return Selection(mun.name, editable.filter(Exists(employed)), municipality=mun)
    ids = tuple(sorted(set(people)))
    if len(ids) > MAX_PEOPLE:
        raise ValidationError(f"Не больше {MAX_PEOPLE} работников за раз.")
    if editable.filter(pk__in=ids).count() != len(ids):
        raise Http404("Работник не найден")
    return Selection(
        f"выбранные работники ({len(ids)})", editable.filter(pk__in=ids), person_ids=ids
    )


def _filtered(actor, scope: Scope, filters: str | QueryDict) -> Selection:
    """The people list's filter set over the people the actor may edit. An organization or a
    municipality it names is looked up in the editing scope first (404 outside it), since an
    invalid filter would otherwise be left out and widen the selection."""
    query = QueryDict(filters) if isinstance(filters, str) else filters
    data = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        if key in query:
            data.setlist(key, query.getlist(key))
    for key, choices in (
        ("organization", scope.organizations()),
        ("municipality", scope.municipalities()),
    ):
        value = (data.get(key) or "").strip()
        if value:
            if parse_id(value) is None:
                raise Http404("Объект не найден")
            get_visible_or_404(choices, pk=parse_id(value))
    filterset = PersonFilterSet(data, queryset=scope.people(), request=SimpleNamespace(user=actor))
    if not filterset.is_valid():
        form = filterset.form
        raise ValidationError(
            [
                f"{form.fields[name].label}: {' '.join(errors)}" if name in form.fields else error
                for name, errors in form.errors.items()
                for error in errors[:1]
            ]
        )
    words = _filter_words(filterset.form)
    label = f"работники по фильтру: {words}" if words else "все работники в вашей области доступа"
    return Selection(label, filterset.qs, filters=data.urlencode())


def _filter_words(form) -> str:
    """«Организация: Школа № 7; Категория: высшая» — the filters that are set, in words."""
    words = []
    for name, value in form.cleaned_data.items():
        if value in (None, "") or name not in form.fields:
            continue
        field = form.fields[name]
        if name == "q":
            text = f"«{value}»"
        elif isinstance(value, bool):
            text = display(value)
        elif isinstance(value, str):
            text = str(dict(getattr(field, "choices", ())).get(value, value))
        else:
            text = str(value)
        words.append(f"{field.label}: {text}")
    return "; ".join(words)


def selection_counts(selection: Selection) -> dict[str, int]:
    """How many people the selection holds and how many of them have no account: one query."""
    counts = selection.people.aggregate(
        total=Count("pk"), without_account=Count("pk", filter=Q(user__isnull=True))
    )
    counts["with_account"] = counts["total"] - counts["without_account"]
    return counts


# -- issuing -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class IssuedAccount:
    """A person's account as issued now, or — `skipped` — the one they already had.

    `password` is the one-time password in plain text, only in memory ("" when skipped)."""

    person: Person
    organization: str
    username: str
    password: str = ""
    email: str = ""
    skipped: bool = False

    @property
    def full_name(self) -> str:
        return self.person.full_name


def _organization_name(person: Person, organization: Organization | None) -> str:
    employments = list(person.employments.all())
    if organization is not None:
        for employment in employments:
            if employment.organization_id == organization.pk:
                return employment.organization.short_name
    main = person.main_employment()
    return main.organization.short_name if main else ""


def _people_ids(people) -> QuerySet | list[int]:
    if isinstance(people, QuerySet):
        return people.values("pk")
    return [getattr(p, "pk", p) for p in people]


@transaction.atomic
def accounts_create(actor, people, *, organization=None, progress=None) -> list[IssuedAccount]:
    """Accounts for those of `people` (a queryset, persons or ids) the actor may edit and who
    have none: login, one-time password, `must_change_password`, the teacher's role bound to the
    person. Those who already have one come back `skipped`; people the actor may not edit are
    left out. `organization` names the place of work shown for each (else their main one).
    `progress(done, total)` hears of every password hashed (a job's progress bar)."""
    scope = issuing_scope(actor)
    employments = Employment.objects.select_related("organization").order_by("is_part_time", "pk")
    rows = list(
        scope.people()
        .filter(pk__in=_people_ids(people))
        .select_related("user")
        .prefetch_related(Prefetch("employments", queryset=employments))
    )
    skipped, new = [], []
    for person in rows:
        account = getattr(person, "user", None)
        if account is not None:
            skipped.append(
                IssuedAccount(
                    person,
                    _organization_name(person, organization),
                    account.username,
                    email=account.email,
                    skipped=True,
                )
            )
        else:
            new.append(person)

    bases = {id(p): login_base(p.last_name, p.first_name, p.middle_name) for p in new}
    taken = _taken_logins(set(bases.values()))
    issued, users = [], []
    for number, person in enumerate(new, 1):
        login, password = unique_login(bases[id(person)], taken), one_time_password()
        users.append(
            User(
                username=login,
                password=make_password(password),
                first_name=person.first_name[:150],
                last_name=person.last_name[:150],
                email=person.email,
                person=person,
                must_change_password=True,
            )
        )
        issued.append(
            IssuedAccount(
                person, _organization_name(person, organization), login, password, person.email
            )
        )
        if progress is not None:
            progress(number, len(new))
    if users:
        User.objects.bulk_create(users)
        if any(u.pk is None for u in users):  # a backend that does not return the new ids
            ids = dict(
                User.objects.filter(username__in=[u.username for u in users]).values_list(
                    "username", "pk"
                )
            )
            for user in users:
                user.pk = ids[user.username]
        RoleAssignment.objects.bulk_create(
            RoleAssignment(user_id=user.pk, role=Role.TEACHER, person_id=user.person_id)
            for user in users
        )
    result = issued + skipped
    result.sort(key=lambda a: (a.skipped, a.organization, a.person.full_name, a.person.pk))
    return result


def needs_job(counts: dict[str, int]) -> bool:
    """Whether a selection (`selection_counts`) is issued by a background job: more new
    accounts than settings.NMS_SYNC_ACCOUNTS_LIMIT."""
    return counts["without_account"] > settings.NMS_SYNC_ACCOUNTS_LIMIT


def accounts_filename(selection: Selection) -> str:
    name = selection.label if (selection.organization or selection.municipality) else "работники"
    cleaned = "".join(c if c.isalnum() or c in " -" else "_" for c in name).strip()
    return f"Учётные записи — {cleaned[:80]} — {date.today():%d.%m.%Y}.xlsx"


# -- in the background -----------------------------------------------------------------------------
JOB_KIND = "accounts_issue"
JOB_GONE = "Работник, организация или муниципалитет выборки больше не в вашей области доступа."


def accounts_issue_start(
    actor, selection: Selection, *, send_mail: bool = False, login_url: str = ""
) -> Job:
    """A background job issuing the selection's accounts (it is resolved again, as the actor,
    when the job runs); its result is the one-time XLSX of logins and passwords."""
    issuing_scope(actor)
    return jobs.job_start(
        actor,
        kind=JOB_KIND,
        title=f"Учётные записи: {selection.label}",
        work=accounts_issue_job,
        params={
            "selection": selection.params(),
            "send_mail": bool(send_mail),
            "login_url": login_url,
            "filename": accounts_filename(selection),
        },
    )


@jobs.job_work(phase="Подготовка учётных записей…")
def accounts_issue_job(job, progress) -> jobs.JobOutcome:
    """The accounts of a selection, in one transaction (a failure saves none), hashing with
    progress. The passwords leave it only in the one-time file and, after the commit, in the
    letters (when asked and the mail is configured)."""
    params = job.params
    try:
        selection = selection_resolve(job.user, **params["selection"])
    except Http404 as exc:
        raise jobs.JobFailed(JOB_GONE) from exc
    issued = accounts_create(
        job.user, selection.people, organization=selection.organization, progress=progress
    )
    created = [account for account in issued if not account.skipped]
    if not created:
        return jobs.JobOutcome(message="У всех работников выборки уже есть учётные записи.")
    message = f"Создано учётных записей: {len(created)}."
    if params.get("send_mail") and mail_configured():
        letters = sum(1 for account in created if account.email)
        login_url = params.get("login_url", "")
        transaction.on_commit(lambda: accounts_mail(created, login_url), robust=True)
        message += f" Писем с логином и паролем: {letters}."
    return jobs.JobOutcome(
        file=accounts_xlsx(issued),
        filename=params.get("filename") or "Учётные записи.xlsx",
        message=message + " Файл с паролями можно скачать один раз.",
        once=True,
    )


# -- the file and the letters ----------------------------------------------------------------------
ISSUED_SHEET = "Учётные записи"
SKIPPED_SHEET = "Уже есть учётная запись"
ISSUED_COLUMNS = [("ФИО", 40), ("Организация", 40), ("Логин", 22), ("Одноразовый пароль", 22)]
SKIPPED_COLUMNS = [("ФИО", 40), ("Организация", 40), ("Логин", 22)]


def accounts_xlsx(issued: list[IssuedAccount]) -> bytes:
    """ФИО, организация, логин, одноразовый пароль — and, on a second sheet, those skipped."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheet = add_sheet(workbook, ISSUED_SHEET, ISSUED_COLUMNS)
    for account in issued:
        if not account.skipped:
            write_row(
                sheet,
                [account.full_name, account.organization, account.username, account.password],
            )
    _finish(sheet)
    skipped = [a for a in issued if a.skipped]
    if skipped:
        other = add_sheet(workbook, SKIPPED_SHEET, SKIPPED_COLUMNS)
        for account in skipped:
            write_row(other, [account.full_name, account.organization, account.username])
        _finish(other)
    return workbook_bytes(workbook)


def _finish(sheet) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


NON_DELIVERING = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


def mail_configured() -> bool:
    """Whether letters reach anyone: settings.py turns SMTP on when EMAIL_HOST is set and
    otherwise prints letters to the console."""
    return settings.EMAIL_BACKEND not in NON_DELIVERING


MAIL_SUBJECT = "Учётная запись на платформе НМС"
MAIL_BODY = """Здравствуйте, {name}!

Для вас создана учётная запись на платформе научно-методического сопровождения \
педагогических работников (НМС).

Логин: {username}
Разовый пароль: {password}
{login_line}
При первом входе система попросит вас задать собственный пароль. Разовый пароль никому \
не сообщайте.
"""


def mail_text(account: IssuedAccount, login_url: str = "") -> str:
    person = account.person
    name = " ".join(part for part in (person.first_name, person.middle_name) if part)
    login_line = f"Адрес для входа: {login_url}\n" if login_url else ""
    return MAIL_BODY.format(
        name=name or person.full_name,
        username=account.username,
        password=account.password,
        login_line=login_line,
    )


def accounts_mail(issued: list[IssuedAccount], login_url: str = "") -> int:
    """Each newly issued person with an e-mail gets their login and one-time password; returns
    how many letters went out. Call after the accounts are saved, only if `mail_configured()`."""
    messages = [
        EmailMessage(MAIL_SUBJECT, mail_text(a, login_url), to=[a.email])
        for a in issued
        if not a.skipped and a.email and a.password
    ]
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0
