# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for the pure parts of the lookup helpers (exact matching and list filters)."""

from __future__ import annotations

import typing as t

import pytest
from ansible_collections.dockernet.core.plugins.module_utils._lookup import (
    NETWORK_LIST_FILTERS,
    is_exact_match,
    network_filters,
)
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError

FULL_ID = "db" + "0123456789abcdef" * 3 + "0123456789abcd"
OTHER_ID = "e" * 64


def test_full_id_fixture_is_64_hex() -> None:
    assert len(FULL_ID) == 64
    int(FULL_ID, 16)


@pytest.mark.parametrize(
    "reference, name, object_id, expected",
    [
        pytest.param("db", "db", FULL_ID, True, id="exact-name"),
        pytest.param("db", "dbbackup", OTHER_ID, False, id="name-prefix"),
        pytest.param("backup", "dbbackup", OTHER_ID, False, id="name-suffix"),
        pytest.param("DB", "db", FULL_ID, False, id="name-case"),
        pytest.param("db", "dbbackup", FULL_ID, False, id="id-prefix-is-also-name-prefix"),
        pytest.param(FULL_ID[:12], "backend", FULL_ID, False, id="short-id"),
        pytest.param(FULL_ID[:63], "backend", FULL_ID, False, id="id-one-short"),
        pytest.param("7vzicfcyhtztcbsufwzu6b3f5", "ov", "7vzicfcyhtztcbsufwzu6b3f5", True, id="swarm-network-id"),
        pytest.param("7vzicfcyhtzt", "ov", "7vzicfcyhtztcbsufwzu6b3f5", False, id="swarm-id-prefix"),
        pytest.param("x", "y", "", False, id="no-id"),
        pytest.param(FULL_ID, "backend", FULL_ID, True, id="full-id"),
        pytest.param(FULL_ID, "backend", OTHER_ID, False, id="full-id-of-another"),
        pytest.param(FULL_ID.upper(), "backend", FULL_ID, False, id="full-id-upper"),
        pytest.param(FULL_ID + "\n", "backend", FULL_ID, False, id="full-id-newline"),
        pytest.param(OTHER_ID, OTHER_ID, FULL_ID, True, id="name-that-looks-like-an-id"),
        pytest.param("", "", "", True, id="empty-name-equals-empty"),
    ],
)
def test_is_exact_match(reference: str, name: str, object_id: str, expected: bool) -> None:
    assert is_exact_match(reference, name, object_id) is expected


@pytest.mark.parametrize(
    "filters, expected",
    [
        pytest.param(None, {}, id="none"),
        pytest.param({}, {}, id="empty"),
        pytest.param({"name": "db"}, {"name": ["db"]}, id="scalar"),
        pytest.param({"name": ["db", "web"]}, {"name": ["db", "web"]}, id="list"),
        pytest.param({"label": ["tier=db", "managed"]}, {"label": ["tier=db", "managed"]}, id="labels"),
        pytest.param({"dangling": True}, {"dangling": ["true"]}, id="bool-true"),
        pytest.param({"dangling": False}, {"dangling": ["false"]}, id="bool-false"),
        pytest.param({"dangling": [True, "0"]}, {"dangling": ["true", "0"]}, id="bool-list"),
        pytest.param({"type": "custom"}, {"type": ["custom"]}, id="type-custom"),
        pytest.param({"type": ["builtin", "custom"]}, {"type": ["builtin", "custom"]}, id="type-both"),
        pytest.param({"id": 123}, {"id": ["123"]}, id="int"),
        pytest.param({"driver": "bridge", "scope": "local"}, {"driver": ["bridge"], "scope": ["local"]}, id="several"),
    ],
)
def test_network_filters(filters: t.Optional[t.Dict[str, t.Any]], expected: t.Dict[str, t.List[str]]) -> None:
    assert network_filters(filters) == expected


@pytest.mark.parametrize(
    "filters, field, fragment",
    [
        pytest.param({"status": "running"}, "filters.status", "is not a network filter", id="unknown-key"),
        pytest.param({"Name": "db"}, "filters.Name", "is not a network filter", id="key-case"),
        pytest.param({"type": "bridge"}, "filters.type", "is not a network type", id="type-driver-name"),
        pytest.param({"type": ["custom", "user"]}, "filters.type", "is not a network type", id="type-list-with-bad"),
        pytest.param({"type": True}, "filters.type", "is not a network type", id="type-bool"),
        pytest.param({"dangling": "yes"}, "filters.dangling", "is not a boolean", id="dangling-yes"),
    ],
)
def test_network_filters_errors(filters: t.Dict[str, t.Any], field: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        network_filters(filters)
    assert exc_info.value.field == field
    assert fragment in str(exc_info.value)


def test_unknown_filter_error_lists_the_known_ones() -> None:
    with pytest.raises(ValidationError) as exc_info:
        network_filters({"status": "x"})
    for key in NETWORK_LIST_FILTERS:
        assert key in str(exc_info.value)
