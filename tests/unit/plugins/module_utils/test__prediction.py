# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for the check-mode predictions: the shape and the knowable values of a real run's results."""

from __future__ import annotations

import typing as t

import pytest
from ansible_collections.dockernet.core.plugins.module_utils._attachment_state import predicted_attachment
from ansible_collections.dockernet.core.plugins.module_utils._endpoint import Endpoint
from ansible_collections.dockernet.core.plugins.module_utils._network_compare import network_differences
from ansible_collections.dockernet.core.plugins.module_utils._network_spec import (
    actual_from_inspect,
    comparable_actual,
    desired_from_params,
    predicted_state,
)
from ansible_collections.dockernet.core.plugins.module_utils._prediction import (
    member_entry,
    predicted_network,
    predicted_pools,
    with_members,
)

# The keys of a Docker 28 (API 1.51) network inspect result.
INSPECT_KEYS = {
    "Name", "Id", "Created", "Scope", "Driver", "EnableIPv4", "EnableIPv6", "IPAM", "Internal", "Attachable",
    "Ingress", "ConfigFrom", "ConfigOnly", "Containers", "Options", "Labels",
}
# The keys of network_attachment's `attachment` after a real connect.
ATTACHMENT_KEYS = {"network", "network_id", "container", "container_id", "ipv4_address", "ipv6_address", "mac_address", "aliases", "dns_names", "settings"}


def _desired(**params: t.Any) -> t.Any:
    return desired_from_params({"name": "backend", **params})


def _predicted(params: t.Dict[str, t.Any], actual: t.Optional[t.Dict[str, t.Any]], api_version: str = "1.51") -> t.Dict[str, t.Any]:
    """The prediction for a task's parameters and an inspect result, composed as the network module does."""
    desired = _desired(**params)
    state = predicted_state(desired, comparable_actual(actual_from_inspect(actual), desired) if actual is not None else None)
    return predicted_network(state, actual, api_version)


def _actual(**extra: t.Any) -> t.Dict[str, t.Any]:
    inspect: t.Dict[str, t.Any] = {
        "Name": "backend", "Id": "f" * 64, "Created": "2026-01-01T00:00:00Z", "Scope": "local", "Driver": "bridge",
        "EnableIPv4": True, "EnableIPv6": False,
        "IPAM": {"Driver": "default", "Options": {}, "Config": [{"Subnet": "10.30.0.0/24", "Gateway": "10.30.0.1"}]},
        "Internal": False, "Attachable": False, "Ingress": False, "ConfigFrom": {"Network": ""}, "ConfigOnly": False,
        "Containers": {"c" * 64: {"Name": "web", "EndpointID": "e" * 64, "MacAddress": "6e:00:00:00:00:01",
                                  "IPv4Address": "10.30.0.2/24", "IPv6Address": ""}},
        "Options": {"com.docker.network.driver.mtu": "1500"}, "Labels": {"tier": "back"},
    }
    inspect.update(extra)
    return inspect


def _container(running: bool = True) -> t.Dict[str, t.Any]:
    return {"Id": "c" * 64, "Name": "/web", "State": {"Running": running}}


def test_created_network_has_the_inspect_keys_with_unknowns_null() -> None:
    network = _predicted({"internal": True, "labels": {"tier": "back"}}, None)
    assert set(network) == INSPECT_KEYS
    assert network["Id"] is None and network["Created"] is None
    assert network["Name"] == "backend"
    assert network["Driver"] == "bridge"
    assert network["Internal"] is True
    assert network["Labels"] == {"tier": "back"}
    assert network["ConfigFrom"] == {"Network": ""}
    assert network["Containers"] == {}
    assert network["IPAM"] == {"Driver": "default", "Options": {}, "Config": [{"Subnet": None, "Gateway": None}]}


@pytest.mark.parametrize(
    "api_version, has_enable_ipv4",
    [
        pytest.param("1.41", False, id="api-1.41-no-enable-ipv4"),
        pytest.param("1.47", False, id="api-1.47-no-enable-ipv4"),
        pytest.param("1.48", True, id="api-1.48-enable-ipv4"),
        pytest.param("1.51", True, id="api-1.51-enable-ipv4"),
    ],
)
def test_created_network_reports_enable_ipv4_where_the_engine_does(api_version: str, has_enable_ipv4: bool) -> None:
    assert ("EnableIPv4" in _predicted({}, None, api_version)) is has_enable_ipv4


@pytest.mark.parametrize(
    "params, expected",
    [
        pytest.param({}, [{"Subnet": None, "Gateway": None}], id="daemon-picks-ipv4"),
        pytest.param({"ipam_config": [{"subnet": "10.30.0.0/24"}]}, [{"Subnet": "10.30.0.0/24"}], id="given-subnet-only"),
        pytest.param(
            {"ipam_config": [{"subnet": "10.30.0.0/24", "gateway": "10.30.0.1", "ip_range": "10.30.0.128/25",
                              "aux_addresses": {"router": "10.30.0.2"}}]},
            [{"Subnet": "10.30.0.0/24", "IPRange": "10.30.0.128/25", "Gateway": "10.30.0.1", "AuxiliaryAddresses": {"router": "10.30.0.2"}}],
            id="given-full-pool",
        ),
        pytest.param(
            {"enable_ipv6": True, "ipam_config": [{"subnet": "10.30.0.0/24"}]},
            [{"Subnet": "10.30.0.0/24"}, {"Subnet": None, "Gateway": None}], id="daemon-picks-ipv6",
        ),
        pytest.param(
            {"enable_ipv6": True, "enable_ipv4": False, "ipam_config": [{"subnet": "fd00:30::/64"}]},
            [{"Subnet": "fd00:30::/64"}], id="ipv6-only",
        ),
        pytest.param({"config_only": True, "ipam_config": [{"subnet": "10.30.0.0/24"}]}, [{"Subnet": "10.30.0.0/24"}], id="config-only"),
        pytest.param({"config_from": "template"}, [], id="config-from"),
    ],
)
def test_predicted_pools(params: t.Dict[str, t.Any], expected: t.List[t.Dict[str, t.Any]]) -> None:
    assert _predicted(params, None)["IPAM"]["Config"] == expected
    assert predicted_pools(predicted_state(_desired(**params), None)) == expected


def test_recreated_network_keeps_the_engines_keys_and_no_endpoint_yet() -> None:
    actual = _actual(Peers=[{"Name": "node1", "IP": "192.0.2.1"}])
    network = _predicted({"internal": True}, actual)
    assert set(network) == INSPECT_KEYS | {"Peers"}
    assert network["Id"] is None and network["Created"] is None
    assert network["Internal"] is True
    assert network["Labels"] == {"tier": "back"}  # not given: kept
    assert network["Options"] == {"com.docker.network.driver.mtu": "1500"}
    assert network["IPAM"]["Config"] == [{"Subnet": "10.30.0.0/24", "Gateway": "10.30.0.1"}]
    assert network["Containers"] == {}
    assert actual["Id"] == "f" * 64  # the actual result is left alone


def test_recreate_on_an_engine_without_enable_ipv4_does_not_invent_it() -> None:
    actual = _actual()
    del actual["EnableIPv4"]
    assert "EnableIPv4" not in _predicted({"internal": True}, actual)


def test_recreate_applies_the_new_pool_and_drops_the_daemons_own() -> None:
    network = _predicted({"ipam_config": [{"subnet": "10.31.0.0/24"}]}, _actual())
    assert network["IPAM"]["Config"] == [{"Subnet": "10.31.0.0/24"}]


@pytest.mark.parametrize(
    "running, target, mac, settings",
    [
        pytest.param(
            True, Endpoint(), None,
            {"aliases": [], "links": [], "link_local_ips": [], "driver_opts": {}, "gw_priority": 0, "mac_address": None},
            id="running-daemon-picks-everything",
        ),
        pytest.param(
            False, Endpoint(), None,
            {"aliases": [], "links": [], "link_local_ips": [], "driver_opts": {}, "gw_priority": 0},
            id="stopped-no-mac-yet",
        ),
        pytest.param(
            True, Endpoint(aliases=("api",), ipv4_address="10.30.0.10", links=("db:db",), gw_priority=5), "02:42:0a:1e:00:0a",
            {"aliases": ["api"], "ipv4_address": "10.30.0.10", "links": ["db:db"], "link_local_ips": [], "driver_opts": {},
             "gw_priority": 5, "mac_address": "02:42:0a:1e:00:0a"},
            id="running-static-settings-kept-mac",
        ),
    ],
)
def test_predicted_attachment(running: bool, target: Endpoint, mac: t.Optional[str], settings: t.Dict[str, t.Any]) -> None:
    view = predicted_attachment(_container(running), "backend", None, target, mac)
    assert set(view) == ATTACHMENT_KEYS
    assert view["settings"] == settings
    assert view["container"] == "web" and view["container_id"] == "c" * 64
    assert view["network"] == "backend" and view["network_id"] is None
    assert view["ipv4_address"] == target.ipv4_address
    assert view["mac_address"] == mac
    assert view["aliases"] == list(target.aliases or ())
    assert view["dns_names"] is None


def test_with_members_joins_and_leaves() -> None:
    network = _actual()
    joined = {"d" * 64: member_entry("api", None)}
    after = with_members(network, joined, ["web"])
    assert after["Containers"] == {"d" * 64: {"Name": "api", "EndpointID": None, "MacAddress": None, "IPv4Address": None, "IPv6Address": None}}
    assert "c" * 64 in network["Containers"]  # the given result is left alone


def test_a_network_from_a_config_only_network_reports_its_pools_and_options() -> None:
    source = _actual(Name="template", ConfigOnly=True, Driver="null", Options={"parent": "eth0"}, Containers={})
    state = predicted_state(_desired(driver="macvlan", config_from="template"), None)
    network = predicted_network(state, None, "1.51", source)
    assert network["IPAM"] == source["IPAM"] and network["IPAM"] is not source["IPAM"]
    assert network["Options"] == {"parent": "eth0"}
    assert network["Driver"] == "macvlan"
    assert network["ConfigFrom"] == {"Network": "template"} and network["ConfigOnly"] is False


@pytest.mark.parametrize(
    "params, options",
    [
        pytest.param({"driver": "overlay", "attachable": True}, {"com.docker.network.driver.overlay.vxlanid_list": None}, id="overlay-vxlan-picked"),
        pytest.param(
            {"driver": "overlay", "driver_options": {"com.docker.network.driver.overlay.vxlanid_list": "5000"}},
            {"com.docker.network.driver.overlay.vxlanid_list": "5000"}, id="overlay-vxlan-given",
        ),
        pytest.param({"driver_options": {"com.docker.network.driver.mtu": 1400}}, {"com.docker.network.driver.mtu": "1400"}, id="bridge-as-given"),
    ],
)
def test_predicted_driver_options_include_what_the_daemon_adds(params: t.Dict[str, t.Any], options: t.Dict[str, t.Any]) -> None:
    assert _predicted(params, None)["Options"] == options


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"internal": True, "labels": {"a": "b"}, "purge_labels": True}, id="flags"),
        pytest.param({"driver": "overlay", "driver_options": {}, "scope": "swarm", "attachable": True}, id="overlay"),
        pytest.param({"enable_ipv6": True, "enable_ipv4": False, "ipam_config": [{"subnet": "fd00:1::/64", "gateway": "fd00:1::1"}],
                      "ipam_options": {"x": "1"}}, id="ipv6-only"),
        pytest.param({"config_only": True, "ipam_config": [{"subnet": "10.1.0.0/24"}]}, id="config-only"),
    ],
)
def test_the_predicted_inspect_result_is_no_difference(params: t.Dict[str, t.Any]) -> None:
    """The check-mode inspect result reads back as the task asked: the next run would be unchanged."""
    desired = _desired(**params)
    predicted = actual_from_inspect(_predicted(params, None))
    assert network_differences(desired, comparable_actual(predicted, desired)) == []
