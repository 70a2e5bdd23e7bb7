from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from nms.diagnostics.selectors import results_visible
from nms.registry.selectors import home_counts
from nms.routes.models import Status
from nms.routes.selectors import due_for, routes_visible


@login_required
def home(request):
    """The user's figures, each within their scope, and what needs their attention."""
    user = request.user
    results = results_visible(user)
    routes = routes_visible(user)
    due = due_for(user)
    context = {
        "counts": home_counts(user),
        "diagnosed": results.values("person").distinct().count(),
        "with_deficits": results.filter(has_deficit=True).values("person").distinct().count(),
        "routes_active": routes.exclude(status__in=(Status.COMPLETED, Status.CLOSED)).count(),
        "routes_completed": routes.filter(status=Status.COMPLETED).count(),
        "overdue_items": due["overdue_items"].count(),
        "audits_due": due["audits_due"].count(),
    }
    return render(request, "accounts/home.html", context)
