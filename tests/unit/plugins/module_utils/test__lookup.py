# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for the pure parts of the lookup helpers (exact matching and list filters)."""

from __future__ import annotations

import typing as t

import pytest
from ansible_collections.dockernet.core.plugins.module_utils._client import DockerError
from ansible_collections.dockernet.core.plugins.module_utils._lookup import (
    NETWORK_LIST_FILTERS,
    is_exact_match,
    listed_name,
    matches_dangling,
    matches_local_filters,
    network_filters,
    swarm_services_using,
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


# GET /networks entries as Podman 4.3.1 lists them (its default network appears as "bridge").
PODMAN_LIST = [
    {"Name": "bridge", "Id": "2f259bab93aaaaa2542ba43ef33eb990d0999ee1b9924b557b7be53c0b7a1bb9", "Scope": "local", "Driver": "bridge"},
    {"Name": "cap-net", "Id": "ab71021482ff18271fb9e0b12cf4b20f0d465dcad5544a4976cbbd2df3ff614b", "Scope": "local", "Driver": "bridge"},
]


@pytest.mark.parametrize(
    "filters, expected",
    [
        pytest.param({}, ["bridge", "cap-net"], id="none"),
        pytest.param({"type": ["builtin"]}, ["bridge"], id="builtin"),
        pytest.param({"type": ["custom"]}, ["cap-net"], id="custom"),
        pytest.param({"type": ["custom", "builtin"]}, ["bridge", "cap-net"], id="either-type"),
        pytest.param({"scope": ["local"]}, ["bridge", "cap-net"], id="scope-local"),
        pytest.param({"scope": ["swarm"]}, [], id="scope-swarm"),
        pytest.param({"dangling": ["true"]}, ["bridge", "cap-net"], id="dangling-is-not-decided-on-the-list"),
    ],
)
def test_matches_local_filters(filters: t.Dict[str, t.List[str]], expected: t.List[str]) -> None:
    assert [n["Name"] for n in PODMAN_LIST if matches_local_filters(n, filters)] == expected


@pytest.mark.parametrize(
    "network, values, expected",
    [
        pytest.param({"Name": "cap-net", "Containers": {}}, ["true"], True, id="unused-dangling"),
        pytest.param({"Name": "cap-net", "Containers": {"c": {"Name": "cap-b", "IPv4Address": ""}}}, ["true"], False,
                     id="podman-stopped-container-uses-it"),
        pytest.param({"Name": "cap-net", "Containers": {"c": {}}}, ["false"], True, id="used-not-dangling"),
        pytest.param({"Name": "bridge", "Containers": {}}, ["true"], False, id="predefined-never-dangling"),
        pytest.param({"Name": "cap-net", "Containers": {}}, ["true", "false"], True, id="both-values"),
        pytest.param({"Name": "cap-net", "Containers": {"c": {}}}, None, True, id="no-filter"),
    ],
)
def test_matches_dangling(network: t.Dict[str, t.Any], values: t.Optional[t.List[str]], expected: bool) -> None:
    assert matches_dangling(network, values) is expected


def test_listed_name_keeps_the_name_podman_lists() -> None:
    # Podman 4.3.1 answers GET /networks/<id of its default network> with Name "podman".
    inspected = {**PODMAN_LIST[0], "Name": "podman", "IPAM": {"Driver": "default", "Options": {"driver": "host-local"}}}
    assert listed_name(inspected, PODMAN_LIST[0]) == {**inspected, "Name": "bridge"}
    assert listed_name(PODMAN_LIST[1], PODMAN_LIST[1]) is PODMAN_LIST[1]
    assert listed_name({"Name": "other", "Id": "x"}, PODMAN_LIST[0]) == {"Name": "other", "Id": "x"}


class _Services:
    """A client whose GET /services answers services, or fails as on a node that is no manager."""

    def __init__(self, services: t.Optional[t.List[t.Dict[str, t.Any]]]) -> None:
        self.services = services

    def get(self, path: str) -> t.Any:
        assert path == "/services"
        if self.services is None:
            raise DockerError("This node is not a swarm manager.", status=503)
        return self.services


def _service(name: str, *targets: str) -> t.Dict[str, t.Any]:
    return {"Spec": {"Name": name, "TaskTemplate": {"Networks": [{"Target": target} for target in targets]}}}


def test_swarm_services_using() -> None:
    network = {"Id": FULL_ID, "Name": "mesh", "Scope": "swarm"}
    services = [_service("web", "mesh"), _service("api", FULL_ID, OTHER_ID), _service("db", OTHER_ID), {"Spec": {"Name": "bare"}}]
    assert swarm_services_using(t.cast(t.Any, _Services(services)), network) == ["api", "web"]
    assert swarm_services_using(t.cast(t.Any, _Services(None)), network) == []  # not a manager
    assert swarm_services_using(t.cast(t.Any, _Services(services)), {**network, "Scope": "local"}) == []
