from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

from nms.common.aggregates import kept_count

PAGE_SIZE = 25


class KeptCountPaginator(Paginator):
    """A paginator whose count of a big queryset is kept for a while (`kept_count`)."""

    @cached_property
    def count(self):
        if hasattr(self.object_list, "query"):
            return kept_count(self.object_list)
        return super().count


class ApiPagination(PageNumberPagination):
    """The API's pages (REST_FRAMEWORK's DEFAULT_PAGINATION_CLASS) with kept big counts."""

    django_paginator_class = KeptCountPaginator


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """The requested page of a queryset; an out-of-range or bad page number gives the nearest."""
    return KeptCountPaginator(queryset, per_page).get_page(request.GET.get("page"))
