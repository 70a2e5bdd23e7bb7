"""Information cards: what the records cannot give, filled by an organization (or a municipal
service) for a period and checked by the coordinator above it.

A card's form is generated from the catalogue: every active indicator of the region with
`method = card` and `card_scope` equal to the card's scope type (organization or municipality).
A yes/no indicator takes «да/нет», the others a number; each may carry an explanation and a
link to the document that proves it.

    draft ──submit──▶ submitted ──accept──▶ accepted
      ▲                   │
      └──── returned ◀────┘ return (with a comment), corrected and submitted again

Who does what is the access registry's (`monitoring.fill_cards`, `monitoring.accept_cards`);
every write is version-checked (`claim`) and transactional, errors are Russian. Accepted values
are read by the engine (`nms.monitoring.compute`): organization cards roll up to the
municipality and the region; accepting a card recomputes the card indicators of its period.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from nms.accounts.models import Role, RoleAssignment, active_on
from nms.accounts.scope import scope_of
from nms.common.concurrency import claim
from nms.monitoring.models import (
    CardReminder,
    CardValue,
    Indicator,
    InfoCard,
    Method,
    ScopeType,
    Unit,
)
from nms.registry.models import Municipality, Organization

NO_FILL = "Заполнять эту информационную карту вы не можете."
NO_ACCEPT = "Проверять эту информационную карту вы не можете."
EDITABLE = (InfoCard.Status.DRAFT, InfoCard.Status.RETURNED)


# -- the form: which indicators a card has ----------------------------------------------------
def region_indicators(region, **filters) -> list[Indicator]:
    """The indicators in force in the region: its own, and the built-in ones it does not
    override (a region's indicator with a built-in code replaces it), active, by set and code."""
    rows = Indicator.objects.filter(Q(region__isnull=True) | Q(region=region), active=True)
    rows = rows.filter(**filters).order_by("indicator_set", "code", "region_id")
    chosen: dict[str, Indicator] = {}
    for indicator in rows:
        if indicator.code not in chosen or indicator.region_id:
            chosen[indicator.code] = indicator
    return sorted(chosen.values(), key=lambda i: (i.indicator_set, _code_key(i.code)))


def _code_key(code: str):
    """A1, A2, …, A10 in their natural order."""
    head = code.rstrip("0123456789")
    tail = code[len(head) :]
    return (head, int(tail) if tail else 0, code)


def card_indicators(region, scope_type: str) -> list[Indicator]:
    return region_indicators(region, method=Method.CARD, card_scope=scope_type)


def unit_of(card: InfoCard):
    return card.organization if card.scope_type == ScopeType.ORGANIZATION else card.municipality


# -- opening a card -----------------------------------------------------------------------------
def card_for(user, period: str, unit) -> InfoCard:
    """The card of an organization or a municipality for the period, created (as a draft) the
    first time the one who fills it opens it."""
    period = (period or "").strip()
    if not period:
        raise ValidationError("Укажите период информационной карты.")
    if isinstance(unit, Organization):
        lookup = {"scope_type": ScopeType.ORGANIZATION, "organization": unit, "municipality": None}
    elif isinstance(unit, Municipality):
        lookup = {"scope_type": ScopeType.MUNICIPALITY, "municipality": unit, "organization": None}
    else:
        raise ValidationError("Информационная карта заполняется организацией или муниципалитетом.")
    existing = InfoCard.objects.filter(period=period, **lookup).first()
    if existing is not None:
        return existing
    card = InfoCard(region_id=unit.region_id, period=period, **lookup)
    if not scope_of(user).can("monitoring.fill_cards", card):
        raise PermissionDenied(NO_FILL)
    if not card_indicators(unit.region, card.scope_type):
        raise ValidationError("В каталоге нет показателей, заполняемых по информационной карте.")
    with transaction.atomic():
        card, _ = InfoCard.objects.get_or_create(
            period=period, **lookup, defaults={"region_id": unit.region_id}
        )
    return card


# -- the values ---------------------------------------------------------------------------------
@dataclass
class Line:
    """One indicator of a card and what is entered for it."""

    indicator: Indicator
    value: CardValue | None

    @property
    def yes_no(self) -> bool:
        return self.indicator.unit == Unit.YES_NO

    @property
    def filled(self) -> bool:
        if self.value is None:
            return False
        return self.value.yes is not None if self.yes_no else self.value.number is not None

    @property
    def shown(self) -> str:
        if not self.filled:
            return "—"
        if self.yes_no:
            return "да" if self.value.yes else "нет"
        return f"{self.value.number.normalize():f}".replace(".", ",")


def lines(card: InfoCard) -> list[Line]:
    values = {v.indicator_id: v for v in card.values.all()}
    indicators = card_indicators(card.region, card.scope_type)
    known = {i.pk for i in indicators}
    # A value of an indicator since withdrawn from the catalogue stays visible on the card.
    extra = Indicator.objects.filter(pk__in=set(values) - known)
    return [Line(i, values.get(i.pk)) for i in [*indicators, *extra]]


def _parse_number(raw, indicator) -> Decimal | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, Decimal | int | float):
        number = Decimal(str(raw))
    else:
        text = str(raw).strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
        try:
            number = Decimal(text)
        except ArithmeticError:
            raise ValidationError(
                f"{indicator.code}: «{raw}» — не число. Введите число, например 12 или 45,5."
            ) from None
    if not number.is_finite() or number < 0:
        raise ValidationError(f"{indicator.code}: значение должно быть неотрицательным числом.")
    if number >= Decimal("1e12"):
        raise ValidationError(f"{indicator.code}: слишком большое значение.")
    if indicator.unit == Unit.SHARE and number > 100:
        raise ValidationError(f"{indicator.code}: доля не может быть больше 100 %.")
    return number.quantize(Decimal("0.01"))


def _parse_yes(raw, indicator) -> bool | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("да", "yes", "true", "1", "on"):
        return True
    if text in ("нет", "no", "false", "0", "off"):
        return False
    raise ValidationError(f"{indicator.code}: выберите «да» или «нет».")


def card_save(user, card: InfoCard, values: dict, expected_version=None) -> InfoCard:
    """Save what is entered: `values` maps an indicator's id (or code) to a dict with `number`
    or `yes`, and optionally `text` and `link`. All or nothing."""
    if not scope_of(user).can("monitoring.fill_cards", card):
        raise PermissionDenied(NO_FILL)
    indicators = {i.pk: i for i in card_indicators(card.region, card.scope_type)}
    by_code = {i.code: i for i in indicators.values()}
    parsed, errors = [], []
    for key, entry in (values or {}).items():
        indicator = indicators.get(key) if isinstance(key, int) else None
        if indicator is None:
            indicator = by_code.get(str(key)) or (
                indicators.get(int(key)) if str(key).isdigit() else None
            )
        if indicator is None:
            errors.append(f"Показателя «{key}» нет в этой информационной карте.")
            continue
        entry = entry or {}
        try:
            yes_no = indicator.unit == Unit.YES_NO
            number = None if yes_no else _parse_number(entry.get("number"), indicator)
            yes = _parse_yes(entry.get("yes"), indicator) if yes_no else None
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        text = str(entry.get("text") or "").strip()
        link = str(entry.get("link") or "").strip()
        if link and not link.lower().startswith(("http://", "https://")):
            errors.append(f"{indicator.code}: ссылка должна начинаться с http:// или https://.")
            continue
        if len(link) > 200:
            errors.append(f"{indicator.code}: ссылка длиннее 200 символов.")
            continue
        parsed.append((indicator, number, yes, text, link))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        card = claim(card, expected_version)
        if card.status not in EDITABLE:
            raise ValidationError(f"Карта {card.get_status_display()}: менять её значения нельзя.")
        for indicator, number, yes, text, link in parsed:
            CardValue.objects.update_or_create(
                card=card,
                indicator=indicator,
                defaults={"number": number, "yes": yes, "text": text, "link": link},
            )
    return card


# -- the workflow -------------------------------------------------------------------------------
def card_submit(user, card: InfoCard, expected_version=None) -> InfoCard:
    if not scope_of(user).can("monitoring.fill_cards", card):
        raise PermissionDenied(NO_FILL)
    with transaction.atomic():
        card = claim(card, expected_version)
        if card.status not in EDITABLE:
            raise ValidationError(f"Карта уже {card.get_status_display()}: отправлять нечего.")
        missing = [line.indicator.code for line in lines(card) if not line.filled]
        if missing:
            raise ValidationError(
                "Заполните все показатели карты перед отправкой; не заполнены: "
                + ", ".join(missing)
                + "."
            )
        card.status = InfoCard.Status.SUBMITTED
        card.submitted_at = timezone.now()
        card.submitted_by = user
        card.save(update_fields=["status", "submitted_at", "submitted_by"])
    return card


def card_return(user, card: InfoCard, comment: str, expected_version=None) -> InfoCard:
    if not scope_of(user).can("monitoring.accept_cards", card):
        raise PermissionDenied(NO_ACCEPT)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Напишите, что исправить: комментарий обязателен."})
    with transaction.atomic():
        card = claim(card, expected_version)
        if card.status != InfoCard.Status.SUBMITTED:
            raise ValidationError(
                f"Вернуть можно только карту на проверке; эта — {card.get_status_display()}."
            )
        card.status = InfoCard.Status.RETURNED
        card.comment = comment
        card.decided_at = timezone.now()
        card.decided_by = user
        card.save(update_fields=["status", "comment", "decided_at", "decided_by"])
    return card


def card_accept(user, card: InfoCard, expected_version=None, *, recompute: bool = True):
    if not scope_of(user).can("monitoring.accept_cards", card):
        raise PermissionDenied(NO_ACCEPT)
    with transaction.atomic():
        card = claim(card, expected_version)
        if card.status != InfoCard.Status.SUBMITTED:
            raise ValidationError(
                f"Принять можно только карту на проверке; эта — {card.get_status_display()}."
            )
        card.status = InfoCard.Status.ACCEPTED
        card.decided_at = timezone.now()
        card.decided_by = user
        card.save(update_fields=["status", "decided_at", "decided_by"])
    if recompute:
        recompute_cards(card)
    return card


def recompute_cards(card: InfoCard) -> int:
    """The card indicators of the card's period, computed again (region, municipalities and
    organizations), so an accepted value shows at once. 0 when the engine is not there."""
    try:
        from nms.monitoring.compute import compute
    except ImportError:  # the engine is built alongside; nothing to recompute without it
        return 0
    codes = [i.code for i in card_indicators(card.region, card.scope_type)]
    if not codes:
        return 0
    return compute(card.region, card.period, codes=codes)


# -- the board: who has not submitted ------------------------------------------------------------
@dataclass
class BoardRow:
    unit: object  # an Organization or a Municipality
    card: InfoCard | None
    reminded: object = None  # the last CardReminder of the period
    reminders: int = 0

    @property
    def status_label(self) -> str:
        return self.card.get_status_display() if self.card else "не начата"

    @property
    def waiting(self) -> bool:
        """Not yet with the coordinator: not started, being filled or returned."""
        return self.card is None or self.card.status in EDITABLE


def board(user, region, period: str, scope_type: str = ScopeType.ORGANIZATION, municipality=None):
    """Every unit of the user's scope that fills cards of this type, with its card of the
    period (or none): the organizations (of a municipality), or the municipalities."""
    scope = scope_of(user)
    if scope_type == ScopeType.MUNICIPALITY:
        units = scope.municipalities().filter(region=region).order_by("name")
        cards = InfoCard.objects.filter(
            period=period, scope_type=scope_type, municipality__in=units
        )
        by_unit = {c.municipality_id: c for c in cards}
    else:
        units = scope.organizations().filter(region=region)
        if municipality is not None:
            units = units.filter(municipality=municipality)
        units = units.select_related("municipality").order_by("municipality__name", "short_name")
        cards = InfoCard.objects.filter(
            period=period, scope_type=scope_type, organization__in=units
        ).select_related("organization")
        by_unit = {c.organization_id: c for c in cards}
    units = list(units)
    reminded = last_reminders(region, period, scope_type, [u.pk for u in units])
    return [
        BoardRow(unit, by_unit.get(unit.pk), *reminded.get(unit.pk, (None, 0))) for unit in units
    ]


def _fillers(units, scope_type: str) -> dict[int, list[str]]:
    """The e-mail addresses of those who fill the units' cards, by unit id."""
    if scope_type == ScopeType.MUNICIPALITY:
        found = RoleAssignment.objects.filter(
            active_on(), role=Role.MUNICIPAL, municipality__in=units
        ).values_list("municipality_id", "user__email")
    else:
        found = RoleAssignment.objects.filter(
            active_on(), role=Role.SCHOOL, organization__in=units
        ).values_list("organization_id", "user__email")
    emails: dict[int, list[str]] = {}
    for unit_id, email in found:
        if email:
            emails.setdefault(unit_id, []).append(email)
    return emails


def remind(user, region, period: str, scope_type: str = ScopeType.ORGANIZATION, municipality=None):
    """E-mail a reminder to those who fill the cards still waiting (not submitted), within the
    user's scope; only a coordinator who accepts such cards reminds. Returns (units, letters)."""
    scope = scope_of(user)
    if not scope.can("monitoring.accept_cards"):
        raise PermissionDenied("Напоминать о картах может только проверяющий их координатор.")
    rows = [
        r
        for r in board(user, region, period, scope_type, municipality)
        if r.waiting
        and scope.can(
            "monitoring.accept_cards",
            r.card
            or InfoCard(
                region_id=region.pk,
                period=period,
                scope_type=scope_type,
                organization=r.unit if scope_type == ScopeType.ORGANIZATION else None,
                municipality=r.unit if scope_type == ScopeType.MUNICIPALITY else None,
            ),
        )
    ]
    emails = _fillers([r.unit for r in rows], scope_type)
    letters = []
    for row in rows:
        recipients = emails.get(row.unit.pk)
        if not recipients:
            continue
        state = row.status_label
        extra = (
            f" Комментарий проверяющего: {row.card.comment}"
            if row.card and row.card.comment
            else ""
        )
        letters.append(
            (
                f"НМС: информационная карта за {period}",
                f"{row.unit}: информационная карта мониторинга за период {period} — {state}. "
                f"Заполните и отправьте её на проверку.{extra}",
                settings.DEFAULT_FROM_EMAIL,
                recipients,
            )
        )
    send_mass_mail(letters, fail_silently=True)
    CardReminder.objects.bulk_create(
        CardReminder(
            region=region,
            period=period,
            scope_type=scope_type,
            organization=row.unit if scope_type == ScopeType.ORGANIZATION else None,
            municipality=row.unit if scope_type == ScopeType.MUNICIPALITY else None,
            card=row.card,
            card_status=row.status_label,
            recipients=sorted(emails.get(row.unit.pk) or []),
            sent_by=user,
        )
        for row in rows
    )
    return len(rows), len(letters)


def last_reminders(region, period: str, scope_type: str, unit_ids) -> dict:
    """unit id → (the last reminder, how many) of the period: one query."""
    column = "organization_id" if scope_type == ScopeType.ORGANIZATION else "municipality_id"
    found: dict = {}
    rows = (
        CardReminder.objects.filter(
            region=region, period=period, scope_type=scope_type, **{f"{column}__in": unit_ids}
        )
        .select_related("sent_by")
        .order_by("-sent_at", "-pk")
    )
    for reminder in rows:
        unit_id = getattr(reminder, column)
        last, count = found.get(unit_id, (reminder, 0))
        found[unit_id] = (last, count + 1)
    return found
