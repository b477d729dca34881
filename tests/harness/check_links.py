# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the relative links of the collection's Markdown files.

    python tests/harness/check_links.py [--root DIR]

Every link `[text](target)` whose target is not a URL must name a file or directory that exists,
relative to the page; a `#fragment` on a Markdown page must be one of its headings, as GitHub
makes anchors of them. Code spans and fenced blocks are skipped. Prints one line per broken link
and exits 1 when there is any.
"""

from __future__ import annotations

import argparse
import re
import sys
import typing as t
from pathlib import Path

# generated from changelogs/changelog.yaml: its links are antsibull-changelog's
SKIP_FILES = {"CHANGELOG.md"}
SKIP_DIRS = {".git", ".tmp", "tests/output", "node_modules"}
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_FENCE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN = re.compile(r"`+[^`]*`+")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`([^`]*)`", r"\1", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def prose_lines(text: str) -> t.Iterator[t.Tuple[int, str]]:
    """(line number, line) outside fenced code blocks."""
    fenced = False
    for number, line in enumerate(text.splitlines(), start=1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, line


def anchors(page: Path) -> t.Set[str]:
    found: t.Set[str] = set()
    for _number, line in prose_lines(page.read_text()):
        match = _HEADING.match(line)
        if match:
            base = slug(match.group(1))
            name, index = base, 1
            while name in found:
                name = f"{base}-{index}"
                index += 1
            found.add(name)
    return found


def is_external(target: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:", target)) or target.startswith("//")


def broken_links(page: Path, root: Path) -> t.List[str]:
    problems = []
    for number, line in prose_lines(page.read_text()):
        for match in _LINK.finditer(_CODE_SPAN.sub("", line)):
            target = match.group(1)
            if is_external(target):
                continue
            path_part, _sep, fragment = target.partition("#")
            resolved = (page.parent / path_part).resolve() if path_part else page
            where = f"{page.relative_to(root)}:{number}: {target}"
            if not resolved.exists():
                problems.append(f"{where}: no such file")
            elif fragment and resolved.suffix == ".md" and fragment not in anchors(resolved):
                problems.append(f"{where}: no heading #{fragment} in {resolved.relative_to(root)}")
    return problems


def markdown_files(root: Path) -> t.List[Path]:
    pages = []
    for page in sorted(root.rglob("*.md")):
        relative = page.relative_to(root).as_posix()
        if page.name in SKIP_FILES or any(relative == d or relative.startswith(d + "/") for d in SKIP_DIRS):
            continue
        pages.append(page)
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2], help="collection root (default: this checkout)")
    root = parser.parse_args().root.resolve()
    pages = markdown_files(root)
    problems = [problem for page in pages for problem in broken_links(page, root)]
    for problem in problems:
        print(problem)
    print(f"links: {len(pages)} Markdown files checked, {len(problems)} broken links")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
