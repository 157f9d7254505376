"""The YAML loader's fast path gives exactly libyaml's records wherever it answers.

The fast path reads the plain subset model files are written in and gives up (returns None)
on anything else; these tests check it never answers differently from libyaml, and that it
does answer for the files we write, so the speed it exists for cannot silently vanish.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from samhandling.loaders.yaml_loader import composed_items, fast_items
from samhandling.synth import generate_model

from .support import MINI, MODEL_DIR


def composed_or_none(text: str):
    try:
        return composed_items(text)
    except Exception:
        return None


def assert_agrees(text: str) -> None:
    fast = fast_items(text)
    if fast is None:
        return
    assert fast == composed_or_none(text), text


def test_model_and_fixture_files_take_the_fast_path_and_agree(tmp_path: Path) -> None:
    generate_model(tmp_path / "synth", services=26, needs=60, actors=30, seed=3)
    files = [*sorted(MODEL_DIR.glob("*.yaml")), *sorted(MINI.glob("*.yaml")),
             *sorted((tmp_path / "synth").glob("*.yaml"))]
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast = fast_items(text)
        assert fast is not None, f"{path} left the fast path"
        assert fast == composed_items(text), path


TRICKY = [
    "", "# only a comment\n", "\n\n", "- id: a\n", "- id: a\n  label_nb: Å ø æ\n",
    "- id: a\n  code: 05.20\n", "- id: a\n  x: ~\n", "- id: a\n  x: null\n", "- id: a\n  x: Null\n",
    "- id: a\n  x:\n", "- id: a\n  x: # c\n", "- id: a\n  x: v # c\n", "- id: a\n  x: v#c\n",
    "- id: a\n  x: 'it''s'\n", '- id: a\n  x: "q \\" \\\\ \\n \\t"\n', '- id: a\n  x: "\\u00e5"\n',
    '- id: a\n  x: "a" # c\n', '- id: a\n  x: "a"b\n', "- id: a\n  x: [a, b]\n",
    "- id: a\n  x: [seed:32, vg]\n", "- id: a\n  x: []\n", "- id: a\n  x: [ ]\n",
    "- id: a\n  x: [a, ]\n", "- id: a\n  x: [a,b]\n", "- id: a\n  x: ['a', \"b\"]\n",
    "- id: a\n  x: [a b, c]  # c\n", "- id: a\n  x: [a, [b]]\n", "- id: a\n  x: {a: b}\n",
    "- id: a\n  x: [a,\n    b]\n", "- id: a\n  x: a: b\n", "- id: a\n  x: a:\n",
    "- id: a\n  x: a:b\n", "- id: a\n  x: -5\n", "- id: a\n  x: - 5\n", "- id: a\n  x: &a v\n",
    "- id: a\n  x: *a\n", "- id: a\n  x: !!str v\n", "- id: a\n  x: v\n    w\n",
    "- id: a\n  x: v\n  w\n", "- id: a\n  x:\n    - a\n    - b\n", "- id: a\n  x:\n  - a\n  - b\n",
    "- id: a\n  x:\n    - a\n   - b\n", "- id: a\n  x:\n    - a\n\n    # c\n    - b\n  y: c\n",
    "- id: a\n  x:\n    - null\n", "- id: a\n  x:\n    - a: b\n", "- id: a\n  x:\n    -\n",
    "- id: a\n  x: >-\n    one\n    two\n  y: z\n", "- id: a\n  x: >\n    one\n    two\n",
    "- id: a\n  x: |\n    one\n    two\n", "- id: a\n  x: |-\n    one\n    two\n\n- id: b\n",
    "- id: a\n  x: >-\n    one\n      two\n", "- id: a\n  x: >-\n    one\n\n    two\n",
    "- id: a\n  x: >-\n    one \n", "- id: a\n  x: >-\n    # not a comment\n",
    "- id: a\n  x: >+\n    one\n", "- id: a\n  x: >2\n    one\n", "- id: a\n  x: >-\n    one",
    "- id: a\n  x: >- # c\n    one\n", "- id: a\n  x: v\n  x: w\n", "- id: a\n- id: b\n",
    "- a\n", "- [a]\n", "key: value\n", "---\n- id: a\n", "- id: a\n...\n", "-  id: a\n",
    "- id: a\n   x: v\n", "- id: a\n x: v\n", "- id: a\n\tx: v\n", "- id: a\r\n  x: v\r\n",
    "- id: a\n  x: v\u2028w\n", "- id: a\n  x: v\x85w\n", "- id: a\n  x: \x07\n",
    "- id: a\n  x-y: v\n", "- id: a\n  2x: v\n", "- id: a\n  x:v\n", "- id: a\n  x: 'a\n    b'\n",
    "- id: a\n  x: \"a\n    b\"\n", "- id: a\n  x: ? b\n", "- id: a\n  x: :b\n",
    "- id: a\n  x: %b\n",
    "- id: a\n  x: @b\n", "- id: a\n  x: `b\n", "- id: a\n  x: v  \n", "  - id: a\n",
    "- id: a\n# c\n  x: v\n", "- id: a\n  x: [a, ~, null]\n", "- id: a\n  x: ''\n",
    '- id: a\n  x: ""\n', "- id: a\n  x: [a]]\n", "- id: a\n  x: [a] b\n", "- id: a\n  x: [a] #c\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_snippets_agree_or_give_up(text: str) -> None:
    assert_agrees(text)


def test_the_fast_path_answers_the_common_forms() -> None:
    text = ("# head\n- id: a  # c\n  label_nb: 'It''s'\n  x: [seed:32, \"b c\"]\n  y:\n"
            "    - one\n  z: >-\n    folded\n    text\n\n- id: b\n  x: ~\n")
    items = fast_items(text)
    assert items is not None and items == composed_items(text)
    assert [c.value for c in items[0][1][3][2]] == ["one"]  # type: ignore[index]
    assert items[0][1][4][2][0].value == "folded text"  # type: ignore[index]


GOOD = ["a", "b c", "05.20", "seed:32", "'q''x'", '"d\\"q"', "~", "null", "-1", "a # c",
        "[a, b]", "[]", "[seed:1, 'x y']", "Å", "#", "|", ">-", "x:y", '"05.20"', '""',
        '["seed:1", b]', '["a, b", c]', "a [b] {c}", "C#", "a  b", "[a  b, c]"]
BAD = ["a: b", "[a,", "{a: b}", "&x a", "a:", "  ", "[a, , b]", "'a", "- a"]
KEYS = ["id", "label_nb", "x", "source", "x"]


def test_random_documents_agree_or_give_up() -> None:
    rng = random.Random(7)
    answered = 0

    def fragment() -> str:
        return rng.choice(GOOD if rng.random() < 0.93 else BAD)

    for _ in range(1500):
        lines = []
        for _ in range(rng.randint(1, 3)):
            keys = rng.sample(KEYS, rng.randint(1, 4))
            for n, key in enumerate(keys):
                lead = "- " if n == 0 else "  " if rng.random() < 0.95 else rng.choice(" \t")
                value = fragment()
                lines.append(f"{lead}{key}: {value}".rstrip() if rng.random() < 0.9
                             else f"{lead}{key}:")
                roll = rng.random()
                if roll < 0.1:
                    lines.extend(f"    - {fragment()}" for _ in range(2))
                elif roll < 0.2:
                    lines.extend(["    folded", rng.choice(["    more", "      deeper", ""])])
                elif roll < 0.25:
                    lines.append(rng.choice(["# c", "", "   # c"]))
        text = "\n".join(lines) + rng.choice(["\n", "", "\n\n"])
        assert_agrees(text)
        answered += fast_items(text) is not None
    assert answered > 300  # the test exercises the fast path, not only its giving up


def test_malformed_yaml_still_reports_libyaml_errors(tmp_path: Path) -> None:
    from samhandling.loaders.yaml_loader import YamlReader

    path = tmp_path / "tjenester.yaml"
    path.write_text("- id: a\n  label_nb: [unclosed\n", encoding="utf-8")
    result = YamlReader().read(path, str(path))
    assert result.problems and "malformed YAML" in result.problems[0].message
    with pytest.raises(yaml.YAMLError):
        composed_items(path.read_text(encoding="utf-8"))
