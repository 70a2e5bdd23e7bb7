"""The home page: thin — the selectors decide what each role sees."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from nms.common import aggregates
from nms.dashboard import selectors


@login_required
def home(request):
    sections = selectors.home_sections(request.user, refresh=aggregates.wants_refresh(request))
    return render(
        request,
        "dashboard/home.html",
        {"sections": sections, "has_charts": any(s.charts for s in sections)},
    )
