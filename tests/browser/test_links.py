"""Every link of every page leads somewhere: each page reached by following links from the home page (and from the
journal, once signed in) opens as a page with a title, and each #anchor exists on its page. Nothing is loaded
from anywhere but the service itself (the browser has no other host to reach)."""
from __future__ import annotations

from urllib.parse import urldefrag, urlparse


def _crawl(page, start: str, limit: int = 400) -> dict[str, str]:
    """{path: h1} of every page reachable from start by same-site links; fails on any error page or lost anchor."""
    seen: dict[str, str] = {}
    ids_of: dict[str, set] = {}
    queue = [start]
    anchors: list[tuple[str, str, str]] = []
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        page.open(path)
        title = page.find("h1").text
        assert title not in ("Page introuvable", "Erreur interne"), f"{path}: {title}"
        seen[path] = title
        resources = page.driver.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)")
        assert all(url.startswith(page.base) for url in resources), (path, resources)
        ids_of[path] = set(page.driver.execute_script(
            "return [...document.querySelectorAll('[id]')].map(e => e.id)"))
        for href in page.driver.execute_script("return [...document.querySelectorAll('a[href]')].map(a => a.href)"):
            if not href.startswith(page.base):
                assert href.startswith("data:"), f"{path} links out of the service: {href}"
                continue
            target, fragment = urldefrag(href.removeprefix(page.base))
            target = target or path
            if urlparse(target).path in ("/docs", "/openapi.json") or target.startswith("/statique/"):
                continue
            if fragment:
                anchors.append((path, target, fragment))
            if target not in seen:
                queue.append(target)
    assert not queue, f"more than {limit} pages: {queue[:5]}"
    lost = [f"{source} -> {target}#{fragment}" for source, target, fragment in anchors
            if fragment not in ids_of.get(target, ())]
    assert not lost, "links to anchors that do not exist:\n" + "\n".join(lost)
    return seen


def test_every_link_from_the_home_page_leads_to_a_page(page):
    seen = _crawl(page, "/")
    assert "/politiques/certifpro/parametres/frais.instruction" in seen
    assert "/politiques/cpne_exemple/reglement" in seen
    assert seen["/decisions"] == "Accès réservé"   # no accounts here: the journal says an administrator must set them up


def test_every_link_of_the_journal_leads_to_a_page(signed_in):
    signed_in.open("/evaluer?exemple=habilite-renouvele-frais")
    signed_in.click("main form button[type=submit]")         # at least one decision in the journal
    seen = _crawl(signed_in, "/decisions")
    assert any(path.startswith("/decisions/") and len(path) > 30 for path in seen)   # a decision's page


def test_the_style_sheet_and_icon_are_served_by_the_service(page):
    page.open("/")
    for path in ("/statique/clea.css", "/statique/favicon.svg"):
        page.open(path)
        assert "404" not in page.driver.title
    page.open("/")
    assert page.driver.execute_script(
        "return getComputedStyle(document.querySelector('.entete nav a[aria-current]')).borderBottomStyle") == "solid"
