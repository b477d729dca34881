# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Plans on the fake daemon: what a plan sends once applied, and that planning alone sends nothing that changes it."""

from __future__ import annotations

import typing as t

import pytest
from ansible_collections.dockernet.core.plugins.module_utils._attachment_state import (
    AttachmentRequest,
    check_endpoint_fits,
    converge_members,
    member_requests,
    plan_connect,
)
from ansible_collections.dockernet.core.plugins.module_utils._client import DockerError
from ansible_collections.dockernet.core.plugins.module_utils._endpoint import Endpoint
from ansible_collections.dockernet.core.plugins.module_utils._network_spec import desired_from_params
from ansible_collections.dockernet.core.plugins.module_utils._network_state import plan_absent, plan_present
from ansible_collections.dockernet.core.plugins.module_utils._plan import apply
from ansible_collections.dockernet.core.plugins.module_utils._topology import plan, topology_from_params
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError


def changing(calls: t.Sequence[str]) -> t.List[str]:
    return [c for c in calls if not c.startswith("GET ")]


def web_with_app(daemon: t.Any) -> t.Tuple[t.Dict[str, t.Any], t.Dict[str, t.Any]]:
    """Network web (10.1.0.0/24) with container app on it: alias api, static address 10.1.0.10."""
    network = daemon.add_network("web", "10.1.0.0/24")
    container = daemon.add_container("app")
    daemon._connect(network["Id"], {"Container": container["Id"], "EndpointConfig": {"Aliases": ["api"], "IPAMConfig": {"IPv4Address": "10.1.0.10"}}})
    return network, container


MOVED = {"name": "web", "ipam_config": [{"subnet": "10.2.0.0/24"}]}


def test_a_recreate_reconnects_every_container_and_drops_only_what_no_longer_fits(daemon: t.Any) -> None:
    old, container = web_with_app(daemon)
    result = plan_present(daemon, desired_from_params(MOVED))
    assert changing(daemon.calls) == []
    predicted = result.as_dict()
    assert result.actions == ["disconnect container app from network web", "remove network web", "create network web", "connect container app to network web"]
    assert [(s.method, s.path) for s in result.plan.steps[:3]] == [
        ("POST", f"/networks/{old['Id']}/disconnect"), ("DELETE", f"/networks/{old['Id']}"), ("POST", "/networks/create"),
    ]
    apply(daemon, [result.plan])
    real = result.as_dict()
    assert real["dropped_addresses"] == predicted["dropped_addresses"] == [{"container": "app", "addresses": ["10.1.0.10"]}]
    assert real["reconnected"] == predicted["reconnected"] and real["reconnected"][0]["aliases"] == ["api"]
    (network,) = daemon.networks.values()
    assert network["Id"] != old["Id"] and network["IPAM"]["Config"] == [{"Subnet": "10.2.0.0/24"}]
    endpoint = container["NetworkSettings"]["Networks"]["web"]
    assert endpoint["NetworkID"] == network["Id"] and endpoint["Aliases"][0] == "api" and not (endpoint["IPAMConfig"] or {}).get("IPv4Address")
    assert real["network"]["Id"] == network["Id"]


def test_a_recreate_whose_create_fails_restores_the_old_network_with_its_containers(daemon: t.Any) -> None:
    web_with_app(daemon)
    post = daemon.post
    refused: t.List[str] = []

    def refuse_first_create(path: str, body: t.Any = None, params: t.Any = None) -> t.Any:
        if path == "/networks/create" and not refused:
            refused.append(path)
            raise DockerError("pool refused", status=500)
        return post(path, body, params)

    daemon.post = refuse_first_create
    result = plan_present(daemon, desired_from_params(MOVED))
    with pytest.raises(DockerError, match=r"recreating network 'web' failed \(pool refused\); the old network was restored with its 1 container\(s\)"):
        apply(daemon, [result.plan])
    (network,) = daemon.networks.values()
    assert network["IPAM"]["Config"] == [{"Subnet": "10.1.0.0/24"}]
    assert daemon.endpoints() == {("app", "web")}
    restored = next(iter(daemon.containers.values()))["NetworkSettings"]["Networks"]["web"]
    assert restored["Aliases"][0] == "api" and restored["IPAMConfig"]["IPv4Address"] == "10.1.0.10"


@pytest.mark.parametrize(("mode", "endpoints"), [("exact", {("a", "web")}), ("append", {("a", "web"), ("stray", "web")})])
def test_members_exact_disconnects_the_unlisted_and_append_keeps_them(daemon: t.Any, mode: str, endpoints: t.Set[t.Tuple[str, str]]) -> None:
    network = daemon.add_network("web", "10.1.0.0/24")
    daemon.attach(daemon.add_container("stray"), network)
    daemon.add_container("a")
    results = converge_members(daemon, member_requests("web", ["a"]), mode=mode, network=network, applied=lambda: network)
    assert changing(daemon.calls) == []
    apply(daemon, [r.plan for r in results])
    assert daemon.endpoints() == endpoints
    assert results[0].attachment is not None and results[0].attachment["network_id"] == network["Id"]


def test_members_with_one_bad_item_change_nothing(daemon: t.Any) -> None:
    network = daemon.add_network("web", "10.1.0.0/24")
    daemon.add_container("a")
    daemon.add_container("b")
    requests = member_requests("web", ["a", {"name": "b", "ipv4_address": "10.9.0.5"}])
    with pytest.raises(ValidationError) as failure:
        converge_members(daemon, requests, mode="exact", network=network, applied=lambda: network)
    assert failure.value.field == "containers[1].ipv4_address" and "outside every IPv4 pool" in str(failure.value)
    assert changing(daemon.calls) == [] and daemon.endpoints() == set()


def _fits(daemon: t.Any, network: t.Mapping[str, t.Any], endpoint: Endpoint) -> None:
    request = AttachmentRequest("app", str(network["Name"]), endpoint=endpoint)
    check_endpoint_fits(daemon, request, network, str(daemon._container("app")["Id"]))


@pytest.mark.parametrize(
    ("endpoint", "field", "words"),
    [
        pytest.param(Endpoint(ipv4_address="10.9.0.5"), "ipv4_address", "outside every IPv4 pool of network 'web' (10.1.0.0/24)", id="outside"),
        pytest.param(Endpoint(ipv4_address="10.1.0.1"), "ipv4_address", "is the network's gateway", id="gateway"),
        pytest.param(Endpoint(ipv4_address="10.1.0.7"), "ipv4_address", "is the reserved aux address 'router'", id="aux-address"),
        pytest.param(Endpoint(ipv4_address="10.1.0.10"), "ipv4_address", "already used by container 'db'", id="held-by-a-stopped-container"),
        pytest.param(Endpoint(ipv6_address="fd00::5"), "ipv6_address", "outside every IPv6 pool", id="no-ipv6-pool"),
        pytest.param(Endpoint(links=("ghost",)), "links", "container 'ghost' is not on network 'web'", id="link-to-a-stranger"),
    ],
)
def test_an_endpoint_that_does_not_fit_names_the_field(daemon: t.Any, endpoint: Endpoint, field: str, words: str) -> None:
    network = daemon.add_network("web", "10.1.0.0/24")
    network["IPAM"]["Config"][0].update({"Gateway": "10.1.0.1", "AuxiliaryAddresses": {"router": "10.1.0.7"}})
    daemon.add_container("app")
    db = daemon.add_container("db")
    db["State"]["Running"] = False
    daemon._connect(network["Id"], {"Container": db["Id"], "EndpointConfig": {"IPAMConfig": {"IPv4Address": "10.1.0.10"}}})
    network["Containers"].pop(db["Id"])  # the network lists running containers only
    daemon.add_container("ghost")
    with pytest.raises(ValidationError) as failure:
        _fits(daemon, daemon.get("/networks/web"), endpoint)
    assert failure.value.field == field and words in str(failure.value)


@pytest.mark.parametrize(
    ("network", "endpoint", "field"),
    [
        pytest.param({"Name": "bridge", "Driver": "bridge"}, Endpoint(aliases=("api",)), "aliases", id="aliases-on-the-default-bridge"),
        pytest.param({"Name": "web", "IPAM": {"Config": []}}, Endpoint(ipv4_address="10.1.0.5"), "ipv4_address", id="no-configured-subnet"),
        pytest.param({"Name": "mesh", "Scope": "swarm", "Attachable": False}, Endpoint(), "network", id="swarm-not-attachable"),
    ],
)
def test_an_endpoint_the_network_refuses_fails_before_a_request(daemon: t.Any, network: t.Dict[str, t.Any], endpoint: Endpoint, field: str) -> None:
    daemon.add_container("app")
    with pytest.raises(ValidationError) as failure:
        _fits(daemon, {"Id": "n1", **network}, endpoint)
    assert failure.value.field == field
    assert changing(daemon.calls) == []


def test_a_free_address_inside_the_pool_fits(daemon: t.Any) -> None:
    network = daemon.add_network("web", "10.1.0.0/24")
    daemon.add_container("app")
    _fits(daemon, network, Endpoint(aliases=("api",), ipv4_address="10.1.0.20"))


def test_planning_sends_nothing_that_changes_the_daemon(daemon: t.Any) -> None:
    """Check mode is planning without applying: creates, recreates, connects, disconnects and removals alike."""
    web_with_app(daemon)
    daemon.add_network("old", "10.5.0.0/24", labels={"dockernet.topology": "shop"})
    daemon.add_container("fresh")
    topology = topology_from_params(
        "shop", [MOVED, {"name": "new", "ipam_config": [{"subnet": "10.3.0.0/24"}]}],
        [{"container": "fresh", "network": "new"}, {"container": "app", "network": "web", "aliases": ["other"]},
         {"container": "fresh", "network": "web", "state": "disconnected"}],
    )
    outcome = plan(daemon, topology, state="present", purge=True)
    assert outcome.as_dict()["changed"] and "remove network old" in outcome.as_dict()["actions"]
    single = [
        plan_present(daemon, desired_from_params({"name": "other"})),
        plan_absent(daemon, "web", force=True),
        plan_connect(daemon, AttachmentRequest("fresh", "web", endpoint=Endpoint(aliases=("x",)))),
    ]
    assert all(result.changed for result in single)
    assert changing(daemon.calls) == []


def test_a_swarm_worker_connects_by_name_to_a_network_it_cannot_see_yet(daemon: t.Any) -> None:
    daemon.info = {"Swarm": {"LocalNodeState": "active", "ControlAvailable": False}}
    mesh = daemon.add_network("mesh", "10.7.0.0/24")
    hidden = daemon.networks.pop(mesh["Id"])  # a worker shows a swarm network only once one of its containers is on it
    post = daemon.post

    def manager_finds_it(path: str, body: t.Any = None, params: t.Any = None) -> t.Any:
        if path == "/networks/mesh/connect":
            daemon.networks[hidden["Id"]] = hidden
        return post(path, body, params)

    daemon.post = manager_finds_it
    daemon.add_container("app")
    result = plan_connect(daemon, AttachmentRequest("app", "mesh", endpoint=Endpoint(aliases=("api",))))
    assert result.actions == ["connect container app to network mesh"] and result.attachment is not None
    assert result.attachment["network_id"] is None and changing(daemon.calls) == []
    apply(daemon, [result.plan])
    assert "POST /networks/mesh/connect" in daemon.calls and daemon.endpoints() == {("app", "mesh")}
    assert result.attachment["network_id"] == mesh["Id"] and result.attachment["aliases"] == ["api"]
    missing = plan_connect(daemon, AttachmentRequest("app", "nowhere"))
    with pytest.raises(ValidationError, match="no network named 'nowhere' on this swarm worker or its managers"):
        apply(daemon, [missing.plan])
