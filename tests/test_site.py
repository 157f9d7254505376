"""``samhandling docs`` without a browser: what the site holds, read from its HTML, checked
against the fixture model's own files; its bytes; its refusals; ``--serve``; the wheel.

The browser tests (tests/test_site_browser.py) load the same kind of site in Chromium.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from .installed import installed, user_folder
from .support import MODEL_DIR, REPO, run_cli

#: One xdist worker builds the module's site (it is built without Graphviz too: the overview
#: then says its picture is missing, and the browser test of the picture is skipped).
pytestmark = pytest.mark.xdist_group("site")


class Page(HTMLParser):
    """The parts of a page the tests read: links, the html lang, h1, alternates, classes."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.lang = ""
        self.links: list[str] = []
        self.alternates: dict[str, str] = {}
        self.switch = ""
        self.h1 = ""
        self.badges = 0
        self._in_h1 = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang") or ""
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
            if "lang-switch" in (found.get("class") or ""):
                self.switch = str(found["href"])
        if tag == "link" and found.get("rel") == "alternate":
            self.alternates[str(found.get("hreflang"))] = str(found.get("href"))
        if tag == "h1":
            self._in_h1 = True
        if tag == "span" and found.get("class") == "badge":
            self.badges += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1 += data


def page(site: Path, path: str) -> Page:
    return Page((site / path).read_text(encoding="utf-8"))


def records(name: str) -> list[dict]:
    return yaml.safe_load((MODEL_DIR / f"{name}.yaml").read_text(encoding="utf-8"))


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site") / "site"
    result = run_cli("docs", str(MODEL_DIR), "-o", str(folder))
    assert result.exit_code == 0, result.stderr
    assert f"wrote {folder}" in result.stderr
    return folder


def test_every_service_has_a_page_in_both_languages_with_its_labels(site: Path) -> None:
    for record in records("tjenester"):
        for lang in ("nb", "en"):
            shown = page(site, f"{lang}/tjeneste/{record['id']}.html")
            assert shown.lang == lang
            assert shown.h1 == record[f"label_{lang}"]
            other = "en" if lang == "nb" else "nb"
            twin = f"../../{other}/tjeneste/{record['id']}.html"
            assert shown.switch == twin
            assert shown.alternates[other] == twin


def test_reuse_shows_on_both_services_pages(site: Path) -> None:
    relations = records("gjenbruk")
    assert relations
    for relation in relations:
        user = page(site, f"en/tjeneste/{relation['service']}.html")
        used = page(site, f"en/tjeneste/{relation['reuses']}.html")
        assert f"../../en/tjeneste/{relation['reuses']}.html" in user.links
        assert f"../../en/tjeneste/{relation['service']}.html" in used.links


def test_a_need_page_shows_its_code_hierarchy(site: Path) -> None:
    need = max(records("behov"), key=lambda r: str(r["code"]).count("."))
    parts = str(need["code"]).split(".")
    assert len(parts) > 2
    html = (site / f"nb/behov/{need['id']}.html").read_text(encoding="utf-8")
    crumbs = html.split('<nav class="crumbs"', 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'href="\.\./\.\./nb/behov/([\d.]+)\.html"', crumbs)
    assert links == [".".join(parts[:n]) for n in range(1, len(parts))]


def test_every_source_of_a_record_is_linked_with_its_page(site: Path) -> None:
    for record in records("tjenester"):
        shown = page(site, f"nb/tjeneste/{record['id']}.html")
        for source in record["source"]:
            tag, _, pages = str(source).partition(":")
            target = f"kilde/{tag}/side-{pages}" if pages else f"kilde/{tag}"
            assert f"../../nb/{target}.html" in shown.links, (record["id"], source)
            cited = page(site, f"nb/{target}.html")  # and the source lists what cites it
            back = "../" * (target.count("/") + 1) + f"nb/tjeneste/{record['id']}.html"
            assert back in cited.links, (target, record["id"])


def test_interpretations_are_marked(site: Path) -> None:
    marked = [r for r in records("scenarioer") if r.get("interpretation")]
    assert marked, "the fixture flags some scenarios as interpretations"
    for record in marked:
        assert page(site, f"en/scenario/{record['id']}.html").badges >= 1
    # services carry no interpretation flag in the fixture: no badge on their pages
    assert page(site, f"en/tjeneste/{records('tjenester')[0]['id']}.html").badges == 0


def test_a_statement_with_its_own_source_shows_it_beside_the_fact(model_copy: Path,
                                                                  tmp_path: Path) -> None:
    services = model_copy / "tjenester.yaml"
    text = services.read_text(encoding="utf-8")
    plan = next(r for r in records("tjenester") if r["id"] == "plan")
    form = plan["preferred_form"][0]
    old = f"  preferred_form: [{form}]\n"
    assert old in text
    services.write_text(text.replace(old, f"  preferred_form: [{{id: {form}, source: 'seed:34', "
                                          "interpretation: true}]\n"), encoding="utf-8")
    out = tmp_path / "site"
    result = run_cli("docs", str(model_copy), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    html = (out / "en/tjeneste/plan.html").read_text(encoding="utf-8")
    row = next(line for line in html.splitlines()
               if f"samhandlingsform/{form}.html" in line and "<tr>" in line)
    assert 'class="badge">Interpretation' in row
    assert "../../en/kilde/seed/side-34.html" in row


def test_every_internal_link_and_asset_exists(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 2 * len(records("tjenester"))
    broken = []
    for path in pages:
        text = path.read_text(encoding="utf-8")
        for ref in re.findall(r'(?:href|src)="(?!data:|https?:|mailto:)([^"#?]+)', text):
            if not (path.parent / ref).resolve().is_file():
                broken.append(f"{path.relative_to(site)} -> {ref}")
    assert not broken, broken[:10]


def test_every_manual_file_is_a_page(site: Path) -> None:
    for source in sorted((REPO / "docs" / "manual").glob("*.md")):
        shown = page(site, f"manual/{source.stem}.html")
        assert shown.lang == "en" and shown.h1, source.name
    cli = (site / "manual/cli.html").read_text(encoding="utf-8")
    assert "Usage: samhandling docs [OPTIONS] [MODEL_DIR]" in cli


def test_two_builds_are_byte_identical_and_a_previous_site_is_replaced(site: Path,
                                                                       tmp_path: Path) -> None:
    again = tmp_path / "again"
    shutil.copytree(site, again)
    (again / "nb" / "stale.html").write_text("from an older site", encoding="utf-8")
    # the same model read from elsewhere (an absolute path, another working directory)
    model = tmp_path / MODEL_DIR.name
    shutil.copytree(MODEL_DIR, model)
    result = run_cli("docs", str(model), "-o", str(again), "-q", cwd=tmp_path)  # no --force
    assert result.exit_code == 0, result.stderr
    assert files_of(again) == files_of(site)


def test_pages_rendered_by_several_processes_are_the_same_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A big site's pages are shared among forked processes; they must write what one
    process writes (the seed is too small to fork for, so the split is forced here)."""
    from samhandling.site import generate

    content = generate.gather(MODEL_DIR)
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    assert generate._write(content, one, parallel=False) == len(files_of(one))
    monkeypatch.setattr(generate, "_workers", lambda content, parallel: 2)
    assert generate._write(content, two) == len(files_of(two))
    assert files_of(one) == files_of(two)


def test_search_index_holds_labels_codes_and_definitions_of_both_languages(site: Path) -> None:
    script = (site / "assets/search-index.js").read_text(encoding="utf-8")
    prefix = "window.SAMHANDLING_INDEX = "
    assert script.startswith(prefix)
    index = json.loads(script[len(prefix):].rstrip().rstrip(";"))
    by_path = {entry["path"]: entry for entry in index}
    for record in records("tjenester"):
        entry = by_path[f"tjeneste/{record['id']}.html"]
        assert entry["label_nb"] == record["label_nb"]
        assert entry["label_en"] == record["label_en"]
        assert entry["code"] == record.get("code", "")
        for alt in record.get("alt_label_nb", []):
            assert alt in entry["alt"]
    assert (site / "assets/minisearch.js").stat().st_size > 10_000


def test_rules_page_counts_what_validate_reports(site: Path) -> None:
    result = run_cli("validate", str(MODEL_DIR), "--format", "json")
    report = json.loads(result.stdout)
    flagged: dict[str, set[str]] = {}
    for item in report["results"]:
        flagged.setdefault(item["shape"], set()).add(item["focus"])
    assert flagged
    html = (site / "en/shapes.html").read_text(encoding="utf-8")
    for shape, foci in flagged.items():
        row = html.split(f'<tr id="{shape}">', 1)[1].split("</tr>", 1)[0]
        assert row.rstrip().endswith(f"<td>{len(foci)}</td>"), shape
    validation = (site / "en/validation.html").read_text(encoding="utf-8")
    assert validation.count('<td class="where">') == len(report["results"])
    for item in report["results"]:  # and each finding on the page of what it is about
        html = (site / "en" / f"{item['focus']}.html").read_text(encoding="utf-8")
        assert f'shapes.html#{item["shape"]}"' in html.split("What validation finds", 1)[1]


def test_queries_page_lists_the_library_with_todays_rows(site: Path) -> None:
    listing = run_cli("query", "--list").stdout
    names = [line.split()[0] for line in listing.splitlines() if line and not line[0].isspace()]
    html = (site / "en/queries.html").read_text(encoding="utf-8")
    for name in names:
        assert f'<h2 id="{name}">' in html
    rows = json.loads(run_cli("query", "services", str(MODEL_DIR), "--format", "json").stdout)
    section = html.split('<h2 id="services">', 1)[1].split("<h2", 1)[0]
    assert f"<p>{len(rows)} rows" in section


def test_refuses_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_cli("docs", str(MODEL_DIR), "-o", str(folder))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert "--force" in result.stderr
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    forced = run_cli("docs", str(MODEL_DIR), "-o", str(folder), "--force", "-q")
    assert forced.exit_code == 0, forced.stderr
    assert not (folder / "notes.txt").exists() and (folder / "nb/index.html").is_file()


def test_a_model_that_does_not_load_writes_nothing(model_copy: Path, tmp_path: Path) -> None:
    (model_copy / "tjenester.yaml").write_text("- id: Bad Id\n", encoding="utf-8")
    out = tmp_path / "site"
    result = run_cli("docs", str(model_copy), "-o", str(out))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("error: ") for line in lines)
    assert "tjenester.yaml:1" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_without_graphviz_the_site_is_built_and_says_the_picture_is_missing(
        tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}  # no dot on it
    if shutil.which("dot", path=env["PATH"]):
        pytest.skip("Graphviz 'dot' sits beside this Python: cannot hide it")
    proc = subprocess.run([sys.executable, "-m", "samhandling", "docs", str(MODEL_DIR), "-o",
                           str(tmp_path / "site"), "-q"], capture_output=True, text=True,
                          env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "site/en/index.html").read_text(encoding="utf-8")
    assert "The diagram is missing: Graphviz (dot) was not available" in html
    assert 'class="diagram"' not in html


def test_serve_refuses_a_port_in_use_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("docs", str(MODEL_DIR), "-o", str(tmp_path / "site"), "--serve",
                         "--port", str(port))
    assert result.exit_code == 2
    assert result.stderr == f"error: port {port} on 127.0.0.1 is in use; choose another " \
                            "with --port\n"
    assert not (tmp_path / "site").exists()


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.read().decode("utf-8")


def test_serve_rebuilds_when_the_model_changes(model_copy: Path, tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "samhandling", "docs", str(model_copy), "-o",
                             str(tmp_path / "site"), "--serve", "--port", "0"],
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line
        url = f"http://127.0.0.1:{match.group(1)}/en/tjeneste/plan.html"
        assert "<h1>Plan</h1>" in _fetch(url)
        services = model_copy / "tjenester.yaml"
        services.write_text(services.read_text(encoding="utf-8").replace(
            "label_en: Plan\n", "label_en: Care plan\n"), encoding="utf-8")
        deadline = time.monotonic() + 60
        while "<h1>Care plan</h1>" not in _fetch(url):
            assert time.monotonic() < deadline, "no rebuild within 60 s"
            time.sleep(0.5)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.xdist_group("installed")
def test_installed_wheel_writes_the_site_with_its_templates_and_scripts() -> None:
    inst = installed("wheel")
    here = user_folder("docs-site")
    target = here / "model"
    if not target.exists():
        shutil.copytree(MODEL_DIR, target)
    proc = inst.run("docs", "model", "-o", "site", cwd=here)
    assert proc.returncode == 0, proc.stderr
    assert "wrote site" in proc.stderr
    plan = page(here / "site", "nb/tjeneste/plan.html")
    assert plan.h1 == "Plan" and plan.lang == "nb"
    for asset in ("site.css", "search.js", "minisearch.js", "search-index.js"):
        assert (here / "site/assets" / asset).stat().st_size > 100, asset
    assert "Plan" in (here / "site/assets/search-index.js").read_text(encoding="utf-8")
    # the manual ships in the wheel: its pages and the reference made from --help
    assert 'id="samhandling-docs"' in (here / "site/manual/cli.html").read_text("utf-8")
    for source in sorted((REPO / "docs" / "manual").glob("*.md")):
        assert (here / "site/manual" / f"{source.stem}.html").is_file(), source.name
