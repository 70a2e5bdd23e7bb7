"""The map's rows written in Python are the HTML the template's loop wrote."""

from django.template import Context, Template

from nms.deficits import maps
from nms.deficits.views import _rows_html, _styled

# The loop as it was in deficits/map_deficits.html.
TEMPLATE = """{% load nms %}{% for row, cells, link in rows %}
    <tr>
      <td>{% if link %}<a href="{{ link }}">{{ row.label|typo }}</a>{% else %}{{ row.label|typo }}{% endif %}{% if row.note %}<br><span class="muted">{{ row.note }}</span>{% endif %}</td>
      <td>{{ row.people|num }}</td>
      <td>{{ row.with_deficit|num }} <span class="muted">({{ row.share }}&nbsp;%)</span></td>
      {% for cell, css in cells %}<td class="heat-cell" data-style="{{ css }}">{% if cell %}<strong>{{ cell.share }}&nbsp;%</strong><br><small>{{ cell.deficit }} из {{ cell.people }}</small>{% else %}—{% endif %}</td>{% endfor %}
    </tr>
  {% endfor %}"""  # noqa: E501


def test_the_same_html_as_the_template():
    rows = [
        maps.Row(
            1,
            'МБОУ «Школа № 6» & <b>"лицей"</b>',
            "г. Краснореченск",
            12345,
            6789,
            [maps.Cell(3, 1), None, maps.Cell(2000, 1999)],
        ),
        maps.Row(None, "Без организации", "", 7, 0, [maps.Cell(7, 0), maps.Cell(0, 0), None]),
        maps.Row(3, "94,44 % учителей", "", 3, 3, []),
    ]
    shown = [
        (row, _styled(row), "?a=1&breakdown=subject" if row.key == 1 else None) for row in rows
    ]
    expected = Template(TEMPLATE).render(Context({"rows": shown}))
    assert _rows_html(shown) == expected
    assert "&amp;" in expected and "&lt;b&gt;" in expected and "12\xa0345" in expected
