"""The app's settings (environment or settings.py), with their defaults.

NMS_PRACTICE_REVIEWS   expert reviews of the current round an item needs before the ЦНППМ may
                       publish it (2); more than half of them must say «опубликовать»
NMS_CATALOG_FILE_BYTES a file of an item's materials may be this big, in bytes (20 MB)
"""

import os

from django.conf import settings

# What a file of an item's materials may be (lower-case extensions).
FILE_EXTENSIONS = (
    ".pdf", ".doc", ".docx", ".odt", ".rtf", ".txt", ".ppt", ".pptx", ".odp", ".xls", ".xlsx",
    ".ods", ".zip", ".jpg", ".jpeg", ".png", ".mp4",
)  # fmt: skip


def _setting(name: str, default) -> int:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, "").strip() or default
    return int(value)


def reviews_required() -> int:
    return max(_setting("NMS_PRACTICE_REVIEWS", 2), 1)


def file_bytes() -> int:
    return _setting("NMS_CATALOG_FILE_BYTES", 20 * 1024 * 1024)
