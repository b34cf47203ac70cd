"""Issue 19, acceptance 3: the public tip line end to end in Spanish, and no cookie at the end.

A Spanish browser (Accept-Language es-US) gets Spanish at once; an English one switches with
the "Español" link, and the choice rides in the links (?lang=es), not in a cookie."""

from __future__ import annotations

from typing import Any

import pytest

from safeops.threats.models import Tip
from tests.safeops.factories import DistrictFactory, SchoolFactory

pytestmark = pytest.mark.browser


def file_and_follow_a_tip_in_spanish(page: Any) -> None:
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_role("heading", name="Reporte una preocupación de seguridad").wait_for()
    assert "llame al 911" in page.locator("#call-911").inner_text()
    page.get_by_label("¿Qué vio o escuchó?").fill("Dijo que va a traer un cuchillo el viernes")
    page.get_by_label("¿Qué escuela?").select_option(label="Escuela Valle")
    page.get_by_label("En los próximos días").check()
    page.get_by_role("button", name="Enviar el reporte").click()

    page.get_by_role("heading", name="Gracias: recibimos su reporte").wait_for()
    assert "Anótelos ahora" in page.locator("main").inner_text()
    facts = page.locator("dl.facts").inner_text()
    assert "Código del reporte" in facts and "Frase secreta" in facts
    code = page.locator("#tip-code").inner_text()
    phrase = page.locator("#tip-phrase").inner_text()
    assert Tip.objects.filter(code=code).exists()

    page.get_by_role("link", name="Consultar su reporte").click()
    page.get_by_role("heading", name="Consultar un reporte").wait_for()
    page.get_by_label("Código del reporte").fill(code)
    page.get_by_label("Frase secreta").fill(phrase)
    page.get_by_role("button", name="Ver mi reporte").click()

    page.get_by_role("heading", name=f"Reporte {code}").wait_for()
    assert page.locator("#tip-status").inner_text() == "Recibido"
    assert "Reporte recibido" in page.locator("#tip-timeline").inner_text()
    page.get_by_label("Su respuesta").fill("Fue en la cafetería")
    page.get_by_role("button", name="Enviar mi respuesta").click()
    page.locator("#tip-timeline", has_text="Respuesta de quien reportó").wait_for()
    assert page.locator("html").get_attribute("lang") == "es"


@pytest.mark.django_db(transaction=True)
def test_a_spanish_browser_files_and_follows_a_tip_in_spanish_with_no_cookie(
    browser: Any, live_server: Any
) -> None:
    SchoolFactory(district=DistrictFactory(name="Distrito"), name="Escuela Valle")
    context = browser.new_context(base_url=live_server.url, locale="es-US")
    page = context.new_page()
    page.set_default_timeout(8000)
    page.goto("/tips/")
    file_and_follow_a_tip_in_spanish(page)
    assert context.cookies() == []
    context.close()


@pytest.mark.django_db(transaction=True)
def test_an_english_browser_switches_to_spanish_with_the_link_and_no_cookie(
    browser: Any, live_server: Any
) -> None:
    SchoolFactory(district=DistrictFactory(name="Distrito"), name="Escuela Valle")
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(8000)
    page.goto("/tips/")
    page.get_by_role("heading", name="Report a safety concern").wait_for()
    page.get_by_role("link", name="Español").click()
    file_and_follow_a_tip_in_spanish(page)
    assert context.cookies() == []
    context.close()
