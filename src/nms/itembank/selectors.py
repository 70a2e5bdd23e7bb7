"""Reads of the item bank, each starting from the user's scope: the bank holds answer keys and is
for its authors and reviewers."""

import re

from django.db.models import Count, Q, QuerySet

from nms.accounts.scope import scope_of
from nms.common.text import search_tokens
from nms.itembank.models import CompetencyArea, Item


def items_visible(user) -> QuerySet[Item]:
    return scope_of(user).visible(Item).select_related("area", "subject", "subcompetency")


def areas_with_subcompetencies():
    return CompetencyArea.objects.prefetch_related("subcompetencies").annotate(
        items_count=Count("items")
    )


# -- search ------------------------------------------------------------------------------------
def _letters_pattern(token: str) -> str:
    """A regular expression matching the token in any case and with ё for е.

    Spelled out letter by letter because SQLite folds the case of Latin letters only.
    """
    parts = []
    for char in token:
        if char == "е":
            parts.append("[еЕёЁ]")
        elif char.upper() != char and len(char.upper()) == 1:
            parts.append(f"[{char}{char.upper()}]")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


def search_items(queryset: QuerySet[Item], query: str) -> QuerySet[Item]:
    """Every word of the query in the code or the wording; case and ё/е ignored."""
    for token in search_tokens(query):
        pattern = _letters_pattern(token)
        queryset = queryset.filter(Q(code__regex=pattern) | Q(text__regex=pattern))
    return queryset
