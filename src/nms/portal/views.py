"""Portal pages: thin — selectors read, services write and decide who may do what.

- The public portal (no login, like the public mentor registry): the home of a region with its
  sections and counts, innovation sites, communities, the navigator, news, internship sites and
  the published monitoring summary; published items only, names only (see selectors).
- The working pages of the ЦНППМ, the ministry and the municipal coordinators: lists with
  search, filters, pagination and XLSX export, detail pages, forms through the services; the
  selection's decision, plans and reports, members of a community.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from nms.accounts.scope import get_visible_or_404, scope_of
from nms.common.links import permits_with
from nms.common.pagination import paginate
from nms.common.views import (
    ImportSpec,
    ImportView,
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
    require,
    xlsx_response,
)
from nms.portal import exports, importers, public, selectors, services
from nms.portal.access import EDIT, MANAGE
from nms.portal.filters import CommunityFilterSet, NewsFilterSet, ResourceFilterSet, SiteFilterSet
from nms.portal.forms import (
    CommunityForm,
    DecisionForm,
    DocumentForm,
    MemberForm,
    NewsForm,
    ResourceForm,
    SiteForm,
)
from nms.portal.models import (
    Audience,
    Community,
    CommunityKind,
    CommunityLevel,
    CommunityMember,
    DocumentKind,
    InnovationSite,
    News,
    Resource,
    ResourceKind,
    SiteDocument,
)
from nms.portal.tables import CommunityTable, NewsTable, ResourceTable, SiteTable

PUBLIC_PAGE = 20


def _attempt(request, call) -> bool:
    """Run a service for a button; a refusal becomes an error message in Russian."""
    try:
        call()
    except PermissionDenied as error:
        messages.error(request, str(error) or services.NO_RIGHTS)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        return True
    return False


# -- the public portal -------------------------------------------------------------------------
def _region_or_chooser(request, title: str):
    """(region, None) or (None, the region chooser's answer)."""
    region = selectors.public_region(request.user, request.GET.get("region"))
    if region is not None:
        return region, None
    regions = selectors.public_regions(request.user)
    answer = render(request, "portal/choose_region.html", {"regions": regions, "title": title})
    return None, answer


def _choice(value, choices) -> str:
    return value if value in dict(choices) else ""


def _public_list(request, template, title, rows, extra=None, region=None):
    page = paginate(request, rows, PUBLIC_PAGE)
    context = {
        "title": title,
        "page": page,
        "rows": page.object_list,
        "region": region,
        "q": request.GET.get("q", "")[:100],
        **(extra or {}),
    }
    return render(request, template, context)


def portal_home(request):
    """The region's open portal: every section with its count."""
    region, chooser = _region_or_chooser(request, "Открытый портал")
    if chooser:
        return chooser
    counts = selectors.public_counts(region)
    query = f"?region={region.pk}"
    sections = []

    def add(title, url_name, count, text):
        url = public.safe_url(url_name)
        if url:
            sections.append({"title": title, "url": url + query, "count": count, "text": text})

    add("Эффективные практики", "public-practice-list", counts["practices"],
        "Практики, прошедшие экспертизу («Методический арсенал»)")  # fmt: skip
    add("Методические материалы", "public-material-list", counts["materials"],
        "Аннотированный каталог рекомендаций, разработок, сборников")  # fmt: skip
    add("Стажировочные площадки", "portal-internships", counts["internships"],
        "Организации со статусом стажировочной площадки")  # fmt: skip
    add("Инновационные площадки", "portal-sites", counts["sites"],
        "Региональные инновационные площадки и их проекты")  # fmt: skip
    add("Профессиональные сообщества", "portal-communities", counts["communities"],
        "Ассоциации, сетевые сообщества, методические объединения, РУМО")  # fmt: skip
    add("Навигатор образовательных ресурсов", "portal-navigator", counts["resources"],
        "Академия Минпросвещения, методические службы, сообщества, платформы")  # fmt: skip
    add("Новости", "portal-news", counts["news"], "События региональной системы")
    add("Реестр наставников", "mentor-registry", None, "Выберите наставника")
    add("Вакансии", "public-vacancy-list", None, "Вакансии педагогических работников")
    add("Мониторинг", "portal-monitoring", None, "Показатели региональной системы")
    latest = list(selectors.public_news(region)[:3])
    return render(
        request,
        "portal/home.html",
        {
            "region": region,
            "sections": sections,
            "latest_news": latest,
            "regions": selectors.public_regions(request.user),
        },
    )


def public_news_list(request):
    region, chooser = _region_or_chooser(request, "Новости")
    if chooser:
        return chooser
    rows = selectors.search(selectors.public_news(region), request.GET.get("q", ""))
    return _public_list(request, "portal/public_news_list.html", "Новости", rows, region=region)


def public_news_detail(request, pk):
    item = get_object_or_404(News.objects.filter(published=True), pk=pk)
    return render(request, "portal/public_news_detail.html", {"item": item})


def public_community_list(request):
    region, chooser = _region_or_chooser(request, "Профессиональные сообщества")
    if chooser:
        return chooser
    kind = _choice(request.GET.get("kind"), CommunityKind.choices)
    level = _choice(request.GET.get("level"), CommunityLevel.choices)
    rows = selectors.search(selectors.public_communities(region), request.GET.get("q", ""))
    if kind:
        rows = rows.filter(kind=kind)
    if level:
        rows = rows.filter(level=level)
    page = paginate(request, rows, PUBLIC_PAGE)
    communities = list(page.object_list)
    leaders = selectors.leaders_of(communities)
    for community in communities:
        community.leader_names = leaders.get(community.pk, [])
    return render(
        request,
        "portal/public_community_list.html",
        {
            "title": "Профессиональные сообщества",
            "page": page,
            "rows": communities,
            "region": region,
            "q": request.GET.get("q", "")[:100],
            "kinds": CommunityKind.choices,
            "levels": CommunityLevel.choices,
            "kind": kind,
            "level": level,
        },
    )


def public_community_detail(request, pk):
    community = get_object_or_404(
        Community.objects.filter(published=True).select_related("municipality"), pk=pk
    )
    events = community.events.order_by("-starts_on")[:50]
    return render(
        request,
        "portal/public_community_detail.html",
        {
            "community": community,
            "leaders": selectors.leaders_of([community]).get(community.pk, []),
            "member_count": community.members.count(),
            "subjects": community.subjects.order_by("name"),
            "events": events,
        },
    )


def public_site_list(request):
    region, chooser = _region_or_chooser(request, "Инновационные площадки")
    if chooser:
        return chooser
    rows = selectors.search(selectors.public_sites(region), request.GET.get("q", ""))
    return _public_list(
        request, "portal/public_site_list.html", "Региональные инновационные площадки", rows,
        region=region,
    )  # fmt: skip


def public_site_detail(request, pk):
    site = get_object_or_404(selectors.public_sites_all(), pk=pk)
    documents = selectors.public_site_documents(site)
    return render(request, "portal/public_site_detail.html", {"site": site, "documents": documents})


def _download(document):
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("Файл не найден") from error
    return FileResponse(handle, as_attachment=True, filename=document.filename)


@never_cache
def public_site_file(request, pk, doc_pk):
    """A public document of a public site, for anyone: checked at every download
    (selectors.public_site_document) — else 404, whatever the reason."""
    document = selectors.public_site_document(pk, doc_pk)
    if document is None:
        raise Http404("Документ не найден")
    return _download(document)


def public_navigator(request):
    region, chooser = _region_or_chooser(request, "Навигатор образовательных ресурсов")
    if chooser:
        return chooser
    kind = _choice(request.GET.get("kind"), ResourceKind.choices)
    audience = _choice(request.GET.get("audience"), Audience.choices)
    rows = selectors.search(selectors.public_resources(region), request.GET.get("q", ""))
    if kind:
        rows = rows.filter(kind=kind)
    if audience:
        rows = rows.filter(audience=audience)
    return _public_list(
        request,
        "portal/public_navigator.html",
        "Навигатор образовательных ресурсов",
        rows,
        {
            "kinds": ResourceKind.choices,
            "audiences": Audience.choices,
            "kind": kind,
            "audience": audience,
        },
        region=region,
    )


def public_resource_detail(request, pk):
    resource = get_object_or_404(Resource.objects.filter(published=True), pk=pk)
    return render(request, "portal/public_resource_detail.html", {"resource": resource})


def public_internship_list(request):
    region, chooser = _region_or_chooser(request, "Стажировочные площадки")
    if chooser:
        return chooser
    rows = selectors.public_internship_sites(region)
    for token in request.GET.get("q", "").split()[:5]:
        rows = rows.filter(organization__search_text__contains=token.lower().replace("ё", "е"))
    return _public_list(
        request, "portal/public_internship_list.html", "Стажировочные площадки", rows,
        region=region,
    )  # fmt: skip


def public_internship_detail(request, pk):
    site = get_object_or_404(selectors.public_internship_sites_all(), pk=pk)
    return render(request, "portal/public_internship_detail.html", {"site": site})


def public_monitoring(request):
    """The published monitoring summary of the region. Monitoring has no «published» mark on its
    indicators, so this page shows, at the region's scope and for the latest period computed,
    the federal set A (A1–A6) and the region's own indicators (set R) — public.PUBLISHED_SETS:
    value, target and whether it is met, never a snapshot's details."""
    region, chooser = _region_or_chooser(request, "Мониторинг")
    if chooser:
        return chooser
    summary = public.monitoring_summary(region)
    return render(request, "portal/public_monitoring.html", {"region": region, **summary})


# -- working pages: innovation sites -----------------------------------------------------------
class SiteListView(ScopedListView):
    model = InnovationSite
    selector = staticmethod(selectors.sites_for_list)
    filterset_class = SiteFilterSet
    table = SiteTable
    title = "Региональные инновационные площадки"
    create_url_name = "innovation-site-create"
    create_action = EDIT
    create_label = "Подать заявку"
    export = staticmethod(exports.sites_xlsx)
    export_filename = "инновационные_площадки_{date}.xlsx"
    export_what = "площадок"


class SiteDetailView(ScopedDetailView):
    model = InnovationSite
    selector = staticmethod(selectors.sites_for_list)
    template_name = "portal/site_detail.html"
    context_object_name = "site"
    edit_action = EDIT
    edit_url_name = "innovation-site-edit"

    def get_context(self, site) -> dict:
        can_decide = self.allowed(MANAGE, site)
        can_upload = self.allowed(EDIT, site)
        return {
            "documents": selectors.site_documents(site),
            "can_decide": can_decide,
            "decision_form": DecisionForm() if can_decide else None,
            "can_upload": can_upload,
            "document_form": DocumentForm() if can_upload else None,
        }


class SiteCreateView(ServiceFormView):
    model = InnovationSite
    selector = staticmethod(selectors.sites_for_list)
    form_class = SiteForm
    service = staticmethod(services.site_create)
    action = EDIT
    title = "Заявка на статус региональной инновационной площадки"
    success_message = "Заявка сохранена."


class SiteEditView(ServiceFormView):
    model = InnovationSite
    selector = staticmethod(selectors.sites_for_list)
    form_class = SiteForm
    service = staticmethod(services.site_update)
    action = EDIT
    title = "Изменение: {object.project}"


def _site_of(request, pk) -> InnovationSite:
    return get_visible_or_404(selectors.sites_for_list(request.user), pk=pk)


def _can_on_site(action):
    def check(request, pk=None, **kwargs):
        if not request.user.is_authenticated:
            return False
        site = selectors.sites_for_list(request.user).filter(pk=pk).first()
        return site is not None and scope_of(request.user).can(action, site)

    return check


@login_required
@require_POST
@permits_with(_can_on_site(MANAGE))
def site_decide(request, pk):
    site = _site_of(request, pk)
    require(scope_of(request.user).can(MANAGE, site))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect(site)
    version = request.POST.get("version")
    expected = int(version) if version and version.isdigit() else None
    if _attempt(
        request, lambda: services.site_decide(request.user, site, form.cleaned_data, expected)
    ):
        messages.success(request, "Решение записано.")
    return redirect(site)


@login_required
@require_POST
@permits_with(_can_on_site(EDIT))
def site_document(request, pk):
    site = _site_of(request, pk)
    require(scope_of(request.user).can(EDIT, site))
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Укажите документ, год и файл.")
        return redirect(site)
    if _attempt(request, lambda: services.site_document(request.user, site, form.cleaned_data)):
        messages.success(request, "Документ загружен.")
    return redirect(site)


@login_required
def site_file(request, pk, doc_pk):
    site = _site_of(request, pk)
    document = get_object_or_404(SiteDocument, pk=doc_pk, site=site)
    return _download(document)


# -- working pages: communities ----------------------------------------------------------------
class CommunityListView(ScopedListView):
    model = Community
    selector = staticmethod(selectors.communities_for_list)
    filterset_class = CommunityFilterSet
    table = CommunityTable
    title = "Профессиональные сообщества"
    create_url_name = "community-create"
    create_action = EDIT
    create_label = "Добавить сообщество"
    export = staticmethod(exports.communities_xlsx)
    export_filename = "сообщества_{date}.xlsx"
    export_what = "сообществ"


class CommunityDetailView(ScopedDetailView):
    model = Community
    selector = staticmethod(selectors.communities_for_list)
    template_name = "portal/community_detail.html"
    context_object_name = "community"
    edit_action = EDIT
    edit_url_name = "community-edit"

    def get_context(self, community) -> dict:
        can_members = self.allowed(EDIT, community)
        return {
            "members": selectors.members_of(self.request.user, community),
            "subjects": community.subjects.order_by("name"),
            "events": community.events.order_by("-starts_on"),
            "can_members": can_members,
            "member_form": MemberForm(user=self.request.user) if can_members else None,
        }


class CommunityCreateView(ServiceFormView):
    model = Community
    selector = staticmethod(selectors.communities_for_list)
    form_class = CommunityForm
    service = staticmethod(services.community_create)
    action = EDIT
    title = "Новое профессиональное сообщество"
    success_message = "Сообщество сохранено."


class CommunityEditView(ServiceFormView):
    model = Community
    selector = staticmethod(selectors.communities_for_list)
    form_class = CommunityForm
    service = staticmethod(services.community_update)
    action = EDIT
    title = "Изменение: {object.name}"


def _can_on_community(request, pk=None, **kwargs) -> bool:
    if not request.user.is_authenticated:
        return False
    community = selectors.communities_for_list(request.user).filter(pk=pk).first()
    return community is not None and scope_of(request.user).can(EDIT, community)


@login_required
@require_POST
@permits_with(_can_on_community)
def community_member(request, pk):
    community = get_visible_or_404(selectors.communities_for_list(request.user), pk=pk)
    require(scope_of(request.user).can(EDIT, community))
    form = MemberForm(request.POST, user=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(community)
    data = form.cleaned_data
    if _attempt(
        request,
        lambda: services.member_add(
            request.user, community, data["person"], data["role"], data.get("joined_on")
        ),
    ):
        messages.success(request, "Участник добавлен.")
    return redirect(community)


@login_required
@require_POST
@permits_with(_can_on_community)
def community_member_remove(request, pk, member_pk):
    community = get_visible_or_404(selectors.communities_for_list(request.user), pk=pk)
    require(scope_of(request.user).can(EDIT, community))
    member = get_object_or_404(CommunityMember, pk=member_pk, community=community)
    if _attempt(request, lambda: services.member_remove(request.user, member)):
        messages.success(request, "Участник исключён.")
    return redirect(community)


# -- working pages: the navigator and news -----------------------------------------------------
class ResourceListView(ScopedListView):
    model = Resource
    selector = staticmethod(selectors.resources_for_list)
    filterset_class = ResourceFilterSet
    table = ResourceTable
    title = "Навигатор образовательных ресурсов"
    create_url_name = "resource-create"
    create_action = MANAGE
    create_label = "Добавить ресурс"
    export = staticmethod(exports.resources_xlsx)
    export_filename = "навигатор_{date}.xlsx"
    export_what = "ресурсов"
    template_name = "portal/resource_list.html"

    def get_context_data(self) -> dict:
        return {**super().get_context_data(), "can_import": self.allowed(MANAGE)}


class ResourceImportView(ImportView):
    spec = ImportSpec(
        kinds=importers.import_kinds,
        work=importers.import_job,
        template=lambda user, kind: importers.template_xlsx(),
    )
    action = MANAGE
    hide_refusals = True
    hide_single_kind = True
    template_name = "portal/resource_import.html"
    title = "Загрузка навигатора ресурсов из XLSX"


@login_required
def resource_template(request):
    require(ResourceImportView.permits(request))
    return xlsx_response(importers.template_xlsx(), "шаблон_навигатора.xlsx")


class ResourceDetailView(ScopedDetailView):
    model = Resource
    selector = staticmethod(selectors.resources_for_list)
    template_name = "portal/resource_detail.html"
    context_object_name = "resource"
    edit_action = MANAGE
    edit_url_name = "resource-edit"


class ResourceCreateView(ServiceFormView):
    model = Resource
    selector = staticmethod(selectors.resources_for_list)
    form_class = ResourceForm
    service = staticmethod(services.resource_create)
    action = MANAGE
    title = "Новый ресурс навигатора"
    success_message = "Ресурс сохранён."


class ResourceEditView(ServiceFormView):
    model = Resource
    selector = staticmethod(selectors.resources_for_list)
    form_class = ResourceForm
    service = staticmethod(services.resource_update)
    action = MANAGE
    title = "Изменение: {object.title}"


class NewsListView(ScopedListView):
    model = News
    selector = staticmethod(selectors.news_for_list)
    filterset_class = NewsFilterSet
    table = NewsTable
    title = "Новости"
    create_url_name = "news-create"
    create_action = MANAGE
    create_label = "Добавить новость"
    export = staticmethod(exports.news_xlsx)
    export_filename = "новости_{date}.xlsx"
    export_what = "новостей"


class NewsDetailView(ScopedDetailView):
    model = News
    selector = staticmethod(selectors.news_for_list)
    template_name = "portal/news_detail.html"
    context_object_name = "item"
    edit_action = MANAGE
    edit_url_name = "news-edit"


class NewsCreateView(ServiceFormView):
    model = News
    selector = staticmethod(selectors.news_for_list)
    form_class = NewsForm
    service = staticmethod(services.news_create)
    action = MANAGE
    title = "Новая новость"
    success_message = "Новость сохранена."


class NewsEditView(ServiceFormView):
    model = News
    selector = staticmethod(selectors.news_for_list)
    form_class = NewsForm
    service = staticmethod(services.news_update)
    action = MANAGE
    title = "Изменение: {object.title}"


DOCUMENT_KINDS = DocumentKind.choices  # for the templates' upload form
