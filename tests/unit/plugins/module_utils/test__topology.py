# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import typing as t

import pytest
from ansible_collections.dockernet.core.plugins.module_utils._lookup import containers_by_reference
from ansible_collections.dockernet.core.plugins.module_utils._network_create import NetworkResult
from ansible_collections.dockernet.core.plugins.module_utils._topology import (
    TOPOLOGY_LABEL,
    _after_reconnect,
    apply_outcome,
    attached_summaries,
    plan,
    topology_from_params,
)
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError


def converge(daemon: t.Any, topology: t.Any, state: str, check_mode: bool) -> t.Any:
    """What the topology module does: plan, and apply outside check mode."""
    outcome = plan(daemon, topology, state=state, purge=False)
    if not check_mode:
        apply_outcome(daemon, outcome)
    return outcome


def net(name: str, *subnets: str, **extra: t.Any) -> t.Dict[str, t.Any]:
    return {"name": name, "ipam_config": [{"subnet": s} for s in subnets] or None, "enable_ipv6": any(":" in s for s in subnets), **extra}


def test_every_network_carries_the_topology_label() -> None:
    topology = topology_from_params("shop", [net("a", "10.1.0.0/24", labels={"x": "1"}), net("b")], [])
    assert [state.labels for state in topology.networks] == [{"x": "1", TOPOLOGY_LABEL: "shop"}, {TOPOLOGY_LABEL: "shop"}]


@pytest.mark.parametrize(
    "networks, attachments, field",
    [
        pytest.param([net("a", "10.1.0.0/24"), net("b", "10.1.0.128/25")], [], "networks[1].ipam_config", id="pools-of-two-networks-overlap"),
        pytest.param([net("a", "fd00:1::/64"), net("b", "fd00:1::/48")], [], "networks[1].ipam_config", id="ipv6-pools-overlap"),
        pytest.param([net("a"), net("a")], [], "networks[1].name", id="declared-twice"),
        pytest.param([net("a", "10.1.0.0/24"), net("b", "10.2.0.0/24", ipam_config=[{"subnet": "10.2.0.0/24", "gateway": "10.3.0.1"}])], [],
                     "networks[1].ipam_config[0].gateway", id="item-error-is-prefixed"),
        pytest.param([net("a")], [{"container": "web", "network": "a"}, {"container": "web", "network": "a"}], "attachments[1]", id="attachment-twice"),
        pytest.param([net("a")], [{"container": "", "network": "a"}], "attachments[0].container", id="empty-container"),
    ],
)
def test_invalid_topologies_name_the_item(networks: t.List[t.Dict[str, t.Any]], attachments: t.List[t.Dict[str, t.Any]], field: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        topology_from_params("shop", networks, attachments)
    assert exc_info.value.field == field


def test_separate_families_never_overlap() -> None:
    topology = topology_from_params("shop", [net("a", "10.1.0.0/24"), net("b", "10.2.0.0/24", "fd00:2::/64")], [])
    assert len(topology.networks) == 2


def shop(daemon: t.Any, networks: int = 3, containers: int = 2) -> t.Any:
    """A topology of networks n0.. with every container c0.. on each, with one alias each; the containers exist."""
    for index in range(containers):
        daemon.add_container(f"c{index}")
    nets = [net(f"n{i}", f"10.9.{i}.0/24") for i in range(networks)]
    attachments = [{"container": f"c{j}", "network": f"n{i}", "aliases": [f"s{i}-{j}"]} for i in range(networks) for j in range(containers)]
    return topology_from_params("shop", nets, attachments)


def test_attached_summaries_finds_containers_by_network_name_or_id(daemon: t.Any) -> None:
    first, second = daemon.add_network("n0", "10.9.0.0/24"), daemon.add_network("n1", "10.9.1.0/24")
    daemon.attach(daemon.add_container("a"), first)
    daemon.attach(daemon.add_container("b"), second)
    daemon.containers[next(iter(daemon.containers))]["NetworkSettings"]["Networks"]["renamed"] = {"NetworkID": second["Id"]}
    listing = containers_by_reference(daemon)
    assert sorted(c["Name"] for c in attached_summaries(listing, first)) == ["/a"]
    assert sorted(c["Name"] for c in attached_summaries(listing, second)) == ["/a", "/b"]


def test_converging_inspects_each_container_once_after_connecting(daemon: t.Any) -> None:
    topology = shop(daemon)
    outcome = converge(daemon, topology, "present", False)
    assert daemon.endpoints() == {(f"c{j}", f"n{i}") for i in range(3) for j in range(2)}
    container_inspects = [c for c in daemon.calls if c.startswith("GET /containers/") and c.endswith("/json") and c != "GET /containers/json"]
    # one per container while planning, and once more after all connects (not once per connect)
    assert len(container_inspects) == 2 * 2
    assert [c for c in daemon.calls if c.startswith("GET /networks/")] == [f"GET /networks/n{i}" for i in range(3)]
    views = {(a.container, a.network): a.attachment for a in outcome.attachments}
    assert views[("c1", "n2")] is not None and views[("c1", "n2")]["aliases"] == ["s2-1"]


def test_converged_topology_sends_lists_and_one_inspect_per_container(daemon: t.Any) -> None:
    topology = shop(daemon)
    converge(daemon, topology, "present", False)
    daemon.calls.clear()
    outcome = converge(daemon, topology, "present", False)
    assert not outcome.as_dict()["changed"]
    assert sorted(daemon.calls) == sorted(["GET /networks", "GET /containers/json"] + [f"GET /containers/{c}/json" for c in sorted(daemon.containers)])


def test_removing_a_topology_inspects_each_container_once(daemon: t.Any) -> None:
    topology = shop(daemon)
    converge(daemon, topology, "present", False)
    planned = converge(daemon, topology, "absent", True)
    daemon.calls.clear()
    outcome = converge(daemon, topology, "absent", False)
    assert outcome.as_dict()["actions"] == planned.as_dict()["actions"]
    assert not daemon.networks and not daemon.endpoints()
    reads = [c for c in daemon.calls if c.startswith("GET")]
    # one plan: the network list, the container list and one inspect per container
    assert len(reads) == 2 + 2
    assert sum(c.endswith("/disconnect") for c in daemon.calls) == 6 and sum(c.startswith("DELETE") for c in daemon.calls) == 3


def test_removing_a_topology_disconnects_undeclared_containers_too(daemon: t.Any) -> None:
    topology = shop(daemon, networks=1, containers=1)
    converge(daemon, topology, "present", False)
    daemon.attach(daemon.add_container("stray"), next(iter(daemon.networks.values())))
    planned = converge(daemon, topology, "absent", True)
    assert planned.as_dict()["actions"] == [
        "disconnect container c0 from network n0", "disconnect container stray from network n0", "remove network n0",
    ]
    outcome = converge(daemon, topology, "absent", False)
    assert outcome.as_dict()["actions"] == planned.as_dict()["actions"]
    assert not daemon.networks and not daemon.endpoints()


def test_a_recreated_network_reports_its_new_id_in_unchanged_attachments(daemon: t.Any) -> None:
    old = daemon.add_network("n0", "10.9.0.0/24", labels={TOPOLOGY_LABEL: "shop"})
    daemon.attach(daemon.add_container("c0"), old)
    topology = topology_from_params("shop", [net("n0", "10.8.0.0/24")], [{"container": "c0", "network": "n0"}])
    outcome = converge(daemon, topology, "present", False)
    (new,) = daemon.networks.values()
    assert new["Id"] != old["Id"] and daemon.endpoints() == {("c0", "n0")}
    (attached,) = outcome.attachments
    assert not attached.changed and attached.attachment is not None and attached.attachment["network_id"] == new["Id"]


def test_an_attachment_is_planned_without_the_static_address_its_recreate_drops(daemon: t.Any) -> None:
    old = daemon.add_network("n0", "10.9.0.0/24", labels={TOPOLOGY_LABEL: "shop"})
    container = daemon.add_container("c0")
    daemon._connect(old["Id"], {"Container": container["Id"], "EndpointConfig": {"IPAMConfig": {"IPv4Address": "10.9.0.5"}}})
    topology = topology_from_params("shop", [net("n0", "10.8.0.0/24")], [{"container": "c0", "network": "n0", "ipv4_address": "10.8.0.5"}])
    outcome = converge(daemon, topology, "present", True)
    (network,) = outcome.networks
    assert network.dropped_addresses == [{"container": "c0", "addresses": ["10.9.0.5"]}]
    (attached,) = outcome.attachments
    assert [(d.field, d.before, d.after) for d in attached.differences] == [("ipv4_address", None, "10.8.0.5")]


def test_an_attachment_of_a_missing_container_names_the_item(daemon: t.Any) -> None:
    topology = topology_from_params("shop", [net("n0", "10.9.0.0/24")], [{"container": "ghost", "network": "n0"}])
    with pytest.raises(ValidationError) as error:
        plan(daemon, topology, state="present", purge=False)
    assert error.value.field == "attachments[0].container"
    assert "no container named 'ghost' (names and full IDs only); create it first or fix the name" in str(error.value)


def test_a_container_after_a_recreate_is_a_copy_without_the_dropped_addresses() -> None:
    result = NetworkResult(name="n0", current={"Name": "n0", "Id": "new"})
    result.dropped_addresses.append({"container": "c0", "addresses": ["10.9.0.5"]})
    ipam = {"IPv4Address": "10.9.0.5", "IPv6Address": "fd00::5"}
    container = {"Name": "/c0", "NetworkSettings": {"Networks": {"renamed": {"NetworkID": "new", "IPAMConfig": dict(ipam)}}}}
    after = _after_reconnect(container, result)
    assert after["NetworkSettings"]["Networks"]["renamed"]["IPAMConfig"] == {"IPv6Address": "fd00::5"}
    assert container["NetworkSettings"]["Networks"]["renamed"]["IPAMConfig"] == ipam
    assert _after_reconnect(container, NetworkResult(name="n0", current=result.current)) is container
