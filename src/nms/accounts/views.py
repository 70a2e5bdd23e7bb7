from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from nms.registry.selectors import home_counts


@login_required
def home(request):
    return render(request, "accounts/home.html", {"counts": home_counts(request.user)})
