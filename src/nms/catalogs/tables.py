"""The columns of the catalogs lists (see nms.common.tables); each reads only what the list's
selector fetched."""

from nms.catalogs.selectors import author_names
from nms.common.tables import Column, Table


def _authors(item) -> str:
    return ", ".join(author_names(item))


def _organization(item) -> str:
    return item.organization.short_name if item.organization_id else ""


def _municipality(item) -> str:
    return item.organization.municipality.name if item.organization_id else ""


class PracticeTable(Table):
    title = Column("Практика", link="catalogs-practice-detail", sort="title")
    authors = Column("Авторы", _authors)
    organization = Column("Организация", _organization)
    municipality = Column("Муниципалитет", _municipality)
    level = Column("Уровень", "get_level_display", sort="level")
    status = Column("Состояние", "get_status_display", sort="status")
    published_on = Column("Опубликована", sort="published_on")


class MaterialTable(Table):
    title = Column("Материал", link="catalogs-material-detail", sort="title")
    material_kind = Column("Вид", "get_material_kind_display", sort="material_kind")
    authors = Column("Авторы", _authors)
    organization = Column("Организация", _organization)
    level = Column("Уровень", "get_level_display", sort="level")
    status = Column("Состояние", "get_status_display", sort="status")
    published_on = Column("Опубликован", sort="published_on")
