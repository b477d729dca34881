# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""network_info's result: members with their state, the summary listing and the engine facts (fake daemon)."""

from __future__ import annotations

import typing as t

import pytest
from ansible_collections.dockernet.core.plugins.module_utils._engine import engine_facts
from ansible_collections.dockernet.core.plugins.module_utils._lookup import check_summary_options
from ansible_collections.dockernet.core.plugins.module_utils._network_info import network_info
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError


def params(**given: t.Any) -> t.Dict[str, t.Any]:
    return {"name": None, "filters": None, "verbose": False, "members": True, "summary": False, "engine_info": False, **given}


def stop(daemon: t.Any, container: t.Dict[str, t.Any]) -> None:
    """What the daemon shows of a stopped container: its endpoints stay, the network's inspect drops it."""
    container["State"] = {"Running": False, "Status": "exited"}
    for network in daemon.networks.values():
        network["Containers"].pop(container["Id"], None)


def test_members_include_a_stopped_container_with_its_state(daemon: t.Any) -> None:
    network = daemon.add_network("back", "10.1.0.0/24")
    web, db = daemon.add_container("web"), daemon.add_container("db")
    daemon.attach(web, network, aliases=["www"])
    daemon.attach(db, network)
    stop(daemon, db)
    result = network_info(daemon, params(name="back"), {})
    assert result["exists"] is True
    assert list(result["network"]["Containers"]) == [web["Id"]]  # the daemon's own view stays as it is
    members = {m["container"]: m for m in result["network"]["members"]}
    assert {name: (m["state"], m["running"]) for name, m in members.items()} == {"web": ("running", True), "db": ("exited", False)}
    assert members["db"]["id"] == db["Id"]
    assert "www" in members["web"]["aliases"]


def test_members_off_sends_only_the_inspect(daemon: t.Any) -> None:
    daemon.add_network("back", "10.1.0.0/24")
    result = network_info(daemon, params(name="back", members=False), {})
    assert "members" not in result["network"]
    assert daemon.calls == ["GET /networks/back"]


def test_missing_network_has_no_members(daemon: t.Any) -> None:
    result = network_info(daemon, params(name="nope"), {})
    assert result == {"changed": False, "exists": False, "network": None}


def test_listing_gives_each_network_its_members(daemon: t.Any) -> None:
    front, back = daemon.add_network("front", "10.1.0.0/24"), daemon.add_network("back", "10.2.0.0/24")
    web = daemon.add_container("web")
    daemon.attach(web, front)
    stop(daemon, web)
    result = network_info(daemon, params(), {})
    assert [(n["Name"], [m["container"] for m in n["members"]]) for n in result["networks"]] == [("back", []), ("front", ["web"])]
    assert back["Id"] in {n["Id"] for n in result["networks"]}


def test_summary_answers_from_one_list_request(daemon: t.Any) -> None:
    for index in range(5):
        network = daemon.add_network(f"net{index}", f"10.{index}.0.0/24")
        daemon.attach(daemon.add_container(f"c{index}"), network)
    result = network_info(daemon, params(summary=True), {})
    assert daemon.calls == ["GET /networks"]
    assert [sorted(n) for n in result["networks"]] == [["Driver", "Id", "Name", "Scope"]] * 5
    assert [n["Name"] for n in result["networks"]] == [f"net{index}" for index in range(5)]
    assert result["networks"][0] == {"Name": "net0", "Id": daemon.networks[result["networks"][0]["Id"]]["Id"], "Driver": "bridge", "Scope": "local"}


def test_summary_applies_the_filters_without_inspecting(daemon: t.Any) -> None:
    daemon.add_predefined("bridge", "bridge")
    daemon.add_network("app", "10.1.0.0/24")
    result = network_info(daemon, params(summary=True), {"type": ["custom"]})
    assert [n["Name"] for n in result["networks"]] == ["app"]
    assert daemon.calls == ["GET /networks"]


def test_full_listing_inspects_each_network(daemon: t.Any) -> None:
    for index in range(3):
        daemon.add_network(f"net{index}", f"10.{index}.0.0/24")
    network_info(daemon, params(members=False), {})
    assert daemon.calls == ["GET /networks"] + [f"GET /networks/{n}" for n in sorted(daemon.networks)]


@pytest.mark.parametrize(
    ("filters", "verbose", "field"),
    [
        ({"dangling": ["true"]}, False, "filters.dangling"),
        ({}, True, "verbose"),
    ],
)
def test_summary_refuses_what_needs_an_inspect(filters: t.Dict[str, t.List[str]], verbose: bool, field: str) -> None:
    with pytest.raises(ValidationError) as error:
        check_summary_options(filters, verbose)
    assert error.value.field == field
    assert "summary" in str(error.value)


def test_summary_accepts_list_filters() -> None:
    check_summary_options({"name": ["app"], "type": ["custom"], "scope": ["local"]}, False)


@pytest.mark.parametrize(
    ("info", "version", "expected_swarm", "product"),
    [
        (
            {"ServerVersion": "28.5.2", "Swarm": {"LocalNodeState": "active", "ControlAvailable": True, "NodeID": "n1", "NodeAddr": "198.18.0.2"}},
            {"Version": "28.5.2", "ApiVersion": "1.51"},
            {"local_node_state": "active", "control_available": True, "node_id": "n1", "node_addr": "198.18.0.2", "error": ""},
            "Docker Engine",
        ),
        (
            {"ServerVersion": "20.10.24", "Swarm": {"LocalNodeState": "inactive", "ControlAvailable": False, "NodeID": "", "NodeAddr": ""}},
            {"Version": "20.10.24", "ApiVersion": "1.41"},
            {"local_node_state": "inactive", "control_available": False, "node_id": "", "node_addr": "", "error": ""},
            "Docker Engine",
        ),
        (
            {"ServerVersion": "4.3.1"},
            {"Version": "4.3.1", "ApiVersion": "1.41", "Components": [{"Name": "Podman Engine", "Version": "4.3.1"}]},
            {"local_node_state": "inactive", "control_available": False, "node_id": "", "node_addr": "", "error": ""},
            "Podman",
        ),
        (
            {"ServerVersion": "28.5.2", "Swarm": {"LocalNodeState": "error", "Error": "manager unreachable"}},
            {"ApiVersion": "1.51"},
            {"local_node_state": "error", "control_available": False, "node_id": "", "node_addr": "", "error": "manager unreachable"},
            "Docker Engine",
        ),
    ],
)
def test_engine_facts(info: t.Dict[str, t.Any], version: t.Dict[str, t.Any], expected_swarm: t.Dict[str, t.Any], product: str) -> None:
    facts = engine_facts(info, version, "1.41")
    assert facts["swarm"] == expected_swarm
    assert facts["product"] == product
    assert facts["version"] == info["ServerVersion"]
    assert (facts["api_version"], facts["max_api_version"]) == ("1.41", version["ApiVersion"])


def test_engine_info_reads_info_and_version(daemon: t.Any) -> None:
    daemon.info = {"ServerVersion": "20.10.24", "Swarm": {"LocalNodeState": "active", "ControlAvailable": True, "NodeID": "abc", "NodeAddr": "10.0.0.1"}}
    daemon.add_network("app", "10.1.0.0/24")
    result = network_info(daemon, params(summary=True, filters={"name": "app"}, engine_info=True), {"name": ["app"]})
    assert result["engine"]["swarm"]["local_node_state"] == "active"
    assert result["engine"]["swarm"]["control_available"] is True
    assert result["engine"]["version"] == "20.10.24"
    assert result["networks"] == [{"Name": "app", "Id": result["networks"][0]["Id"], "Driver": "bridge", "Scope": "local"}]
    assert sorted(daemon.calls) == ["GET /info", "GET /networks", "GET /version"]
