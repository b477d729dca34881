# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Pre-defined networks and fixed network modes: recognised, refused before any change is sent."""

from __future__ import annotations

import datetime
import typing as t

import pytest
from ansible_collections.dockernet.core.plugins.module_utils._attachment_state import (
    AttachmentRequest,
    converge_members,
    member_requests,
    plan_connect,
    plan_disconnect,
)
from ansible_collections.dockernet.core.plugins.module_utils._compare import Difference
from ansible_collections.dockernet.core.plugins.module_utils._lookup import container_from_summary, is_dangling, matches_local_filters
from ansible_collections.dockernet.core.plugins.module_utils._network_spec import desired_from_params
from ansible_collections.dockernet.core.plugins.module_utils._network_state import plan_absent, plan_present
from ansible_collections.dockernet.core.plugins.module_utils._predefined import (
    ALWAYS_PREDEFINED,
    BUILTIN_NETWORKS,
    DEFAULT_BRIDGE_OPTION,
    NEVER_DANGLING,
    PREDEFINED,
    check_attachable,
    predefined_entry,
    predefined_network,
    refuse_change,
    refuse_removal,
)
from ansible_collections.dockernet.core.plugins.module_utils._prune import PruneFilters, prunable
from ansible_collections.dockernet.core.plugins.module_utils._topology import topology_from_params
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError
from ansible_collections.dockernet.core.plugins.plugin_utils._diagram import DEFAULT_NETWORKS

CHANGING = ("POST", "DELETE", "PUT")


def changing_calls(daemon: t.Any) -> t.List[str]:
    return [call for call in daemon.calls if call.startswith(CHANGING)]


# ---- the table ---------------------------------------------------------------------


def test_one_table_gives_every_list() -> None:
    assert {entry.name for entry in PREDEFINED} == {"bridge", "host", "none", "default", "ingress", "docker_gwbridge", "podman"}
    # the Engine's type=builtin and dangling definitions, as the network_info filters apply them
    assert BUILTIN_NETWORKS == {"bridge", "host", "none", "default"}
    assert NEVER_DANGLING == {"bridge", "host", "none", "default", "ingress"}
    assert ALWAYS_PREDEFINED == {"bridge", "host", "none", "default", "ingress"}


def test_the_diagram_hides_the_tables_networks() -> None:
    # _diagram.py is loaded by path (gen_docs) and cannot import the table: its copy is checked here.
    # default is a network mode that no network list shows; Podman's own network is listed as bridge.
    assert DEFAULT_NETWORKS == {entry.name for entry in PREDEFINED} - {"default", "podman"}


@pytest.mark.parametrize(
    "network, expected",
    [
        pytest.param({"Name": "bridge", "Driver": "bridge"}, "bridge", id="bridge-by-name"),
        pytest.param({"Name": "docker0-renamed", "Options": {DEFAULT_BRIDGE_OPTION: "true"}}, "bridge", id="bridge-by-option"),
        pytest.param({"Name": "host", "Driver": "host"}, "host", id="host"),
        pytest.param({"Name": "none", "Driver": "null"}, "none", id="none"),
        pytest.param({"Name": "ingress", "Ingress": True, "Scope": "swarm"}, "ingress", id="ingress"),
        pytest.param({"Name": "my-mesh", "Ingress": True, "Scope": "swarm"}, "ingress", id="ingress-by-flag"),
        pytest.param({"Name": "docker_gwbridge"}, "docker_gwbridge", id="gwbridge-by-name"),
        pytest.param({"Name": "podman"}, "podman", id="podman-by-name"),
        pytest.param({"Name": "backend", "Options": {DEFAULT_BRIDGE_OPTION: "false"}}, None, id="user-network"),
        pytest.param({"Name": "bridged"}, None, id="name-prefix-is-not-a-match"),
        pytest.param({"Name": "Host"}, None, id="name-case"),
    ],
)
def test_predefined_entry(network: t.Dict[str, t.Any], expected: t.Optional[str]) -> None:
    entry = predefined_entry(network)
    assert (entry.name if entry else None) == expected


def test_only_host_and_none_are_network_modes_only() -> None:
    assert [entry.name for entry in PREDEFINED if entry.mode_only] == ["host", "none"]


@pytest.mark.parametrize(
    "mode, fixed",
    [("host", True), ("none", True), ("container:abc", True), ("container:web", True), ("default", False), ("bridge", False),
     ("backend", False), ("", False), ("hostile", False)],
)
def test_fixed_network_modes(mode: str, fixed: bool) -> None:
    refused = False
    try:
        check_attachable("web", {"HostConfig": {"NetworkMode": mode}}, {"Name": "backend"}, "backend")
    except ValidationError as exc:
        refused = exc.field == "container"
    assert refused is fixed


def test_network_mode_of_a_list_result() -> None:
    summary = {"Id": "c" * 64, "Names": ["/web"], "State": "running", "HostConfig": {"NetworkMode": "container:db"}}
    with pytest.raises(ValidationError, match="has the network mode 'container:db'"):
        check_attachable("web", container_from_summary(summary), {"Name": "backend"}, "backend")


@pytest.mark.parametrize(
    "mode, network, field",
    [
        pytest.param("host", {"Name": "backend"}, "container", id="host-mode-to-user-network"),
        pytest.param("none", None, "container", id="none-mode-to-planned-network"),
        pytest.param("container:db", {"Name": "bridge"}, "container", id="shared-namespace"),
        pytest.param("default", {"Name": "host", "Driver": "host"}, "network", id="bridge-container-to-host"),
        pytest.param("backend", {"Name": "none", "Driver": "null"}, "network", id="user-container-to-none"),
    ],
)
def test_check_attachable_refuses(mode: str, network: t.Optional[t.Dict[str, t.Any]], field: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        check_attachable("web", {"HostConfig": {"NetworkMode": mode}}, network, str((network or {}).get("Name", "planned")))
    message = str(exc_info.value)
    assert exc_info.value.field == field and message.startswith(f"{field}: ")
    assert "docker run --network" in message and "cannot be connected to or disconnected from networks" in message
    assert ("container 'web' has the network mode" in message) == (field == "container")


@pytest.mark.parametrize("network", [{"Name": "bridge"}, {"Name": "backend"}, None])
def test_check_attachable_lets_ordinary_containers_through(network: t.Optional[t.Dict[str, t.Any]]) -> None:
    check_attachable("web", {"HostConfig": {"NetworkMode": "default"}}, network, "x")
    check_attachable("web", {}, network, "x")  # an engine that does not say: the daemon decides


def test_refusals_name_the_network_the_option_and_the_fix() -> None:
    bridge = predefined_entry({"Name": "bridge"})
    assert bridge is not None
    error = refuse_change(bridge, "bridge", [Difference("labels", {}, {"a": "b"})])
    assert error.field == "labels" and error.result == {"differences": [{"field": "labels", "before": {}, "after": {"a": "b"}}]}
    text = str(error)
    assert text.startswith("labels: network 'bridge' is the default bridge network")
    assert "never lets anyone remove or recreate" in text and "create a user-defined network instead" in text
    assert str(refuse_change(bridge, "bridge", [])).startswith("recreate: network 'bridge'")
    assert "state: absent cannot be applied" in str(refuse_removal(bridge, "bridge"))


# ---- where it runs decides docker_gwbridge and podman ----------------------------------


def test_gwbridge_and_podman_are_the_daemons_only_where_they_are(daemon: t.Any) -> None:
    gwbridge = {"Name": "docker_gwbridge", "Driver": "bridge"}
    podman = {"Name": "podman", "Driver": "bridge"}
    assert predefined_network(daemon, gwbridge) is None  # the fake is no swarm node
    assert predefined_network(daemon, podman) is None  # and no Podman
    daemon.calls.clear()
    assert predefined_network(daemon, {"Name": "host"}) is not None
    assert predefined_network(daemon, {"Name": "backend"}) is None
    assert daemon.calls == []  # only the two names that depend on the engine ask it anything


# ---- the network module: nothing changing is sent -------------------------------------


def test_naming_a_predefined_network_changes_nothing(daemon: t.Any) -> None:
    daemon.add_predefined("bridge", "bridge", {DEFAULT_BRIDGE_OPTION: "true"})
    daemon.add_predefined("host", "host")
    daemon.add_predefined("none", "null")
    for name in ("bridge", "host", "none"):
        result = plan_present(daemon, desired_from_params({"name": name}))
        assert not result.changed and result.actions == [] and result.differences == []
    result = plan_present(daemon, desired_from_params({"name": "bridge", "driver": "bridge", "labels": {}}))
    assert not result.changed
    assert changing_calls(daemon) == []


@pytest.mark.parametrize(
    "params, recreate, field",
    [
        pytest.param({"name": "bridge", "labels": {"a": "b"}}, "on_change", "labels", id="bridge-labels"),
        pytest.param({"name": "bridge", "internal": True}, "on_change", "internal", id="bridge-internal"),
        pytest.param({"name": "host", "driver": "bridge"}, "on_change", "driver", id="host-explicit-driver"),
        pytest.param({"name": "none", "ipam_config": [{"subnet": "10.9.0.0/24"}]}, "on_change", "ipam_config.subnets", id="none-pool"),
        pytest.param({"name": "bridge"}, "always", "recreate", id="recreate-always"),
        pytest.param({"name": "bridge", "labels": {"a": "b"}}, "never", "labels", id="recreate-never-still-says-why"),
    ],
)
def test_asking_a_predefined_network_for_a_change_fails_first(daemon: t.Any, params: t.Dict[str, t.Any], recreate: str, field: str) -> None:
    daemon.add_predefined("bridge", "bridge", {DEFAULT_BRIDGE_OPTION: "true"})
    daemon.add_predefined("host", "host")
    daemon.add_predefined("none", "null")
    bridge = next(n for n in daemon.networks.values() if n["Name"] == "bridge")
    daemon.attach(daemon.add_container("web"), bridge)
    before = daemon.endpoints()
    with pytest.raises(ValidationError) as exc_info:
        plan_present(daemon, desired_from_params(params), recreate=recreate)
    assert exc_info.value.field == field
    assert f"network {params['name']!r}" in str(exc_info.value)
    assert changing_calls(daemon) == [] and daemon.endpoints() == before


@pytest.mark.parametrize("force", [True, False])
def test_removing_a_predefined_network_fails_first(daemon: t.Any, force: bool) -> None:
    bridge = daemon.add_predefined("bridge", "bridge", {DEFAULT_BRIDGE_OPTION: "true"})
    daemon.add_predefined("none", "null")
    daemon.attach(daemon.add_container("web"), bridge)
    for name in ("bridge", "none"):
        with pytest.raises(ValidationError, match="state: absent cannot be applied"):
            plan_absent(daemon, name, force=force)
    assert changing_calls(daemon) == [] and len(daemon.networks) == 2


# ---- attachments ----------------------------------------------------------------------


def test_connecting_to_host_fails_first_but_a_host_container_on_host_is_fine(daemon: t.Any) -> None:
    host = daemon.add_predefined("host", "host")
    web = daemon.add_container("web")
    with pytest.raises(ValidationError, match="docker run --network host") as exc_info:
        plan_connect(daemon, AttachmentRequest(container="web", network="host"))
    assert exc_info.value.field == "network"
    runner = daemon.add_container("runner", network_mode="host")
    daemon.attach(runner, host)
    daemon.calls.clear()
    result = plan_connect(daemon, AttachmentRequest(container="runner", network="host"))
    assert not result.changed
    assert changing_calls(daemon) == [] and ("web", "host") not in daemon.endpoints()
    assert web["NetworkSettings"]["Networks"] == {}


@pytest.mark.parametrize("mode", ["host", "none", "container:db"])
def test_a_fixed_mode_container_is_not_connected_anywhere(daemon: t.Any, mode: str) -> None:
    daemon.add_network("backend", "10.1.0.0/24")
    daemon.add_container("web", network_mode=mode)
    with pytest.raises(ValidationError, match=f"network mode '{mode}'"):
        plan_connect(daemon, AttachmentRequest(container="web", network="backend"))
    daemon.add_container("ok")
    backend = daemon.get("/networks/backend")
    with pytest.raises(ValidationError, match="containers\\[1\\].container"):
        # a list with one good and one impossible container changes nothing
        converge_members(daemon, member_requests("backend", ["ok", "web"]), mode="exact", network=backend, applied=lambda: backend)
    assert changing_calls(daemon) == []


def test_disconnecting_a_host_container_fails_and_an_absent_one_is_no_change(daemon: t.Any) -> None:
    host = daemon.add_predefined("host", "host")
    daemon.add_network("backend", "10.1.0.0/24")
    daemon.attach(daemon.add_container("runner", network_mode="host"), host)
    daemon.add_container("web")
    with pytest.raises(ValidationError, match="network mode 'host'"):
        plan_disconnect(daemon, AttachmentRequest(container="runner", network="host", state="disconnected"))
    # not there: nothing to refuse, nothing to do
    assert not plan_disconnect(daemon, AttachmentRequest(container="web", network="host", state="disconnected")).changed
    assert not plan_disconnect(daemon, AttachmentRequest(container="runner", network="backend", state="disconnected")).changed
    assert changing_calls(daemon) == []


# ---- topology and prune ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["bridge", "host", "none", "ingress"])
def test_a_topology_cannot_declare_a_predefined_network(name: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        topology_from_params("shop", [{"name": "a"}, {"name": name}], [])
    assert exc_info.value.field == "networks[1].name" and "attachments can name it" in str(exc_info.value)


def test_a_topology_may_attach_to_the_default_bridge() -> None:
    topology = topology_from_params("shop", [], [{"container": "web", "network": "bridge"}])
    assert topology.attachments[0].network == "bridge"


def test_prune_never_selects_a_predefined_network() -> None:
    networks = [
        {"Name": name, "Id": name * 2, "Created": "2020-01-01T00:00:00Z", "Labels": {}}
        for name in ("bridge", "host", "none", "default", "docker_gwbridge", "podman", "orphan")
    ] + [{"Name": "mesh", "Id": "m" * 64, "Ingress": True}, {"Name": "docker1", "Id": "d" * 64, "Options": {DEFAULT_BRIDGE_OPTION: "true"}}]
    selected = prunable(networks, PruneFilters(datetime.datetime.now(datetime.timezone.utc), (), ()), [], lambda network: False)
    assert [n["Name"] for n in selected] == ["orphan"]


def test_network_info_filters_keep_the_engines_definitions() -> None:
    assert matches_local_filters({"Name": "host"}, {"type": ["builtin"]})
    assert not matches_local_filters({"Name": "docker_gwbridge"}, {"type": ["builtin"]})
    assert not is_dangling({"Name": "ingress"}) and is_dangling({"Name": "docker_gwbridge"})
