import pytest
from django.template import Context, Template

from nms.common.text import count_with, group_digits, plural

FORMS = ("работник", "работника", "работников")


@pytest.mark.parametrize(
    ("n", "word"),
    [
        (0, "работников"),
        (1, "работник"),
        (2, "работника"),
        (5, "работников"),
        (11, "работников"),
        (12, "работников"),
        (14, "работников"),
        (21, "работник"),
        (22, "работника"),
        (25, "работников"),
        (111, "работников"),
        (101, "работник"),
        (1004, "работника"),
    ],
)
def test_plural_agrees_with_the_number(n, word):
    assert plural(n, *FORMS) == word


def test_count_with_joins_by_a_non_breaking_space_and_groups_digits():
    assert count_with(21, *FORMS) == "21\u00a0работник"
    assert count_with(11500, *FORMS) == "11\u00a0500\u00a0работников"
    assert group_digits(1500) == "1500"
    assert group_digits(1234567) == "1\u00a0234\u00a0567"


def test_template_filters():
    rendered = Template(
        '{% load nms %}{{ a }} {{ a|plural:"работник,работника,работников" }}; '
        '{{ b|count_with:"организация,организации,организаций" }}'
    ).render(Context({"a": 22, "b": 5}))
    assert rendered == "22 работника; 5\u00a0организаций"


def test_a_fraction_takes_the_genitive_singular():
    from decimal import Decimal

    assert plural(Decimal("12.5"), "год", "года", "лет") == "года"
    assert plural(Decimal("12.0"), "год", "года", "лет") == "лет"
    rendered = Template('{% load nms %}{{ y|plural:"год,года,лет" }}').render(
        Context({"y": Decimal("1.5")})
    )
    assert rendered == "года"


def test_typography_keeps_numero_and_percent_with_their_numbers():
    from django.utils.safestring import SafeString, mark_safe

    from nms.common.tables import display
    from nms.common.text import typography

    assert typography("МБОУ «Школа № 6», 94,44 %") == "МБОУ «Школа №\u00a06», 94,44\u00a0%"
    assert display("школа № 6") == "школа №\u00a06"
    cell = display(mark_safe("<b>50 %</b>"))
    assert isinstance(cell, SafeString) and cell == "<b>50\u00a0%</b>"
    rendered = Template("{% load nms %}{{ n|num }}|{{ s|typo }}").render(
        Context({"n": 11500, "s": "№ 6 <b>"})
    )
    assert rendered == "11\u00a0500|№\u00a06 &lt;b&gt;"
