# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every private module_utils and plugin_utils file says so in its header, right after the licence."""

from __future__ import annotations

import pathlib

import pytest

PLUGINS = pathlib.Path(__file__).resolve().parents[4] / "plugins"
PRIVATE = sorted(PLUGINS.glob("module_utils/_*.py")) + sorted(PLUGINS.glob("plugin_utils/_*.py"))
HEADER = "# PRIVATE to dockernet.core: may change in any release; do not import it from other collections."


def test_private_files_found() -> None:
    assert len(PRIVATE) > 20


@pytest.mark.parametrize("path", PRIVATE, ids=lambda path: path.name)
def test_private_header(path: pathlib.Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[3] == HEADER, f"{path.name}: line 4 must be the private-module header"
