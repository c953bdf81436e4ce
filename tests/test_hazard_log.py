"""The hazard log names the tests that prove its controls: each must exist, and each hazard must name one."""

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HAZARD_LOG = ROOT / "docs" / "clinical-safety" / "hazard-log.md"
TEST_ID = re.compile(r"`(tests/[\w/]+\.py)::(\w+(?:::\w+)?)`")


@cache
def _test_functions(path: str) -> set[str]:
    """`name` and `Class::name` of every test function defined in the file."""
    tree = ast.parse((ROOT / path).read_text(), filename=path)
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names |= {f"{node.name}::{item.name}" for item in node.body if isinstance(item, ast.FunctionDef)}
    return names


def _hazards() -> dict[str, str]:
    sections = re.split(r"^## ", HAZARD_LOG.read_text(), flags=re.MULTILINE)[1:]
    return {section.split(".", 1)[0]: section for section in sections}


def test_every_test_the_hazard_log_names_exists():
    named = TEST_ID.findall(HAZARD_LOG.read_text())
    assert len(named) > 50
    missing = [
        f"{path}::{name}" for path, name in named if not (ROOT / path).exists() or name not in _test_functions(path)
    ]
    assert missing == []


def test_every_hazard_of_the_summary_has_its_section_and_a_test():
    summary = set(re.findall(r"^\| (H\d+) \|", HAZARD_LOG.read_text(), flags=re.MULTILINE))
    hazards = _hazards()
    assert summary == set(hazards)
    assert [hazard for hazard, section in hazards.items() if not TEST_ID.search(section)] == []
