"""The columns of the portal's working lists (see nms.common.tables)."""

from nms.common.tables import Column, Table, display


def _period(obj) -> str:
    return f"{display(obj.starts_on)} – {display(obj.ends_on)}"


class SiteTable(Table):
    project = Column("Проект", link="innovation-site-detail", sort="project")
    organization = Column("Организация", "organization.short_name", sort="organization__short_name")
    municipality = Column("Муниципалитет", "organization.municipality.name")
    topic = Column("Направление", sort="topic")
    period = Column("Период", _period, sort="starts_on")
    status = Column("Состояние", "get_status_display", sort="status")
    decision = Column(
        "Приказ",
        lambda s: f"№ {s.order_number} от {display(s.order_date)}" if s.order_number else "",
    )


class CommunityTable(Table):
    name = Column("Сообщество", link="community-detail", sort="name")
    kind = Column("Вид", "get_kind_display", sort="kind")
    level = Column("Уровень", "get_level_display", sort="level")
    municipality = Column("Муниципалитет", "municipality.name", empty="регион")
    topic = Column("Тематика")
    members = Column("Участников", "member_count", sort="member_count")
    published = Column("На портале", sort="published")


class ResourceTable(Table):
    title = Column("Ресурс", link="resource-detail", sort="title")
    kind = Column("Вид", "get_kind_display", sort="kind")
    audience = Column("Для кого", "get_audience_display", sort="audience")
    tags = Column("Теги")
    published = Column("На портале", sort="published")


class NewsTable(Table):
    title = Column("Заголовок", link="news-detail", sort="title")
    published_on = Column("Дата", sort="published_on")
    published = Column("Опубликована", sort="published")
