"""Check meta/execution-environment.yml of an installed dockernet.core for ansible-builder.

Usage: python check_ee.py COLLECTIONS_DIR INTROSPECT_OUTPUT

COLLECTIONS_DIR holds ansible_collections/dockernet/core (installed from the built tarball), and
INTROSPECT_OUTPUT is what `ansible-builder introspect COLLECTIONS_DIR` printed. Runs in the
ecosystem suite's tools venv (ansible-builder brings bindep, packaging and PyYAML). Prints one
line per failed check and exits 1 when there is any.
"""

from __future__ import annotations

import copy
import os
import sys
import typing as t

import yaml
from ansible_builder.ee_schema import validate_schema
from ansible_builder.exceptions import DefinitionError
from bindep.depends import Depends, DependsException
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

COLLECTION = "dockernet.core"
# ansible-core versions at which the execution environment's pin and meta/runtime.yml must agree
PROBE_VERSIONS = ["2.14.0", "2.15.13", "2.16.0", "2.17.5", "2.18.0", "2.19.0", "2.20.0", "2.21.5", "2.22.0", "3.0.0"]


def requirement_lines(text: str) -> list[str]:
    """The requirement lines of a pip or bindep file, without comments and blank lines."""
    lines = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def introspected(output: str) -> dict[str, list[str]]:
    """Requirements that `ansible-builder introspect` found for this collection, by kind."""
    data = yaml.safe_load(output) or {}
    found: dict[str, list[str]] = {}
    for kind in ("python", "system"):
        marker = "# from collection " + COLLECTION
        found[kind] = [entry.split("#", 1)[0].strip() for entry in data.get(kind) or [] if entry.endswith(marker)]
    return found


def check(collection: str, introspect_output: str) -> list[str]:
    errors: list[str] = []
    meta_path = os.path.join(collection, "meta", "execution-environment.yml")
    with open(meta_path, encoding="utf-8") as f:
        definition: t.Any = yaml.safe_load(f)
    if not isinstance(definition, dict):
        return [f"{meta_path}: not a mapping"]
    if definition.get("version") != 3:
        errors.append(f"{meta_path}: version is {definition.get('version')!r}; use version: 3 (ansible-builder schema 3)")
    try:
        # validate_schema fills in defaults: keep the original for the checks below
        validate_schema(copy.deepcopy(definition))
    except DefinitionError as exc:
        errors.append(f"{meta_path}: not valid for ansible-builder schema 3: {exc}")

    dependencies = definition.get("dependencies") or {}
    files: dict[str, list[str]] = {}
    for kind, default in (("python", "requirements.txt"), ("system", "bindep.txt")):
        name = dependencies.get(kind)
        if name != default:
            errors.append(f"{meta_path}: dependencies.{kind} is {name!r}; set it to {default} (a path relative to the collection root)")
            continue
        path = os.path.join(collection, name)
        if not os.path.isfile(path):
            errors.append(f"{meta_path}: dependencies.{kind} names {name}, which the built collection does not contain")
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        files[kind] = requirement_lines(text)
        if not files[kind]:
            errors.append(f"{name}: no requirements in it")
        if kind == "python":
            for line in files[kind]:
                try:
                    Requirement(line)
                except InvalidRequirement as exc:
                    errors.append(f"{name}: {line!r} is not a pip requirement: {exc}")
        else:
            try:
                depends = Depends(text)
            except DependsException as exc:
                errors.append(f"{name}: bindep cannot parse it: {exc}")
            else:
                # the modules run with the execution environment's python3, on either family of base image
                for platform in ("platform:rpm", "platform:dpkg"):
                    packages = [rule[0] for rule in depends.active_rules([platform])]
                    if "python3" not in packages:
                        errors.append(f"{name}: no python3 for {platform}")

    with open(os.path.join(collection, "meta", "runtime.yml"), encoding="utf-8") as f:
        requires_ansible = SpecifierSet((yaml.safe_load(f) or {}).get("requires_ansible", ""))
    core = (dependencies.get("ansible_core") or {}).get("package_pip", "")
    try:
        core_requirement = Requirement(core)
    except InvalidRequirement:
        errors.append(f"{meta_path}: dependencies.ansible_core.package_pip is {core!r}; use e.g. ansible-core>=2.16")
    else:
        if core_requirement.name != "ansible-core":
            errors.append(f"{meta_path}: dependencies.ansible_core.package_pip names {core_requirement.name}, not ansible-core")
        disagree = [v for v in PROBE_VERSIONS if (Version(v) in core_requirement.specifier) != (Version(v) in requires_ansible)]
        if disagree:
            errors.append(
                f"{meta_path}: ansible_core {core!r} and meta/runtime.yml requires_ansible {str(requires_ansible)!r} "
                f"disagree about ansible-core {', '.join(disagree)}; make them admit the same versions"
            )
    runner = (dependencies.get("ansible_runner") or {}).get("package_pip", "")
    if not runner.startswith("ansible-runner"):
        errors.append(f"{meta_path}: dependencies.ansible_runner.package_pip is {runner!r}; an AWX execution environment needs ansible-runner")

    found = introspected(introspect_output)
    for kind, lines in files.items():
        if found[kind] != lines:
            errors.append(f"ansible-builder introspect found {kind} requirements {found[kind]} for {COLLECTION}, expected {lines}")
    return errors


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    collections_dir, introspect_file = sys.argv[1:]
    with open(introspect_file, encoding="utf-8") as f:
        output = f.read()
    errors = check(os.path.join(collections_dir, "ansible_collections", "dockernet", "core"), output)
    for error in errors:
        print("execution environment: " + error)
    if not errors:
        print("execution environment: meta/execution-environment.yml is valid for ansible-builder schema 3 and introspects as expected")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
