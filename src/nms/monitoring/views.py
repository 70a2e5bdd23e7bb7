"""Monitoring pages: thin — dashboards, cards, recommendations and decisions decide.

- «Мониторинг» (`monitoring_home`): the dashboard of the user's region (ministry, ЦНППМ, admin),
  municipality (municipal service) or organization (school administration);
- a unit's dashboard (`dashboard`): every indicator against its target, filters (period, set,
  track, met), XLSX of the table, the analytical report (DOCX, XLSX);
- an indicator of a unit (`indicator`): the bars of the units one level down with the target
  line, the trend, by subject; the drill-down to the people behind the numerator (`members`);
- information cards: the board of who has not submitted (reminders), a card (fill, submit,
  return with a comment, accept);
- recommendations (rules, generating, editing, publishing, marking done) and decisions.

A unit outside the user's scope, and a page the role lacks, answer 404; every write is
version-checked, its refusal is a Russian message and nothing is saved.
"""

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from nms.accounts.scope import get_visible_or_404, scope_of
from nms.common.table_export import table_xlsx
from nms.common.text import search_key, search_tokens
from nms.common.views import ScopedListView, require, save_through_service, xlsx_response
from nms.monitoring import (
    cards,
    dashboards,
    decisions,
    exports,
    recommendations,
    selectors,
    tasks,
)
from nms.monitoring.dashboards import Place
from nms.monitoring.filters import DecisionFilterSet, RecommendationFilterSet
from nms.monitoring.forms import (
    CardForm,
    DecisionForm,
    GenerateForm,
    ManualRecommendationForm,
    RecommendationForm,
    ReturnForm,
    RuleForm,
    VersionedForm,
)
from nms.monitoring.models import (
    Decision,
    InfoCard,
    Recommendation,
    RecommendationRule,
    ScopeType,
)
from nms.monitoring.tables import DecisionTable, RecommendationTable
from nms.registry.models import Municipality, Organization

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEMBERS_PER_PAGE = 50


def _attempt(request, call) -> bool:
    """Run a service for a button; a refusal becomes a Russian error message."""
    try:
        call()
    except PermissionDenied as error:
        messages.error(request, str(error) or "Недостаточно прав.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        return True
    return False


def _version(request) -> int | None:
    form = VersionedForm(request.POST)
    return form.cleaned_data["version"] if form.is_valid() else None


def _place_url(name: str, place: Place, *args, **query) -> str:
    url = reverse(name, args=[place.scope_type, place.id, *args])
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return url + (f"?{urlencode(query)}" if query else "")


def place_links(user, place: Place, period: str) -> list[tuple[str, str]]:
    """The breadcrumbs: region → municipality → organization, those the user may open."""
    chain = []
    current = place
    while current is not None:
        chain.append(current)
        current = current.parent()
    return [
        (_place_url("monitoring-dashboard", p, period=period), f"{p.label}: {p.name}")
        for p in reversed(chain)
        if p is place or dashboards.may_view(user, p)
    ]


# -- dashboards -----------------------------------------------------------------------------------
@login_required
def monitoring_home(request):
    place = dashboards.home_place(request.user)
    require(place is not None)
    return _dashboard(request, place)


@login_required
def dashboard(request, scope_type, pk):
    place = dashboards.place_or_404(request.user, scope_type, pk)
    return _dashboard(request, place)


def _filters(request) -> dict:
    return {
        "indicator_set": request.GET.get("set", ""),
        "track": request.GET.get("track", "") if request.GET.get("track", "").isdigit() else "",
        "met": request.GET.get("met", ""),
    }


def _dashboard(request, place: Place):
    user = request.user
    period, known = dashboards.choose_period(place.region_id, request.GET.get("period"))
    filters = _filters(request)
    rows = dashboards.table(user, place, period, filters) if period else []
    if request.GET.get("format") == "xlsx" and period:
        return xlsx_response(
            dashboards.table_xlsx(place, period, rows), f"мониторинг_{place.name}_{period}.xlsx"
        )
    children = []
    if place.child_type and period:
        child_model = dashboards.MODELS[place.child_type]
        ids = dashboards.child_ids(place)
        order = "short_name" if child_model is Organization else "name"
        for obj in child_model.objects.filter(pk__in=ids).order_by(order):
            child = Place(place.child_type, obj)
            if dashboards.may_view(user, child):
                children.append((obj, _place_url("monitoring-dashboard", child, period=period)))
    scope = scope_of(user)
    return render(
        request,
        "monitoring/dashboard.html",
        {
            "place": place,
            "period": period,
            "periods": known,
            "rows": [
                (row, _place_url("monitoring-indicator", place, row.indicator.pk, period=period))
                for row in rows
            ],
            "summary": dashboards.summary(rows),
            "filters": filters,
            "set_choices": dashboards.set_choices(),
            "track_choices": dashboards.track_choices(place.region),
            "met_choices": dashboards.MET_CHOICES,
            "crumbs": place_links(user, place, period),
            "children": children,
            "child_label": ScopeType(place.child_type).label if place.child_type else "",
            "xlsx_url": _place_url(
                "monitoring-dashboard",
                place,
                period=period,
                set=filters["indicator_set"],
                track=filters["track"],
                met=filters["met"],
                format="xlsx",
            ),
            "docx_report": _place_url("monitoring-report", place, "docx", period=period),
            "xlsx_report": _place_url("monitoring-report", place, "xlsx", period=period),
            "can_cards": scope.has("admin", "municipal", "school", "cnppm"),
            "can_recommend": scope.can("monitoring.recommend"),
            "can_decide": scope.can("monitoring.decide"),
        },
    )


@login_required
def report(request, scope_type, pk, kind):
    place = dashboards.place_or_404(request.user, scope_type, pk)
    require(kind in ("docx", "xlsx"))
    period, _ = dashboards.choose_period(place.region_id, request.GET.get("period"))
    require(bool(period))
    # Built in the background (a region's report reads every unit's values): the job's page
    # shows the progress and then the file, kept on the jobs page.
    return redirect(tasks.report_start(request.user, place, period, kind))


@login_required
def indicator(request, scope_type, pk, indicator_pk):
    user = request.user
    place = dashboards.place_or_404(user, scope_type, pk)
    item = dashboards.indicator_or_404(place, indicator_pk)
    period, known = dashboards.choose_period(place.region_id, request.GET.get("period"))
    own = dashboards.snapshot_of(user, item, place, period) if period else None
    bars = dashboards.breakdown(user, item, place, period) if period else []
    trend = dashboards.trend(user, item, place)
    child_rows = []
    for s in bars:
        child = Place(place.child_type, None)
        url = reverse("monitoring-indicator", args=[child.scope_type, s.scope_id, item.pk])
        child_rows.append((s, f"{url}?{urlencode({'period': period})}"))
    return render(
        request,
        "monitoring/indicator.html",
        {
            "place": place,
            "indicator": item,
            "period": period,
            "periods": known,
            "own": own,
            "bars": child_rows,
            "bars_chart": dashboards.bars_chart(item, bars) if bars else None,
            "trend": trend,
            "trend_chart": dashboards.trend_chart(item, trend) if len(trend) > 1 else None,
            "subjects": dashboards.by_subject(user, item, place, period) if period else [],
            "crumbs": place_links(user, place, period),
            "child_label": ScopeType(place.child_type).label if place.child_type else "",
            "members_url": _place_url(
                "monitoring-members", place, item.pk, period=period, part="numerator"
            ),
            "denominator_url": _place_url(
                "monitoring-members", place, item.pk, period=period, part="denominator"
            ),
            "from_records": item.method != "card",
            "fmt_value": dashboards.fmt(own.value if own else None, item.unit),
            "fmt_target": dashboards.fmt(own.target if own else None, item.unit),
        },
    )


@login_required
def members(request, scope_type, pk, indicator_pk):
    user = request.user
    place = dashboards.place_or_404(user, scope_type, pk)
    item = dashboards.indicator_or_404(place, indicator_pk)
    period, _ = dashboards.choose_period(place.region_id, request.GET.get("period"))
    part = request.GET.get("part", "numerator")
    require(part in ("numerator", "denominator"))
    part_label = "числитель" if part == "numerator" else "знаменатель"
    rows = dashboards.members(user, item, place, period, part) if period else None
    query = (request.GET.get("q") or "").strip()
    page = None
    if rows is not None:
        rows = selectors.members_for_list(rows, query)
        if request.GET.get("format") == "xlsx":
            title = f"{item.code}: {part_label} · {place.name} · {period}"
            content = exports.indicator_members_xlsx(rows, title)
            return xlsx_response(content, f"{item.code}_{part}_{date.today():%d.%m.%Y}.xlsx")
        page = Paginator(rows, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/members.html",
        {
            "place": place,
            "indicator": item,
            "period": period,
            "part": part,
            "part_label": part_label,
            "q": query,
            "page": page,
            "rows": [(obj, dashboards.member_link(obj)) for obj in page] if page else [],
            "crumbs": place_links(user, place, period),
            "back": _place_url("monitoring-indicator", place, item.pk, period=period),
        },
    )


# -- information cards ---------------------------------------------------------------------------
def _card_period(request, region_id) -> str:
    asked = (request.GET.get("period") or request.POST.get("period") or "").strip()
    if asked:
        return asked[:30]
    period, _ = dashboards.choose_period(region_id, None)
    return period or str(date.today().year)


def _board_region(user):
    scope = scope_of(user)
    place = dashboards.home_place(user)
    if place is not None:
        return place.region
    return scope.default_region()


def _may_see_cards(user) -> bool:
    scope = scope_of(user)
    return scope.can("monitoring.fill_cards") or scope.can("monitoring.accept_cards")


@login_required
def card_board(request):
    user = request.user
    require(_may_see_cards(user))
    region = _board_region(user)
    require(region is not None)
    period = _card_period(request, region.pk)
    scope_type = request.GET.get("level") or ScopeType.ORGANIZATION
    require(scope_type in (ScopeType.ORGANIZATION, ScopeType.MUNICIPALITY))
    rows = cards.board(user, region, period, scope_type)
    scope = scope_of(user)
    shown = []
    for row in rows:
        probe = row.card or InfoCard(
            region_id=region.pk,
            period=period,
            scope_type=scope_type,
            organization=row.unit if scope_type == ScopeType.ORGANIZATION else None,
            municipality=row.unit if scope_type == ScopeType.MUNICIPALITY else None,
        )
        shown.append(
            {
                "row": row,
                "can_fill": scope.can("monitoring.fill_cards", probe),
                "can_accept": scope.can("monitoring.accept_cards", probe),
            }
        )
    waiting = [s for s in shown if s["row"].waiting]
    status = request.GET.get("status", "")
    if status == "waiting":
        shown = waiting
    elif status in InfoCard.Status.values:
        shown = [s for s in shown if s["row"].card and s["row"].card.status == status]
    query = (request.GET.get("q") or "").strip()
    if tokens := search_tokens(query):
        shown = [s for s in shown if all(t in search_key(str(s["row"].unit)) for t in tokens)]
    if request.GET.get("format") == "xlsx":
        content = exports.card_board_xlsx([s["row"] for s in shown], scope_type)
        return xlsx_response(content, f"информационные_карты_{date.today():%d.%m.%Y}.xlsx")
    paginator = Paginator(shown, 50)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/card_board.html",
        {
            "period": period,
            "level": scope_type,
            "levels": [
                (ScopeType.ORGANIZATION, "организации"),
                (ScopeType.MUNICIPALITY, "муниципалитеты"),
            ],
            "statuses": [("waiting", "не отправлены"), *InfoCard.Status.choices],
            "status": status,
            "q": query,
            "page": page,
            "rows": page.object_list,
            "waiting": len(waiting),
            "can_remind": bool(waiting) and any(s["can_accept"] for s in waiting),
            "has_indicators": bool(cards.card_indicators(region, scope_type)),
        },
    )


@login_required
@require_POST
def card_remind(request):
    user = request.user
    require(_may_see_cards(user))
    region = _board_region(user)
    require(region is not None)
    period = _card_period(request, region.pk)
    scope_type = request.POST.get("level") or ScopeType.ORGANIZATION
    require(scope_type in (ScopeType.ORGANIZATION, ScopeType.MUNICIPALITY))
    try:
        units, letters = cards.remind(user, region, period, scope_type)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Не отправили карту: {units}. Напоминаний отправлено: {letters}"
            + (" (у остальных не указан адрес электронной почты)." if letters < units else "."),
        )
    return redirect(
        f"{reverse('monitoring-cards')}?{urlencode({'period': period, 'level': scope_type})}"
    )


@login_required
@require_POST
def card_open(request, scope_type, pk):
    """Open (create) the card of a unit for a period and go to it."""
    user = request.user
    require(scope_type in (ScopeType.ORGANIZATION, ScopeType.MUNICIPALITY))
    model = Organization if scope_type == ScopeType.ORGANIZATION else Municipality
    unit = get_visible_or_404(scope_of(user).visible(model), pk=pk)
    period = _card_period(request, unit.region_id)
    try:
        card = cards.card_for(user, period, unit)
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect("monitoring-cards")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("monitoring-cards")
    return redirect("monitoring-card", card.pk)


def _card_or_404(user, pk) -> InfoCard:
    rows = (
        scope_of(user)
        .visible(InfoCard)
        .select_related(
            "region", "organization__municipality", "municipality", "submitted_by", "decided_by"
        )
    )
    return get_visible_or_404(rows, pk=pk)


@login_required
def card_detail(request, pk):
    user = request.user
    card = _card_or_404(user, pk)
    scope = scope_of(user)
    can_fill = scope.can("monitoring.fill_cards", card) and card.status in cards.EDITABLE
    can_accept = (
        scope.can("monitoring.accept_cards", card) and card.status == InfoCard.Status.SUBMITTED
    )
    lines = cards.lines(card)
    form = None
    if can_fill:
        form = CardForm(
            request.POST if request.method == "POST" else None,
            lines=lines,
            initial={"version": card.version},
        )
        if request.method == "POST" and form.is_valid():
            saved = save_through_service(
                form,
                lambda: cards.card_save(user, card, form.values(), form.cleaned_data["version"]),
            )
            if saved is not None:
                if "submit" in request.POST:
                    if _attempt(request, lambda: cards.card_submit(user, saved, saved.version)):
                        messages.success(request, "Карта отправлена на проверку.")
                else:
                    messages.success(request, "Значения сохранены.")
                return redirect("monitoring-card", card.pk)
    elif request.method == "POST":
        raise PermissionDenied("Менять эту карту нельзя.")
    return render(
        request,
        "monitoring/card_detail.html",
        {
            "card": card,
            "unit": cards.unit_of(card),
            "lines": lines,
            "form": form,
            "can_accept": can_accept,
            "return_form": ReturnForm(initial={"version": card.version}) if can_accept else None,
        },
    )


@login_required
@require_POST
def card_decide(request, pk, decision):
    user = request.user
    card = _card_or_404(user, pk)
    require(decision in ("accept", "return"))
    if decision == "accept":
        if _attempt(request, lambda: cards.card_accept(user, card, _version(request))):
            messages.success(request, "Карта принята; значения показателей пересчитаны.")
        return redirect("monitoring-card", card.pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Напишите, что исправить: комментарий обязателен.")
        return redirect("monitoring-card", card.pk)
    data = form.cleaned_data
    if _attempt(request, lambda: cards.card_return(user, card, data["comment"], data["version"])):
        messages.success(request, "Карта возвращена на доработку.")
    return redirect("monitoring-card", card.pk)


# -- recommendations -------------------------------------------------------------------------------
class RecommendationListView(ScopedListView):
    model = Recommendation
    selector = staticmethod(
        lambda user: (
            scope_of(user)
            .visible(Recommendation)
            .select_related("indicator", "municipality", "organization")
            .order_by("-created_at", "-pk")
        )
    )
    filterset_class = RecommendationFilterSet
    table = RecommendationTable
    template_name = "monitoring/recommendation_list.html"
    title = "Адресные рекомендации"
    export = staticmethod(table_xlsx(RecommendationTable, "Рекомендации"))
    export_filename = "адресные_рекомендации_{date}.xlsx"

    def get_context_data(self) -> dict:
        scope = self.scope
        region = _board_region(self.request.user)
        period = _card_period(self.request, region.pk) if region else ""
        return {
            **super().get_context_data(),
            "can_recommend": scope.can("monitoring.recommend"),
            "can_rules": scope.can("monitoring.define"),
            "generate_form": GenerateForm(initial={"period": period}),
        }


@login_required
@require_POST
def recommendations_generate(request):
    user = request.user
    require(scope_of(user).can("monitoring.recommend"))
    region = _board_region(user)
    require(region is not None)
    form = GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Укажите период.")
        return redirect("monitoring-recommendations")
    created = []

    def run():
        created.append(recommendations.generate(user, region, form.cleaned_data["period"]))

    if _attempt(request, run):
        messages.success(
            request,
            f"Черновиков рекомендаций создано: {created[0]}. Отредактируйте и опубликуйте их.",
        )
    return redirect(f"{reverse('monitoring-recommendations')}?{urlencode({'status': 'draft'})}")


@login_required
def recommendation_create(request):
    """A recommendation written by hand to a role of a territory (not from a rule): a draft,
    edited and published like the generated ones."""
    user = request.user
    require(scope_of(user).can("monitoring.recommend"))
    region = _board_region(user)
    require(region is not None)
    period, _ = dashboards.choose_period(region.pk, request.GET.get("period"))
    form = ManualRecommendationForm(
        request.POST if request.method == "POST" else None,
        user=user,
        region=region,
        initial={"period": period},
    )
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "region": region}
        try:
            saved = save_through_service(form, lambda: recommendations.create(user, data))
        except PermissionDenied:
            form.add_error(
                "addressee", "Этому адресату в этой территории рекомендовать вы не можете."
            )
            saved = None
        if saved is not None:
            messages.success(request, "Черновик рекомендации записан. Проверьте и опубликуйте его.")
            return redirect("monitoring-recommendation", saved.pk)
    return render(
        request,
        "monitoring/form.html",
        {
            "form": form,
            "title": "Адресная рекомендация",
            "back": reverse("monitoring-recommendations"),
        },
    )


def _recommendation_or_404(user, pk) -> Recommendation:
    rows = (
        scope_of(user)
        .visible(Recommendation)
        .select_related("indicator", "municipality", "organization", "rule", "done_by")
    )
    return get_visible_or_404(rows, pk=pk)


@login_required
def recommendation_detail(request, pk):
    user = request.user
    item = _recommendation_or_404(user, pk)
    scope = scope_of(user)
    can_edit = (
        scope.can("monitoring.recommend", item) and item.status == Recommendation.Status.DRAFT
    )
    form = None
    if can_edit:
        form = RecommendationForm(
            request.POST if request.method == "POST" else None,
            initial={"text": item.text, "version": item.version},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            saved = save_through_service(
                form, lambda: recommendations.update(user, item, data, data["version"])
            )
            if saved is not None:
                messages.success(request, "Текст рекомендации сохранён.")
                return redirect("monitoring-recommendation", item.pk)
    elif request.method == "POST":
        raise PermissionDenied("Менять эту рекомендацию нельзя.")
    return render(
        request,
        "monitoring/recommendation_detail.html",
        {
            "item": item,
            "form": form,
            "can_publish": can_edit,
            "can_done": recommendations.can_mark_done(user, item),
        },
    )


@login_required
@require_POST
def recommendation_step(request, pk, step):
    user = request.user
    item = _recommendation_or_404(user, pk)
    require(step in ("publish", "done"))
    version = _version(request)
    if step == "publish":
        if _attempt(request, lambda: recommendations.publish(user, item, version)):
            messages.success(request, "Рекомендация опубликована: адресаты увидят её на главной.")
    elif _attempt(request, lambda: recommendations.mark_done(user, item, version)):
        messages.success(request, "Рекомендация отмечена выполненной.")
    if request.POST.get("next") == "home":
        return redirect("home")
    return redirect("monitoring-recommendation", item.pk)


@login_required
def rules(request):
    user = request.user
    scope = scope_of(user)
    require(scope.can("monitoring.define"))
    region = _board_region(user)
    require(region is not None)
    form = RuleForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        saved = save_through_service(
            form, lambda: recommendations.rule_create(user, {**form.cleaned_data, "region": region})
        )
        if saved is not None:
            messages.success(request, "Правило добавлено.")
            return redirect("monitoring-rules")
    rows = (
        scope.visible(RecommendationRule)
        .filter(region=region)
        .select_related("indicator")
        .order_by("indicator__code", "pk")
    )
    return render(
        request,
        "monitoring/rules.html",
        {"form": form, "rules": rows, "title": "Правила адресных рекомендаций"},
    )


@login_required
def rule_edit(request, pk):
    user = request.user
    scope = scope_of(user)
    require(scope.can("monitoring.define"))
    rule = get_visible_or_404(scope.visible(RecommendationRule).select_related("region"), pk=pk)
    require(scope.can("monitoring.recommend", rule))
    initial = {
        "indicator": rule.indicator_id,
        "addressee": rule.addressee,
        "text": rule.text,
        "active": rule.active,
    }
    form = RuleForm(request.POST or None, region=rule.region, initial=initial)
    from nms.common.concurrency import add_version_field

    add_version_field(form, rule)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = save_through_service(
            form, lambda: recommendations.rule_update(user, rule, data, data.get("version"))
        )
        if saved is not None:
            messages.success(request, "Правило сохранено.")
            return redirect("monitoring-rules")
    return render(
        request,
        "monitoring/form.html",
        {
            "form": form,
            "title": f"Правило: {rule.indicator.code}",
            "back": reverse("monitoring-rules"),
        },
    )


# -- decisions -------------------------------------------------------------------------------------
class DecisionListView(ScopedListView):
    model = Decision
    filterset_class = DecisionFilterSet
    table = DecisionTable
    template_name = "common/list.html"
    title = "Управленческие решения"
    export = staticmethod(table_xlsx(DecisionTable, "Решения"))
    export_filename = "управленческие_решения_{date}.xlsx"
    create_url_name = "monitoring-decision-create"
    create_action = "monitoring.decide"
    create_label = "Записать решение"

    @staticmethod
    def selector(user):
        decisions.mark_overdue()
        return scope_of(user).visible(Decision).order_by("-decided_on", "-pk")


def _decision_or_404(user, pk) -> Decision:
    decisions.mark_overdue()
    rows = scope_of(user).visible(Decision).select_related("region", "author")
    return get_visible_or_404(rows, pk=pk)


@login_required
def decision_detail(request, pk):
    user = request.user
    decision = _decision_or_404(user, pk)
    compared, rows = decisions.effect(decision)
    return render(
        request,
        "monitoring/decision_detail.html",
        {
            "decision": decision,
            "compared": compared,
            "rows": [
                (
                    r,
                    dashboards.fmt(r.before.value if r.before else None, r.indicator.unit),
                    dashboards.fmt(r.after.value if r.after else None, r.indicator.unit),
                    dashboards.fmt(r.change),
                )
                for r in rows
            ],
            "can_edit": scope_of(user).can("monitoring.decide", decision),
        },
    )


def _decision_form(request, user, region, decision=None):
    initial = {}
    if decision is not None:
        initial = {
            "title": decision.title,
            "document": decision.document,
            "decided_on": decision.decided_on,
            "measures": decision.measures,
            "indicators": list(decision.indicators.values_list("pk", flat=True)),
            "municipalities": list(decision.municipalities.values_list("pk", flat=True)),
            "organizations": list(decision.organizations.values_list("pk", flat=True)),
            "base_period": decision.base_period,
            "responsible": decision.responsible,
            "deadline": decision.deadline,
            "status": decision.status,
        }
    else:
        period, _ = dashboards.choose_period(region.pk, None)
        initial = {"base_period": period, "decided_on": date.today()}
    form = DecisionForm(
        request.POST if request.method == "POST" else None,
        user=user,
        region=region,
        initial=initial,
    )
    from nms.common.concurrency import add_version_field

    add_version_field(form, decision)
    return form


@login_required
def decision_create(request):
    user = request.user
    require(scope_of(user).can("monitoring.decide"))
    region = _board_region(user)
    require(region is not None)
    form = _decision_form(request, user, region)
    if request.method == "POST" and form.is_valid():
        saved = save_through_service(
            form, lambda: decisions.create(user, {**form.cleaned_data, "region": region})
        )
        if saved is not None:
            messages.success(request, "Решение записано.")
            return redirect("monitoring-decision", saved.pk)
    return render(
        request,
        "monitoring/form.html",
        {"form": form, "title": "Управленческое решение", "back": reverse("monitoring-decisions")},
    )


@login_required
def decision_edit(request, pk):
    user = request.user
    decision = _decision_or_404(user, pk)
    require(scope_of(user).can("monitoring.decide", decision))
    form = _decision_form(request, user, decision.region, decision)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = save_through_service(
            form, lambda: decisions.update(user, decision, data, data.get("version"))
        )
        if saved is not None:
            messages.success(request, "Решение сохранено.")
            return redirect("monitoring-decision", decision.pk)
    return render(
        request,
        "monitoring/form.html",
        {
            "form": form,
            "title": f"Решение: {decision.title}",
            "back": reverse("monitoring-decision", args=[decision.pk]),
        },
    )
