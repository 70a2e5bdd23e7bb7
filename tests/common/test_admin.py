"""The admin is branded «НМС — администрирование», in Russian, without a raw «AXES» section."""

import pytest

pytestmark = pytest.mark.django_db


def test_admin_is_branded_and_russian(admin_client):
    page = admin_client.get("/admin/").content.decode()
    assert "НМС — администрирование" in page
    assert "Django" not in page.split("<body", 1)[1].split("</header>", 1)[0]
    assert "Администрирование Django" not in page
    assert ">Axes<" not in page and "AXES" not in page
    assert "Блокировка входа после неудачных попыток" in page
