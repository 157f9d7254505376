"""ArchiMate Open Exchange export and import (issue 15), through the CLI as users meet it.

The XSDs, Archi's relationship table and the sample models live in ``../shared/archimate/``
beside the checkout (not copied into the project); tests that need them skip with a named
reason when it is absent. That skip is deliberately not subject to SAMHANDLING_REQUIRE_TOOLS:
it is reference data, not a tool.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from defusedxml.ElementTree import parse as safe_parse
from lxml import etree
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from samhandling.archimate import describe
from samhandling.archimate.mapping import EXCHANGE_NS, FOLDERS, carried
from samhandling.build import load_model
from samhandling.namespaces import SAM

from .installed import installed, user_folder
from .support import FIXTURES, MODEL_DIR, REPO, run_cli

SHARED = REPO.parent / "shared" / "archimate"
XSD = SHARED / "xsd"
SAMPLES = SHARED / "samples"
HOSTILE = FIXTURES / "archimate"
NO_SHARED = f"needs the ArchiMate reference files in {SHARED} (schemas, samples)"
needs_shared = pytest.mark.skipif(not XSD.is_dir(), reason=NO_SHARED)
NS = {"a": EXCHANGE_NS, "xsi": "http://www.w3.org/2001/XMLSchema-instance"}
XSI_TYPE = f"{{{NS['xsi']}}}type"
NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")


class _LocalXml(etree.Resolver):
    """xml.xsd from the local copy: the schema imports it by URL, never fetched."""

    def resolve(self, url, pubid, context):  # type: ignore[no-untyped-def]
        if url.endswith("xml.xsd"):
            return self.resolve_filename(str(XSD / "xml.xsd"), context)
        return None


def _parser() -> etree.XMLParser:
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(_LocalXml())
    return parser


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    if not XSD.is_dir():
        pytest.skip(NO_SHARED)
    wrapper = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <xs:import namespace="{EXCHANGE_NS}"
                 schemaLocation="{(XSD / 'archimate3_Diagram.xsd').as_uri()}"/>
      <xs:import namespace="http://purl.org/dc/elements/1.1/"
                 schemaLocation="{(XSD / 'dc.xsd').as_uri()}"/>
    </xs:schema>"""
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), _parser()))


def _valid(schema: etree.XMLSchema, path: Path) -> None:
    doc = etree.parse(str(path), _parser())
    assert schema.validate(doc), [str(e) for e in schema.error_log][:5]


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The frozen seed model with what it predates: fastlege as a role, and two plateaus."""
    folder = tmp_path_factory.mktemp("source") / "model"
    shutil.copytree(MODEL_DIR, folder)
    actors = folder / "aktorer.yaml"
    text = actors.read_text(encoding="utf-8")
    assert "- id: fastlege\n  type: aktor\n" in text
    actors.write_text(text.replace("- id: fastlege\n  type: aktor\n",
                                   "- id: fastlege\n  type: rolle\n"), encoding="utf-8")
    shutil.copy(HOSTILE / "plataer.yaml", folder / "plataer.yaml")
    # a value with its own source and interpretation flag (the per-value form): its
    # statement travels as the relationship's properties
    text = actors.read_text(encoding="utf-8")
    plain = "  part_of: kommunal-helse-og-omsorgstjeneste\n  source: [seed:27]\n"
    assert plain in text
    actors.write_text(text.replace(plain, "  part_of: {id: kommunal-helse-og-omsorgstjeneste, "
                                          "source: vg, interpretation: true}\n"
                                          "  source: [seed:27]\n", 1), encoding="utf-8")
    # and qualified values of columns that travel as properties: one in the records, one a
    # ref to a record the exchange does not carry (a maturity rating: the passthrough file)
    services = folder / "tjenester.yaml"
    text = services.read_text(encoding="utf-8")
    for plain, qualified in (("  code: IT01\n", "  code: {value: IT01, interpretation: true}\n"),
                             ("  maturity_2023: y\n",
                              "  maturity_2023: {id: y, source: vg, status: besluttet}\n")):
        assert plain in text
        text = text.replace(plain, qualified, 1)
    services.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, source: Path) -> Path:
    """The model exported once (with views: Graphviz) and shared by the tests."""
    out = tmp_path_factory.mktemp("archimate") / "model.xml"
    result = run_cli("export", "archimate", str(source), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert re.search(r"\d+ elements, \d+ relationships, \d+ views", result.stderr)
    return out


@pytest.fixture(scope="module")
def root(exported: Path) -> etree._Element:
    return etree.parse(str(exported), _parser()).getroot()


# -- export ----------------------------------------------------------------------------------

@needs_shared
@pytest.mark.needs_dot
def test_export_validates_against_the_open_group_schemas(exported: Path,
                                                         schema: etree.XMLSchema) -> None:
    _valid(schema, exported)


@needs_shared
@pytest.mark.needs_dot
def test_every_relationship_written_is_allowed_by_the_archimate_table(
        root: etree._Element) -> None:
    table = safe_parse(SHARED / "relationships.xml").getroot()
    letters = {"Access": "a", "Composition": "c", "Flow": "f", "Aggregation": "g",
               "Assignment": "i", "Influence": "n", "Association": "o", "Realization": "r",
               "Specialization": "s", "Triggering": "t", "Serving": "v"}
    allowed = {(s.get("concept"), t.get("concept")): t.get("relations", "")
               for s in table for t in s}
    types = {e.get("identifier"): e.get(XSI_TYPE) for e in root.iterfind(".//a:element", NS)}
    relationships = root.findall(".//a:relationship", NS)
    assert len(relationships) > 100
    # the rows with exceptions and the newer kinds are among them
    assert {"BusinessRole", "Plateau"} <= set(types.values())
    assert {rel.get(XSI_TYPE) for rel in relationships} >= {"Triggering", "Association",
                                                             "Aggregation", "Access"}
    wrong = []
    for rel in relationships:
        pair = (types[rel.get("source")], types[rel.get("target")])
        if letters[rel.get(XSI_TYPE)] not in allowed.get(pair, ""):
            wrong.append((rel.get(XSI_TYPE), *pair))
    assert not wrong, sorted(set(wrong))


@pytest.mark.needs_dot
def test_export_is_byte_identical_twice(exported: Path, source: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.xml"
    assert run_cli("export", "archimate", str(source), "-o", str(again)).exit_code == 0
    assert again.read_bytes() == exported.read_bytes()


@pytest.mark.needs_dot
def test_identifiers_are_ncnames_from_the_iris_and_names_nb_first(root: etree._Element,
                                                                  source: Path) -> None:
    model = load_model(source)
    services = {str(s) for s in model.graph.subjects(
        None, None) if str(s).startswith("https://w3id.org/samhandling/tjeneste/")}
    ids = [e.get("identifier") for e in root.iter() if e.get("identifier")]
    assert ids and all(NCNAME.match(i) for i in ids)
    assert len(ids) == len(set(ids))
    elements = {e.get("identifier"): e for e in root.iterfind(".//a:element", NS)}
    for iri in services:
        element = elements[f"tjeneste.{iri.rsplit('/', 1)[1]}"]
        assert element.get(XSI_TYPE) == "ApplicationService"
        langs = [n.get("{http://www.w3.org/XML/1998/namespace}lang")
                 for n in element.findall("a:name", NS)]
        assert langs == ["nb", "en"]
        values = [v.text for v in element.iterfind(".//a:value", NS)]
        assert iri in values


@pytest.mark.needs_dot
def test_folders_are_archis_and_hold_every_concept_once(root: etree._Element) -> None:
    tops = root.findall("a:organizations/a:item", NS)
    labels = [t.find("a:label", NS).text for t in tops]
    assert labels == [f for f in FOLDERS if f in labels]  # Archi's names, in Archi's order
    assert {"Business", "Application", "Motivation", "Implementation & Migration", "Other",
            "Relations", "Views"} <= set(labels)
    refs = [i.get("identifierRef") for i in root.iterfind(".//a:item[@identifierRef]", NS)]
    concepts = [c.get("identifier") for tag in ("element", "relationship", "view")
                for c in root.iterfind(f".//a:{tag}", NS)]
    assert sorted(refs) == sorted(concepts)


@pytest.mark.needs_dot
def test_views_follow_the_picture_layout(root: etree._Element, source: Path) -> None:
    from samhandling.analysis.graphs import model_graphs
    from samhandling.analysis.views import view_graph
    from samhandling.render.layout import layout
    from samhandling.render.options import DotOptions

    views = root.findall(".//a:view", NS)
    graphs = model_graphs(load_model(source))
    assert len(views) == 1 + len(graphs.index.group_labels)
    for view in views:
        children = [c.tag.split("}")[1] for c in view if c.tag.split("}")[1] in ("node",
                                                                                 "connection")]
        assert children == sorted(children, key=lambda t: t != "node")  # nodes first
        for node in view.iter(f"{{{EXCHANGE_NS}}}node"):
            assert all(node.get(k).isdigit() for k in ("x", "y", "w", "h"))
    overview = next(v for v in views if v.get("identifier") == "view.services")
    placed = layout(view_graph(graphs, "services"), DotOptions(lang="nb"))
    item = placed.nodes[0]
    node = overview.find(f".//a:node[@elementRef='tjeneste.{item.node.rsplit('/', 1)[1]}']",
                         NS)
    assert node is not None
    assert (int(node.get("x")), int(node.get("w"))) == (round(item.box.left * 96),
                                                        round(item.box.width * 96))
    assert overview.findall("a:connection", NS)


@needs_shared
def test_a_view_too_large_for_graphviz_is_a_grid_by_main_group(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, schema: etree.XMLSchema) -> None:
    """Above the layout limit (a national model) no ``dot`` runs: services stand in rows in
    their main group's frame, apart from each other."""
    from samhandling.archimate import views
    from samhandling.archimate.files import export_archimate

    monkeypatch.setattr(views, "LAYOUT_LIMIT", 0)
    monkeypatch.setenv("PATH", "/nonexistent")  # no Graphviz: it must not be needed
    out = tmp_path / "grid.xml"
    export_archimate(MODEL_DIR, out)
    _valid(schema, out)
    root = etree.parse(str(out), _parser()).getroot()
    overview = root.find(".//a:view[@identifier='view.services']", NS)
    frames = overview.findall("a:node", NS)
    assert frames and all(f.get("elementRef", "").startswith("hovedgruppe.") for f in frames)
    boxes = [tuple(int(n.get(k)) for k in ("x", "y", "w", "h"))
             for f in frames for n in f.findall("a:node", NS)]
    assert len(boxes) == 26
    for i, (x, y, w, h) in enumerate(boxes):
        for (x2, y2, w2, h2) in boxes[i + 1:]:
            assert x + w <= x2 or x2 + w2 <= x or y + h <= y2 or y2 + h2 <= y


def test_a_control_character_in_a_label_cannot_break_the_file(model_copy: Path,
                                                               tmp_path: Path) -> None:
    services = model_copy / "tjenester.yaml"
    services.write_text(services.read_text(encoding="utf-8").replace(
        "label_en: Clinical summary", 'label_en: "Clinical\\a summary"', 1), encoding="utf-8")
    out = tmp_path / "model.xml"
    result = run_cli("export", "archimate", str(model_copy), "-o", str(out), "--no-views")
    assert result.exit_code == 0, result.stderr
    root = etree.parse(str(out), _parser()).getroot()
    names = {n.text for n in root.iterfind(".//a:element/a:name", NS)}
    assert "Clinical\ufffd summary" in names


def test_without_graphviz_the_export_says_how_to_go_without_views(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    out = tmp_path / "model.xml"
    proc = subprocess.run([sys.executable, "-m", "samhandling", "export", "archimate",
                           str(MODEL_DIR), "-o", str(out)], capture_output=True, text=True,
                          env={**os.environ, "PATH": str(empty)}, cwd=REPO, timeout=300)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "--no-views" in proc.stderr
    assert not out.exists()


# -- import ----------------------------------------------------------------------------------

@pytest.mark.needs_dot
def test_export_import_build_gives_an_isomorphic_graph(exported: Path, source: Path,
                                                       tmp_path: Path) -> None:
    out = tmp_path / "imported"
    result = run_cli("import", "archimate", str(exported), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert (out / "tjenester.yaml").is_file() and (out / "archimate.ttl").is_file()
    original = carried(load_model(source).graph)
    back = carried(load_model(out).graph)
    assert len(original) > 500
    # qualified values: a relation's, a column value's, a passthrough value's
    qualified = {original.value(node, RDF.predicate)
                 for node in original.subjects(RDF.type, RDF.Statement)}
    assert {SAM.partOfActorGroup, SAM.itCode, SAM.maturity2023} <= qualified
    assert isomorphic(original, back)
    again = tmp_path / "again.xml"
    assert run_cli("export", "archimate", str(out), "-o", str(again)).exit_code == 0
    assert again.read_bytes() == exported.read_bytes()
    second = tmp_path / "second"
    assert run_cli("import", "archimate", str(exported), "-o", str(second)).exit_code == 0
    assert {p.name: p.read_bytes() for p in second.iterdir()} == \
        {p.name: p.read_bytes() for p in out.iterdir()}


@pytest.mark.needs_dot
def test_what_archi_adds_to_our_elements_survives(exported: Path, tmp_path: Path) -> None:
    """A property defined in Archi and a name in a third language on a record's element are
    kept beside the record and written back to the same element."""
    text = exported.read_text(encoding="utf-8")
    start = text.index('<element identifier="tjeneste.plan"')
    end = text.index("</element>", start)
    element = text[start:end].replace(
        '<name xml:lang="en">Plan</name>',
        '<name xml:lang="en">Plan</name><name xml:lang="de">Der Plan</name>', 1).replace(
        "<properties>", '<properties><property propertyDefinitionRef="eier">'
        '<value xml:lang="nb">Helsedirektoratet</value></property>', 1)
    text = (text[:start] + element + text[end:]).replace(
        "<propertyDefinitions>", '<propertyDefinitions><propertyDefinition identifier="eier" '
        'type="string"><name xml:lang="nb">Eier</name></propertyDefinition>', 1)
    edited = tmp_path / "edited.xml"
    edited.write_text(text, encoding="utf-8")
    out = tmp_path / "imported"
    assert run_cli("import", "archimate", str(edited), "-o", str(out)).exit_code == 0
    again = tmp_path / "again.xml"
    assert run_cli("export", "archimate", str(out), "-o", str(again)).exit_code == 0
    root = etree.parse(str(again), _parser()).getroot()
    plan = root.find(".//a:element[@identifier='tjeneste.plan']", NS)
    assert [n.text for n in plan.findall("a:name", NS)] == ["Plan", "Plan", "Der Plan"]
    owner = plan.find(".//a:property[@propertyDefinitionRef='eier']/a:value", NS)
    assert owner is not None and owner.text == "Helsedirektoratet"
    assert root.find(".//a:propertyDefinition[@identifier='eier']", NS) is not None


def _concepts(root: etree._Element) -> dict[str, bytes]:
    """Every identified part of a file but the model itself (elements, relationships,
    property definitions, views, nodes, connections), canonical, nested nodes apart."""
    found = {}
    for node in root.iter():
        if not isinstance(node.tag, str) or not node.get("identifier") or node is root:
            continue
        copy = etree.fromstring(etree.tostring(node))
        for child in list(copy):
            if child.get("identifier") and child.tag == f"{{{EXCHANGE_NS}}}node":
                copy.remove(child)
        etree.cleanup_namespaces(copy)
        found[node.get("identifier")] = etree.tostring(copy, method="c14n")
    return found


@needs_shared
@pytest.mark.parametrize("sample", ["ArchiSurance_V3.xml", "Model_View.xml", "everything.xml",
                                    "Basic_Model.xml"])
def test_import_then_export_loses_nothing_of_a_sample(sample: str, tmp_path: Path,
                                                      schema: etree.XMLSchema) -> None:
    """Every element, relationship, property definition, view, node (bounds, style, nesting)
    and connection comes back exactly, and so do the model's attributes and its folders; the
    file written validates. ArchiSurance: 119 elements, 179 relationships, 17 views."""
    out = tmp_path / "imported"
    assert run_cli("import", "archimate", str(SAMPLES / sample), "-o", str(out)).exit_code == 0
    written = tmp_path / "again.xml"
    assert run_cli("export", "archimate", str(out), "-o", str(written),
                   "--no-views").exit_code == 0
    _valid(schema, written)
    before = etree.parse(str(SAMPLES / sample), _parser()).getroot()
    after = etree.parse(str(written), _parser()).getroot()
    if sample == "ArchiSurance_V3.xml":
        counts = [len(after.findall(f".//a:{tag}", NS))
                  for tag in ("element", "relationship", "view")]
        assert counts == [119, 179, 17]
    assert _concepts(after) == _concepts(before)
    assert dict(after.attrib) == dict(before.attrib)
    folders = before.find("a:organizations", NS)
    if folders is not None:
        kept = after.find("a:organizations", NS)
        assert [etree.tostring(i, method="c14n") for i in folders] == \
            [etree.tostring(i, method="c14n") for i in kept][:len(folders)]


@pytest.mark.parametrize(("name", "expected"), [
    ("not-xml.xml", [r":1: not well-formed XML"]),
    ("dtd-entities.xml", [r":1: the file declares a DTD"]),
    ("archimate-2.1.xml", [r":2: this is an ArchiMate 2.1 exchange file.*export it again"]),
    ("several-problems.xml", [r":6: unknown element type .*did you mean BusinessActor",
                              r":7: duplicate identifier 'a'",
                              r":10: relationship r1: target 'nowhere'"]),
    ("dangling-view.xml", [r":12: node n2: elementRef 'gone' is no identifier"]),
    ("service-without-group.xml", [
        r":5: element tjeneste.plan \(tjenester 'plan'\) has no group: give it an Aggregation "
        r"relationship to a hovedgrupper element",
        r":5: element tjeneste.plan .* has no source: give it the property 'source'"]),
])
def test_bad_input_is_one_line_per_problem_and_nothing_written(
        name: str, expected: list[str], tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("import", "archimate", str(HOSTILE / name), "-o", str(out))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == len(expected), result.stderr
    for line, pattern in zip(lines, expected, strict=True):
        assert line.startswith(f"error: {HOSTILE / name}:")
        assert re.search(pattern, line), line
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_import_replaces_a_folder_only_when_forced(tmp_path: Path) -> None:
    sample = HOSTILE / "dangling-view.xml"
    good = tmp_path / "good.xml"
    good.write_text(sample.read_text(encoding="utf-8").replace(
        '\n        <node identifier="n2" elementRef="gone" xsi:type="Element" x="200" y="0" '
        'w="120" h="55"/>', ""), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.yaml").write_text("[]\n", encoding="utf-8")
    refused = run_cli("import", "archimate", str(good), "-o", str(out))
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert [p.name for p in out.iterdir()] == ["mine.yaml"]
    forced = run_cli("import", "archimate", str(good), "-o", str(out), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert [p.name for p in out.iterdir()] == ["archimate.ttl"]


# -- diff across tools -----------------------------------------------------------------------

@pytest.mark.needs_dot
def test_diff_reads_a_change_made_in_archi(exported: Path, source: Path, tmp_path: Path) -> None:
    same = run_cli("diff", str(source), str(exported), "--lang", "en")
    assert same.exit_code == 0, same.stdout + same.stderr
    edited = tmp_path / "edited.xml"
    edited.write_text(exported.read_text(encoding="utf-8").replace(
        '<name xml:lang="en">Clinical summary</name>',
        '<name xml:lang="en">Clinical overview</name>'), encoding="utf-8")
    result = run_cli("diff", str(source), str(edited), "--lang", "en")
    assert result.exit_code == 1
    assert '"Clinical summary" -> "Clinical overview"' in result.stdout
    assert "0 added, 0 removed, 1 changed" in result.stdout
    # an element drawn in Archi (no IRI of ours: kept as passthrough) reads as added
    added = tmp_path / "added.xml"
    added.write_text(exported.read_text(encoding="utf-8").replace(
        "<elements>", '<elements><element identifier="ny" xsi:type="ApplicationComponent">'
        '<name xml:lang="nb">Ny løsning</name></element>', 1), encoding="utf-8")
    result = run_cli("diff", str(source), str(added), "--lang", "en")
    assert result.exit_code == 1
    assert "1 added, 0 removed, 0 changed" in result.stdout
    assert "ArchiMate element" in result.stdout and "Ny løsning" in result.stdout


# -- the table as readers see it -------------------------------------------------------------

def test_alignment_annotations_and_manual_table_are_current() -> None:
    assert describe.ALIGNMENT.read_text(encoding="utf-8") == describe.alignment_turtle(), \
        "run: python -m samhandling.archimate.describe --write"
    assert describe.mapping_markdown() in describe.MANUAL.read_text(encoding="utf-8")


# -- the installed package -------------------------------------------------------------------

@pytest.mark.xdist_group("installed")
@pytest.mark.needs_dot
def test_installed_wheel_exports_archimate() -> None:
    inst = installed("wheel")
    here = user_folder("archimate")
    shutil.copytree(MODEL_DIR, here / "model")
    proc = inst.run("export", "archimate", "model", "-o", "model.xml", cwd=here)
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"wrote model.xml \(\d+ elements", proc.stderr)
    root = etree.parse(str(here / "model.xml"), _parser()).getroot()
    names = {n.text for n in root.iterfind(".//a:element/a:name", NS)}
    assert "Klinisk oppsummering" in names
    assert root.findall(".//a:view", NS)
