"""Deficit map pages and groups with similar deficits. Thin: the numbers come from
`nms.deficits.maps`."""

from datetime import date
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.safestring import mark_safe

from nms.accounts.scope import scope_of
from nms.common import aggregates
from nms.common.pagination import paginate
from nms.common.templatetags.nms import num, typo
from nms.common.views import require, xlsx_response
from nms.common.widgets import FastSelect, template_text
from nms.deficits import maps
from nms.diagnostics import selectors
from nms.diagnostics.models import ProcedureKind
from nms.registry.models import Subject
from nms.registry.selectors import person_get

MEMBERS_PER_PAGE = 50
MAP_ROWS_PER_PAGE = 100


class MapFilterForm(forms.Form):
    """The map's filters over the user's scope; the page and the API share it."""

    breakdown = forms.ChoiceField(label="Разрез", choices=maps.BREAKDOWNS.items(), required=False)
    municipality = forms.ModelChoiceField(
        label="Муниципалитет", queryset=None, required=False, empty_label="все"
    )
    organization = forms.ModelChoiceField(
        label="Организация",
        queryset=None,
        required=False,
        empty_label="все",
        widget=FastSelect,  # a region's thousands of organizations
    )
    subject = forms.ModelChoiceField(
        label="Предмет", queryset=Subject.objects.all(), required=False, empty_label="все"
    )
    procedure = forms.ModelChoiceField(
        label="Процедура",
        queryset=None,
        required=False,
        empty_label="последний результат каждого",
    )
    kind = forms.ChoiceField(
        label="Диагностика",
        choices=[("", "входная и выходная"), *ProcedureKind.choices],
        required=False,
    )

    def __init__(self, data, *, user, with_breakdown: bool = True):
        super().__init__(data)
        scope = scope_of(user)
        self.user = user
        self.fields["municipality"].queryset = scope.municipalities()
        self.fields["organization"].queryset = scope.organizations().only("id", "short_name")
        self.fields["procedure"].queryset = selectors.procedures_involving(user).only("id", "name")
        if not with_breakdown:
            del self.fields["breakdown"]

    def filters(self) -> maps.MapFilters:
        """The valid filters (a bad value is dropped and shown as a form error)."""
        self.is_valid()
        data = self.cleaned_data
        return maps.MapFilters(
            breakdown=data.get("breakdown") or maps.default_breakdown(self.user),
            municipality=data.get("municipality"),
            organization=data.get("organization"),
            subject=data.get("subject"),
            procedure=data.get("procedure"),
            kind=data.get("kind") or "",
        )


def _drill_down(deficit_map: maps.DeficitMap, request, rows) -> dict:
    """Links from a municipality row to its organizations and from an organization to subjects
    (for the rows shown: a region has 2 600 organizations, a page a hundred)."""
    target = {maps.MUNICIPALITY: maps.ORGANIZATION, maps.ORGANIZATION: maps.SUBJECT}.get(
        deficit_map.breakdown
    )
    if target is None:
        return {}
    params = {k: v for k, v in request.GET.items() if k not in ("page", "format", "breakdown")}
    return {
        row.key: "?" + urlencode({**params, deficit_map.breakdown: row.key, "breakdown": target})
        for row in rows
    }


def _css(share) -> str:
    return "background: rgb({}, {}, {})".format(*maps.heat_rgb(share))


def _styled(row: maps.Row) -> list[tuple]:
    return [(cell, _css(cell.share if cell else None)) for cell in row.cells]


LEGEND = [0, 10, 20, 30, 40, maps.HEAT_FULL]


def _rows_html(rows) -> str:
    """The map's body rows as the template wrote them (deficits/map_deficits.html had the loop):
    a region's page of a hundred organizations × the areas took most of the page's time
    through the template. tests/deficits/test_map_rows_html.py holds the template for comparison.
    """
    out = []
    for row, cells, link in rows:
        label = template_text(typo(row.label))
        if link:
            label = f'<a href="{template_text(link)}">{label}</a>'
        if row.note:
            label += f'<br><span class="muted">{template_text(row.note)}</span>'
        parts = [
            "\n    <tr>\n",
            f"      <td>{label}</td>\n",
            f"      <td>{template_text(num(row.people))}</td>\n",
            f"      <td>{template_text(num(row.with_deficit))} "
            f'<span class="muted">({template_text(row.share)}&nbsp;%)</span></td>\n      ',
        ]
        for cell, css in cells:
            if cell:
                inner = (
                    f"<strong>{template_text(cell.share)}&nbsp;%</strong><br><small>"
                    f"{template_text(cell.deficit)} из {template_text(cell.people)}</small>"
                )
            else:
                inner = "—"
            parts.append(f'<td class="heat-cell" data-style="{template_text(css)}">{inner}</td>')
        parts.append("\n    </tr>\n  ")
        out.append("".join(parts))
    return mark_safe("".join(out))


@login_required
def deficit_map_page(request):
    require(maps.can_see_maps(request.user))
    form = MapFilterForm(request.GET, user=request.user)
    filters = form.filters()
    deficit_map = maps.deficit_map(request.user, filters, refresh=aggregates.wants_refresh(request))
    title = f"Карта профессиональных дефицитов ({maps.BREAKDOWNS[filters.breakdown]})"
    if request.GET.get("format") == "xlsx":
        content = maps.map_xlsx(deficit_map, filters, title)
        return xlsx_response(content, f"карта_дефицитов_{date.today():%d.%m.%Y}.xlsx")
    # A region's 2 600 organizations make as many rows: the page shows them a hundred at a time
    # (the export has them all), the total row stays on every page.
    page = paginate(request, deficit_map.rows, MAP_ROWS_PER_PAGE)
    links = _drill_down(deficit_map, request, page.object_list)
    rows = [(row, _styled(row), links.get(row.key)) for row in page.object_list]
    context = {
        "form": form,
        "filters": filters,
        "map": deficit_map,
        "page": page,
        "rows": rows,
        "rows_html": _rows_html(rows),
        "total": (deficit_map.total, _styled(deficit_map.total)),
        "title": title,
        "legend": [(share, _css(share)) for share in LEGEND],
        "no_data_css": _css(None),
    }
    return render(request, "deficits/map_deficits.html", context)


@login_required
def person_map_page(request, pk):
    person = person_get(request.user, pk)
    person_map = maps.person_map(request.user, person)
    # A person's own score is good when high: coloured by what is missing to 100 %.
    history = [
        (result, [(score, _css(100 - score.share if score else None)) for score in scores])
        for result, scores in person_map.history
    ]
    return render(
        request,
        "deficits/map_person.html",
        {"person": person, "map": person_map, "history": history},
    )


@login_required
def clusters_page(request):
    require(maps.can_see_maps(request.user))
    form = MapFilterForm(request.GET, user=request.user, with_breakdown=False)
    profiles = maps.deficit_profiles(request.user, form.filters())
    query = {k: v for k, v in request.GET.items() if k not in ("page", "format", "profile")}
    return render(
        request,
        "deficits/map_clusters.html",
        {"form": form, "profiles": profiles, "query": urlencode(query)},
    )


@login_required
def cluster_members_page(request):
    require(maps.can_see_maps(request.user))
    areas = maps.parse_profile(request.GET.get("profile", ""))
    require(areas is not None)
    form = MapFilterForm(request.GET, user=request.user, with_breakdown=False)
    filters = form.filters()
    similar = request.GET.get("similar") == "1"
    query = (request.GET.get("q") or "").strip()
    members = maps.profile_members(request.user, filters, areas, similar, query)
    names = ", ".join(a.name for a in areas)
    title = f"Дефициты: {names}" + (" и отличающиеся на одну область" if similar else "")
    if request.GET.get("format") == "xlsx":
        content = maps.members_xlsx(members, f"{title}. {filters.describe()}")
        return xlsx_response(content, f"группа_{date.today():%d.%m.%Y}.xlsx")
    page = paginate(request, members, MEMBERS_PER_PAGE)
    skip = ("page", "format", "profile", "similar")
    back = {k: v for k, v in request.GET.items() if k not in skip}
    return render(
        request,
        "deficits/map_cluster.html",
        {
            "title": title,
            "filters": filters,
            "page": page,
            "members": page.object_list,
            "similar": similar,
            "back": urlencode(back),
            "q": query,
            "kept": [(k, v) for k, v in request.GET.items() if k not in ("q", "page", "format")],
        },
    )
