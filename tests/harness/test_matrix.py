# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests of tests/harness/matrix.py (run by the docs suite: python -m pytest tests/harness/test_matrix.py)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

# tests/harness is no package: load matrix.py from beside this file
_SPEC = importlib.util.spec_from_file_location("matrix", Path(__file__).resolve().parent / "matrix.py")
assert _SPEC is not None and _SPEC.loader is not None
matrix = importlib.util.module_from_spec(_SPEC)
sys.modules["matrix"] = matrix  # dataclasses look their module up while the class is made
_SPEC.loader.exec_module(matrix)

POLICY = matrix.Policy(controllers={"2.17": "3.12", "2.16": "3.12", "2.21": "3.13"}, pythons=("3.7", "3.10", "3.13"))


def test_versions_sort_numerically() -> None:
    assert matrix.version_key("2.9") < matrix.version_key("2.16")
    assert POLICY.versions == ["2.16", "2.17", "2.21"]
    assert (POLICY.oldest, POLICY.newest) == ("2.16", "2.21")


@pytest.mark.parametrize(
    ("supported", "expected"),
    [
        (["2.7", "3.6", "3.7", "3.10", "3.12"], ["3.7", "3.10"]),
        (["3.9", "3.13", "3.14"], ["3.13"]),
        ([], []),
    ],
)
def test_policy_pythons_are_those_the_version_supports(supported: list[str], expected: list[str]) -> None:
    assert matrix.policy_pythons(POLICY, supported) == expected


def test_merge_keeps_old_cells_and_drops_versions_left_out() -> None:
    old = [
        matrix.Cell("2.16", "3.7", "sanity", "failed"),
        matrix.Cell("2.16", "3.12", "units", "passed"),
        matrix.Cell("2.15", "3.11", "units", "passed"),
    ]
    new = [matrix.Cell("2.16", "3.7", "sanity", "passed")]
    merged = matrix.merge(old, new, POLICY)
    assert [(cell.version, cell.python, cell.suite, cell.status) for cell in merged] == [
        ("2.16", "3.7", "sanity", "passed"),
        ("2.16", "3.12", "units", "passed"),
    ]


def test_read_run_keeps_the_last_record_of_a_cell(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    lines = [
        {"version": "2.16", "python": "3.7", "suite": "sanity", "status": "failed", "seconds": 3, "release": "", "detail": ""},
        {"version": "2.16", "python": "3.7", "suite": "sanity", "status": "passed", "seconds": 4, "release": "", "detail": ""},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    assert [cell.status for cell in matrix.read_run(path)] == ["passed"]


def test_table_marks_the_controller_and_cells_not_in_the_policy() -> None:
    cells = [
        matrix.Cell("2.16", "3.12", "sanity", "passed", 80, "2.16.19", "every test"),
        matrix.Cell("2.16", "3.7", "sanity", "not available", 0, "2.16.19", "no python3.7 on this machine"),
    ]
    lines = matrix.table_lines(cells, POLICY)
    assert lines[0].split() == ["ansible-core", "python", "sanity", "units", "integration"]
    assert "3.7 " in lines[1] and "not available (no python3.7 on this machine)" in lines[1]
    assert "3.12 (controller)" in lines[2] and lines[2].endswith("-")


def test_with_block_replaces_only_the_block() -> None:
    text = f"before\n{matrix.BEGIN}\nold\n{matrix.END}\nafter\n"
    assert matrix.with_block(text, "new", "README.md") == f"before\n{matrix.BEGIN}\nnew\n{matrix.END}\nafter\n"
    with pytest.raises(SystemExit, match="markers"):
        matrix.with_block("no markers", "new", "README.md")


def test_tested_with_lists_passed_pythons_and_the_rest_apart() -> None:
    cells = [
        matrix.Cell("2.16", "3.7", "sanity", "failed", release="2.16.19"),
        matrix.Cell("2.16", "3.10", "sanity", "passed", release="2.16.19"),
        matrix.Cell("2.16", "3.12", "units", "passed", release="2.16.19"),
        matrix.Cell("2.16", "3.12", "integration", "passed", release="2.16.19", detail="the six module targets"),
    ]
    block = matrix.tested_with("2026-12-07", cells, POLICY)
    row = next(line for line in block.splitlines() if line.startswith("| 2.16.19 "))
    assert row == "| 2.16.19 | 3.12 | 3.10; 3.7 failed | passed (Python 3.12) | passed: the six module targets |"
    assert "| 2.21 | 3.13 | none | not run | - |" in block


def test_policy_problems_name_what_disagrees(tmp_path: Path) -> None:
    (tmp_path / "meta").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests/matrix.yml").write_text(
        "ansible_core:\n  '2.16': {controller_python: '3.12'}\n  '2.21': {controller_python: '3.13'}\npython: ['3.7', '3.13']\n",
        encoding="utf-8",
    )
    (tmp_path / "meta/runtime.yml").write_text("requires_ansible: '>=2.16.0'\n", encoding="utf-8")
    (tmp_path / "tests/config.yml").write_text("modules:\n  python_requires: '>=3.7'\n", encoding="utf-8")
    problems = matrix.policy_problems(tmp_path)
    assert problems[0] == "meta/runtime.yml: requires_ansible is '>=2.16.0'; the policy tests '>=2.16.0,<2.22.0'"
    assert not any(problem.startswith("tests/config.yml") for problem in problems)
    assert "tests/matrix_results.json: no integration result for ansible-core 2.21" in " ".join(problems)
