"""Text normalisation for search: case-folded, ё searched as е, spaces collapsed."""

import re


def search_key(*parts: str | None) -> str:
    text = " ".join(p for p in parts if p)
    return re.sub(r"\s+", " ", text.lower().replace("ё", "е")).strip()


def search_tokens(query: str) -> list[str]:
    return [t for t in search_key(query).split(" ") if t]
