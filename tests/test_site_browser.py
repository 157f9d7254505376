"""The site in a real browser: headless Chromium (Debian's ``chromium``) driven by Playwright
for Python, pointed at the system browser (Playwright never downloads one here).

The site is built once from the fixture model and served on 127.0.0.1 from this process;
one browser and one context serve every test. Skipped with a named reason where Chromium is
missing (the ``needs_chromium`` marker) or where Playwright is not installed; with
``SAMHANDLING_REQUIRE_TOOLS`` set, either missing is an error.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
import yaml

from .conftest import REQUIRE_TOOLS
from .support import MODEL_DIR, run_cli

try:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
except ImportError as missing:  # pragma: no cover - depends on the environment
    if os.environ.get(REQUIRE_TOOLS):
        raise
    pytest.skip(f"needs Playwright for Python and axe-playwright-python ({missing.name} is "
                "missing: pip install -e '.[test]')", allow_module_level=True)

#: One xdist worker runs the module: one site, one server, one browser.
pytestmark = [pytest.mark.needs_chromium, pytest.mark.xdist_group("browser")]

#: Flags for a quiet, offline headless Chromium (no sandbox: the tests may run as root).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
#: Impacts that fail the accessibility check (axe also reports moderate and minor ones).
FAILING_IMPACTS = ("serious", "critical")


def _records(name: str) -> list[dict]:
    return yaml.safe_load((MODEL_DIR / f"{name}.yaml").read_text(encoding="utf-8"))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("browser") / "site"
    result = run_cli("docs", str(MODEL_DIR), "-o", str(folder), "-q")
    assert result.exit_code == 0, result.stderr
    return folder


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    assert executable is not None  # the needs_chromium marker skips otherwise
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def context(browser: Browser) -> Iterator[BrowserContext]:
    made = browser.new_context()
    made.set_default_timeout(15_000)
    try:
        yield made
    finally:
        made.close()


@pytest.fixture()
def page(context: BrowserContext) -> Iterator[Page]:
    opened = context.new_page()
    try:
        yield opened
    finally:
        opened.close()


def test_every_page_loads_without_errors_and_no_link_is_broken(page: Page,
                                                                base_url: str) -> None:
    """Crawl from the root: each page loads with status 200 and no console error; each
    link, stylesheet and script it names exists, and each #fragment names an element."""
    problems: list[str] = []
    current = {"url": ""}
    page.on("console", lambda m: problems.append(f"{current['url']}: console {m.type}: "
                                                  f"{m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"{current['url']}: {e}"))
    seen: set[str] = set()
    assets: set[str] = set()
    fragments: list[tuple[str, str, str]] = []
    ids_of: dict[str, set[str]] = {}
    queue = [base_url + "index.html"]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        current["url"] = url
        answer = page.goto(url, wait_until="load")
        if answer is None or answer.status != 200:
            problems.append(f"{url}: status {answer.status if answer else 'none'}")
            continue
        found = page.evaluate("""() => ({
            links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
            assets: [...document.querySelectorAll('link[href], script[src]')]
                .map(e => e.getAttribute('href') || e.getAttribute('src')),
            ids: [...document.querySelectorAll('[id]')].map(e => e.id)})""")
        ids_of[url] = set(found["ids"])
        for href in found["links"]:
            target, fragment = urldefrag(urljoin(url, href))
            if urlparse(target).netloc != urlparse(base_url).netloc:
                if not url.startswith(base_url + "manual/"):  # only the manual cites the web
                    problems.append(f"{url}: link leaves the site: {href}")
                continue
            if fragment:
                fragments.append((url, target, fragment))
            if target.endswith(".html") and target not in seen:
                queue.append(target)
            elif not target.endswith(".html") and "?" not in target:
                assets.add(target)
        assets.update(urljoin(url, ref) for ref in found["assets"]
                      if not ref.startswith("data:"))
    for source, target, fragment in fragments:
        if target in ids_of and fragment not in ids_of[target]:
            problems.append(f"{source}: no element #{fragment} in {target}")
    for asset in sorted(assets):
        status = page.request.get(asset).status
        if status != 200:
            problems.append(f"missing asset {asset} ({status})")
    pages_per_language = len(_records("tjenester"))
    assert len(seen) > 2 * pages_per_language
    assert not problems, problems[:10]


def test_language_switch_lands_on_the_same_service(page: Page, base_url: str) -> None:
    record = next(r for r in _records("tjenester") if r["label_nb"] != r["label_en"])
    page.goto(f"{base_url}nb/tjeneste/{record['id']}.html")
    assert page.locator("h1").inner_text() == record["label_nb"]
    page.locator("a.lang-switch").click()
    page.wait_for_url(f"**/en/tjeneste/{record['id']}.html")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == record["label_en"]


def _hits(page: Page) -> list[str]:
    page.wait_for_selector("#search-results p")
    return page.locator("#search-results ul.hits a").all_inner_texts()


def test_search_for_legemiddel_finds_legemidler_og_vaksiner(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}nb/search.html")
    page.fill("#q-page", "legemiddel")
    assert "Legemidler og vaksiner" in _hits(page)
    page.get_by_role("link", name="Legemidler og vaksiner", exact=True).click()
    page.wait_for_url("**/nb/tjeneste/legemidler-og-vaksiner.html")


def test_search_for_an_it_code_finds_its_service(page: Page, base_url: str) -> None:
    coded = [r for r in _records("tjenester") if r.get("code")]
    assert coded
    for record in coded[:3]:
        page.goto(f"{base_url}en/search.html?q={record['code']}")
        hits = _hits(page)
        assert hits and hits[0] == record["label_en"], (record["code"], hits)


def test_the_header_search_box_opens_the_search_page(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}en/tjeneste/plan.html")
    page.fill("#q-header", "clinical summary")
    page.locator("header form button").click()
    page.wait_for_url("**/en/search.html?q=clinical+summary")
    assert "Clinical summary" in _hits(page)


@pytest.mark.needs_dot  # the services picture is laid out by Graphviz
def test_clicking_a_service_in_the_diagram_opens_its_page(page: Page, base_url: str) -> None:
    record = _records("tjenester")[-1]
    page.goto(f"{base_url}nb/index.html")
    node = page.locator(f"svg.diagram a[href='tjeneste/{record['id']}.html']")
    assert node.count() == 1
    node.click()
    page.wait_for_url(f"**/nb/tjeneste/{record['id']}.html")
    assert page.locator("h1").inner_text() == record["label_nb"]
    # and its focus diagram links back out
    assert page.locator("svg.diagram.focus a").count() >= 1


#: One page of each type: the frame, an entity, a list, each reference page, a search.
AXE_PAGES = ("index.html", "nb/index.html", "nb/tjeneste/plan.html", "en/behov/20.30.html",
             "en/list/service.html", "nb/ontology.html", "en/shapes.html", "nb/queries.html",
             "en/validation.html", "nb/search.html?q=plan", "en/kilde/seed.html",
             "manual/index.html", "manual/05-analysis.html", "manual/cli.html")


def test_axe_finds_no_serious_or_critical_violation(page: Page, base_url: str) -> None:
    axe = Axe()
    found = []
    for path in AXE_PAGES:
        page.goto(base_url + path)
        if "search" in path:
            page.wait_for_selector("#search-results p")
        for violation in axe.run(page).response["violations"]:
            if violation.get("impact") in FAILING_IMPACTS:
                nodes = [n.get("target") for n in violation.get("nodes", [])][:3]
                found.append(f"{path}: {violation['id']} ({violation['impact']}) {nodes}")
    assert not found, found


def test_search_works_from_file_url(page: Page, site: Path) -> None:
    page.goto((site / "nb" / "search.html").as_uri() + "?q=legemiddel")
    assert "Legemidler og vaksiner" in _hits(page)
    page.get_by_role("link", name="Legemidler og vaksiner", exact=True).click()
    page.wait_for_url("file://**/nb/tjeneste/legemidler-og-vaksiner.html")
