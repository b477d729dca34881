# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ansible-core x Python support matrix of the test harness.

    python tests/harness/matrix.py versions                  # "VERSION CONTROLLER_PYTHON" lines
    python tests/harness/matrix.py pythons VERSION SUPPORTED... # the policy's Pythons VERSION tests
    python tests/harness/matrix.py record --version V --python P --suite S --status ST ...
    python tests/harness/matrix.py table                     # print the matrix of this run
    python tests/harness/matrix.py publish                   # last run -> tests/matrix_results.json,
                                                             #   README "Tested with", docs/support.md
    python tests/harness/matrix.py check                     # those are current and match the policy

The policy is tests/matrix.yml. tests/run records every cell it runs (or could not run) in
.tmp/matrix/results.jsonl; `publish` merges that into the committed tests/matrix_results.json (a
cell keeps its last result) and rewrites the generated blocks from it. The Python running this
needs PyYAML (the harness venv: .tmp/venv/bin/python).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import re
import sys
import typing as t
from pathlib import Path

import yaml  # type: ignore[import-untyped]

REPO = Path(__file__).resolve().parents[2]
POLICY = "tests/matrix.yml"
RESULTS = "tests/matrix_results.json"
RUN_RESULTS = ".tmp/matrix/results.jsonl"
README = "README.md"
SUPPORT = "docs/support.md"
BEGIN = "<!-- BEGIN tested-with -->"
END = "<!-- END tested-with -->"
SUITES = ("sanity", "units", "integration")
PASSED = "passed"
FAILED = "failed"
MISSING = "not available"
PUBLISH = ".tmp/venv/bin/python tests/harness/matrix.py publish"


@dataclasses.dataclass(frozen=True)
class Policy:
    """tests/matrix.yml: ansible-core minor versions (oldest first) and managed-node Pythons."""

    controllers: t.Dict[str, str]
    pythons: t.Tuple[str, ...]

    @property
    def versions(self) -> t.List[str]:
        return sorted(self.controllers, key=version_key)

    @property
    def oldest(self) -> str:
        return self.versions[0]

    @property
    def newest(self) -> str:
        return self.versions[-1]


@dataclasses.dataclass(frozen=True)
class Cell:
    """One result: an ansible-core version, a Python and a suite."""

    version: str
    python: str
    suite: str
    status: str
    seconds: int = 0
    release: str = ""
    detail: str = ""

    @property
    def key(self) -> t.Tuple[str, str, str]:
        return (self.version, self.python, self.suite)


def version_key(version: str) -> t.Tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def load_policy(root: Path) -> Policy:
    data = yaml.safe_load((root / POLICY).read_text(encoding="utf-8"))
    controllers = {str(version): str(spec["controller_python"]) for version, spec in data["ansible_core"].items()}
    pythons = tuple(sorted((str(python) for python in data["python"]), key=version_key))
    return Policy(controllers=controllers, pythons=pythons)


def policy_pythons(policy: Policy, supported: t.Iterable[str]) -> t.List[str]:
    """The policy's Pythons that an ansible-core version (whose ansible-test supports `supported`) tests."""
    offered = set(supported)
    return [python for python in policy.pythons if python in offered]


def read_run(path: Path) -> t.List[Cell]:
    """The cells of a run, in the order they were recorded; a later record of a cell replaces an earlier one."""
    cells: t.Dict[t.Tuple[str, str, str], Cell] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                cell = Cell(**json.loads(line))
                cells[cell.key] = cell
    return list(cells.values())


def read_results(path: Path) -> t.Tuple[str, t.List[Cell]]:
    if not path.is_file():
        return "", []
    data = json.loads(path.read_text(encoding="utf-8"))
    return str(data.get("updated", "")), [Cell(**cell) for cell in data.get("cells", [])]


def sorted_cells(cells: t.Iterable[Cell]) -> t.List[Cell]:
    return sorted(cells, key=lambda cell: (version_key(cell.version), version_key(cell.python), SUITES.index(cell.suite)))


def merge(old: t.Iterable[Cell], new: t.Iterable[Cell], policy: Policy) -> t.List[Cell]:
    """The published cells: the old ones, replaced by the new run's, of versions the policy still lists."""
    cells = {cell.key: cell for cell in old}
    cells.update((cell.key, cell) for cell in new)
    return sorted_cells(cell for cell in cells.values() if cell.version in policy.controllers)


def status_text(cell: Cell) -> str:
    text = cell.status
    if cell.detail:
        text += f" ({cell.detail})"
    if cell.status != MISSING:
        text += f" {cell.seconds}s"
    return text


def table_lines(cells: t.Sequence[Cell], policy: Policy) -> t.List[str]:
    """version x Python rows with a column per suite; '-' where the policy has no such cell."""
    by_key = {cell.key: cell for cell in cells}
    rows = sorted({(cell.version, cell.python) for cell in cells}, key=lambda row: (version_key(row[0]), version_key(row[1])))
    header = ["ansible-core", "python", *SUITES]
    body = []
    for version, python in rows:
        release = next((cell.release for cell in cells if cell.version == version and cell.release), version)
        marker = " (controller)" if policy.controllers.get(version) == python else ""
        statuses = [status_text(by_key[(version, python, suite)]) if (version, python, suite) in by_key else "-" for suite in SUITES]
        body.append([release, python + marker, *statuses])
    widths = [max(len(row[column]) for row in [header, *body]) for column in range(len(header))]
    return ["  ".join(value.ljust(width) for value, width in zip(row, widths)).rstrip() for row in [header, *body]]


def command_table(args: argparse.Namespace) -> int:
    policy = load_policy(args.root)
    cells = sorted_cells(read_run(args.root / RUN_RESULTS))
    if not cells:
        print("support matrix: no cell was run")
        return 0
    print("support matrix (tests/matrix.yml; sanity: every test on the controller Python, compile and import on the others):")
    for line in table_lines(cells, policy):
        print("  " + line)
    missing = [cell for cell in cells if cell.status == MISSING]
    failed = [cell for cell in cells if cell.status == FAILED]
    for cell in missing:
        print(f"support matrix: could not run ansible-core {cell.version} / Python {cell.python} / {cell.suite}: {cell.detail}")
    print(f"support matrix: {len(cells)} cells, {len(cells) - len(missing) - len(failed)} passed, {len(failed)} failed, {len(missing)} not available")
    if missing and args.ci:
        print("support matrix: CI=true and cells of the declared policy could not run: failing the run")
        return 3
    return 0


def command_record(args: argparse.Namespace) -> int:
    cell = Cell(version=args.version, python=args.python, suite=args.suite, status=args.status,
                seconds=args.seconds, release=args.release, detail=args.detail)
    path = args.root / RUN_RESULTS
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as stream:
        stream.write(json.dumps(dataclasses.asdict(cell), sort_keys=True) + "\n")
    return 0


def command_versions(args: argparse.Namespace) -> int:
    policy = load_policy(args.root)
    for version in policy.versions:
        print(version, policy.controllers[version])
    return 0


def command_pythons(args: argparse.Namespace) -> int:
    print("\n".join(policy_pythons(load_policy(args.root), args.supported)))
    return 0


# --------------------------------------------------------------------------
# the generated blocks
# --------------------------------------------------------------------------


def public(detail: str) -> str:
    """A cell's detail without the local engine address (a path of the machine that ran it)."""
    return re.sub(r" at \S+://\S+", "", detail)


def joined(values: t.Iterable[str]) -> str:
    return ", ".join(values) or "none"


def tested_with(updated: str, cells: t.Sequence[Cell], policy: Policy) -> str:
    """The README block: per ansible-core version what passed, on which Pythons and engines."""
    lines = [
        f"Generated by `tests/harness/matrix.py publish` from the last matrix run ({updated or 'never'}); the policy is",
        "[`tests/matrix.yml`](tests/matrix.yml), the full table is in [`docs/support.md`](docs/support.md).",
        "",
        "| ansible-core | Controller Python | Managed-node Python (sanity) | Units | Integration |",
        "| --- | --- | --- | --- | --- |",
    ]
    for version in policy.versions:
        mine = [cell for cell in cells if cell.version == version]
        release = next((cell.release for cell in mine if cell.release), version)
        sanity = [cell for cell in mine if cell.suite == "sanity"]
        passed = [cell.python for cell in sanity if cell.status == PASSED]
        others = [f"{cell.python} {cell.status}" for cell in sanity if cell.status != PASSED]
        units = [f"{cell.status} (Python {cell.python})" for cell in mine if cell.suite == "units"]
        integration = [f"{cell.status}: {public(cell.detail)}" for cell in mine if cell.suite == "integration"]
        lines.append(
            f"| {release} | {policy.controllers[version]} | {joined(passed)}{'; ' + joined(others) if others else ''}"
            f" | {joined(units) if units else 'not run'} | {joined(integration) if integration else '-'} |"
        )
    return "\n".join(lines)


def support_table(cells: t.Sequence[Cell], policy: Policy) -> str:
    """docs/support.md's grid: ansible-core rows, Python columns, the suites run in each cell."""
    letters = {"sanity": "S", "units": "U", "integration": "I"}
    lines = [
        "| ansible-core | " + " | ".join(f"Python {python}" for python in policy.pythons) + " |",
        "| --- |" + " --- |" * len(policy.pythons),
    ]
    for version in policy.versions:
        row = []
        for python in policy.pythons:
            here = [cell for cell in cells if cell.version == version and cell.python == python]
            marks = []
            for cell in sorted(here, key=lambda cell: SUITES.index(cell.suite)):
                mark = letters[cell.suite]
                if cell.status == FAILED:
                    mark += " failed"
                elif cell.status == MISSING:
                    mark += " n/a"
                marks.append(mark)
            row.append(" ".join(marks) or "-")
        release = next((cell.release for cell in cells if cell.version == version and cell.release), version)
        lines.append(f"| {release} | " + " | ".join(row) + " |")
    lines.append("")
    lines.append("S: `ansible-test sanity` (every test on the controller Python, `compile` and `import` on the others);"
                 " U: `ansible-test units`; I: `ansible-test integration`. Engines:")
    lines.append("")
    for cell in cells:
        if cell.suite == "integration":
            lines.append(f"- ansible-core {cell.release or cell.version} on Python {cell.python}: {cell.status}, {public(cell.detail)}")
    return "\n".join(lines)


def with_block(text: str, block: str, path: str) -> str:
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"{path}: the markers {BEGIN} and {END} are missing")
    return text[: start + len(BEGIN)] + "\n" + block + "\n" + text[end:]


def generated(root: Path) -> t.Dict[str, str]:
    """The files with their generated blocks rewritten from the committed results."""
    policy = load_policy(root)
    updated, cells = read_results(root / RESULTS)
    return {
        README: with_block((root / README).read_text(encoding="utf-8"), tested_with(updated, cells, policy), README),
        SUPPORT: with_block((root / SUPPORT).read_text(encoding="utf-8"), support_table(cells, policy), SUPPORT),
    }


def command_publish(args: argparse.Namespace) -> int:
    policy = load_policy(args.root)
    run = read_run(args.root / RUN_RESULTS)
    if run:
        _updated, old = read_results(args.root / RESULTS)
        cells = merge(old, run, policy)
        data = {
            "updated": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
            "cells": [dataclasses.asdict(cell) for cell in cells],
        }
        (args.root / RESULTS).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(RESULTS)
    # without a recorded run: only the generated blocks, from the published results
    for path, text in generated(args.root).items():
        (args.root / path).write_text(text, encoding="utf-8")
        print(path)
    return 0


def policy_problems(root: Path) -> t.List[str]:
    """Where meta/runtime.yml, tests/config.yml or the published results disagree with the policy."""
    policy = load_policy(root)
    problems = []
    runtime = yaml.safe_load((root / "meta/runtime.yml").read_text(encoding="utf-8"))
    newest = version_key(policy.newest)
    want = f">={policy.oldest}.0,<{newest[0]}.{newest[1] + 1}.0"
    if runtime.get("requires_ansible") != want:
        problems.append(f"meta/runtime.yml: requires_ansible is {runtime.get('requires_ansible')!r}; the policy tests {want!r}")
    config = yaml.safe_load((root / "tests/config.yml").read_text(encoding="utf-8"))
    python_requires = config.get("modules", {}).get("python_requires")
    if python_requires != f">={policy.pythons[0]}":
        problems.append(f"tests/config.yml: modules.python_requires is {python_requires!r}; the policy's oldest Python is {policy.pythons[0]}")
    _updated, cells = read_results(root / RESULTS)
    for version in policy.versions:
        for suite in SUITES:
            wanted = suite != "integration" or version in (policy.oldest, policy.newest)
            if wanted and not any(cell.version == version and cell.suite == suite for cell in cells):
                problems.append(f"{RESULTS}: no {suite} result for ansible-core {version}; run the matrix and {PUBLISH}")
    return problems


def command_check(args: argparse.Namespace) -> int:
    problems = policy_problems(args.root)
    for path, text in generated(args.root).items():
        if (args.root / path).read_text(encoding="utf-8") != text:
            problems.append(f"{path}: the generated block is stale; regenerate it with {PUBLISH}")
    for problem in problems:
        print(f"support matrix: {problem}")
    if not problems:
        print(f"support matrix: {README} and {SUPPORT} are current; meta/runtime.yml and tests/config.yml match {POLICY}")
    return 1 if problems else 0


def main(argv: t.Optional[t.Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n", 1)[0])
    parser.add_argument("--root", type=Path, default=REPO, help="the collection root (default: this checkout)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("versions").set_defaults(run=command_versions)
    pythons = commands.add_parser("pythons")
    pythons.add_argument("version")
    pythons.add_argument("supported", nargs="*")
    pythons.set_defaults(run=command_pythons)
    record = commands.add_parser("record")
    for name in ("version", "python", "suite", "status"):
        record.add_argument(f"--{name}", required=True)
    record.add_argument("--seconds", type=int, default=0)
    record.add_argument("--release", default="")
    record.add_argument("--detail", default="")
    record.set_defaults(run=command_record)
    table = commands.add_parser("table")
    table.add_argument("--ci", action="store_true", default=os.environ.get("CI") == "true", help="fail when a cell could not run (default: CI=true)")
    table.set_defaults(run=command_table)
    commands.add_parser("publish").set_defaults(run=command_publish)
    commands.add_parser("check").set_defaults(run=command_check)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
