# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for comparing a desired with an actual network, and for the create body."""

from __future__ import annotations

import typing as t

import pytest
from ansible_collections.dockernet.core.plugins.module_utils._compare import Difference, compare_values
from ansible_collections.dockernet.core.plugins.module_utils._network_compare import (
    compare_pools,
    create_body,
    network_differences,
    required_api_versions,
)
from ansible_collections.dockernet.core.plugins.module_utils._network_spec import (
    NETWORK_FIELDS,
    NetworkState,
    Pool,
    actual_from_inspect,
    comparable_actual,
    desired_from_params,
)

BASE_INSPECT: t.Dict[str, t.Any] = {
    "Name": "backend",
    "Id": "f" * 64,
    "Driver": "bridge",
    "Scope": "local",
    "EnableIPv6": False,
    "Internal": False,
    "Attachable": False,
    "Ingress": False,
    "ConfigOnly": False,
    "ConfigFrom": {"Network": ""},
    "IPAM": {"Driver": "default", "Options": None, "Config": [{"Subnet": "10.10.0.0/24", "Gateway": "10.10.0.1"}]},
    "Options": {},
    "Labels": {},
}


def _inspect(**changes: t.Any) -> t.Dict[str, t.Any]:
    inspect = dict(BASE_INSPECT)
    inspect.update(changes)
    return inspect


def _differences(params: t.Dict[str, t.Any], inspect: t.Dict[str, t.Any]) -> t.List[t.Dict[str, t.Any]]:
    desired = desired_from_params({"name": "backend", **params})
    return [d.as_dict() for d in network_differences(desired, actual_from_inspect(inspect))]


@pytest.mark.parametrize(
    "params, inspect",
    [
        pytest.param({}, _inspect(), id="nothing-given"),
        pytest.param({"driver": "bridge"}, _inspect(), id="driver"),
        pytest.param(
            {"enable_ipv6": True, "ipam_config": [{"subnet": "fd00:0:0::/64", "gateway": "fd00:0::1"}]},
            _inspect(EnableIPv6=True, IPAM={"Driver": "default", "Config": [{"Subnet": "fd00::/64", "Gateway": "fd00::1"}]}),
            id="ipv6-spelling-desired",
        ),
        pytest.param(
            {"enable_ipv6": True, "ipam_config": [{"subnet": "fd00::/64", "gateway": "fd00::1"}]},
            _inspect(EnableIPv6=True, IPAM={"Config": [{"Subnet": "fd00:0000:0:0::/64", "Gateway": "FD00:0::1/64"}]}),
            id="ipv6-spelling-actual",
        ),
        pytest.param(
            {"enable_ipv6": True, "ipam_config": [{"subnet": "fd00::/64"}, {"subnet": "10.10.0.0/24"}]},
            _inspect(EnableIPv6=True, IPAM={"Config": [{"Subnet": "10.10.0.0/24"}, {"Subnet": "fd00::/64"}]}),
            id="pool-order-swapped-ipv6",
        ),
        pytest.param(
            {"ipam_config": [{"subnet": "10.20.0.0/24"}, {"subnet": "10.10.0.0/24"}]},
            _inspect(IPAM={"Config": [{"Subnet": "10.10.0.0/24"}, {"Subnet": "10.20.0.0/24"}]}),
            id="pool-order-swapped",
        ),
        pytest.param(
            {"ipam_config": [{"subnet": "10.10.0.0/24"}]},
            _inspect(), id="gateway-left-out",
        ),
        pytest.param(
            {"ipam_config": [{"subnet": "10.10.0.0/24", "gateway": "10.10.0.1"}]},
            _inspect(IPAM={"Config": [{"Subnet": "10.10.0.0/24", "Gateway": "10.10.0.1/24"}]}),
            id="gateway-with-prefix",
        ),
        pytest.param(
            {"driver_options": {"com.docker.network.driver.mtu": 1400}},
            _inspect(Options={"com.docker.network.driver.mtu": "1400"}), id="driver-option-int-vs-string",
        ),
        pytest.param(
            {"driver_options": {"com.docker.network.bridge.enable_icc": True}},
            _inspect(Options={"com.docker.network.bridge.enable_icc": "true"}), id="driver-option-bool-vs-string",
        ),
        pytest.param(
            {"labels": {"tier": "db"}},
            _inspect(Labels={"tier": "db", "other": "x"}), id="labels-subset",
        ),
        pytest.param({"labels": {}}, _inspect(Labels={"other": "x"}), id="labels-empty-no-purge"),
        pytest.param({"labels": {"on": True}}, _inspect(Labels={"on": "true"}), id="label-bool-vs-string"),
        pytest.param(
            {"driver": "overlay", "driver_options": {}, "scope": "swarm", "attachable": True},
            _inspect(Driver="overlay", Scope="swarm", Attachable=True,
                     Options={"com.docker.network.driver.overlay.vxlanid_list": "4097"}),
            id="overlay-vxlanid-list-ignored",
        ),
        pytest.param(
            {"ipam_options": {}},
            _inspect(IPAM={"Driver": "default", "Options": {"driver": "host-local"},
                           "Config": [{"Subnet": "10.10.0.0/24", "Gateway": "10.10.0.1"}]}),
            id="podman-ipam-driver-host-local-ignored",
        ),
        pytest.param(
            {"ipam_options": {"driver": "host-local"}},
            _inspect(IPAM={"Options": {"driver": "host-local"}, "Config": []}),
            id="podman-ipam-driver-host-local-asked",
        ),
        pytest.param(
            {"enable_ipv4": True, "internal": False, "attachable": False, "config_only": False},
            _inspect(), id="explicit-defaults",
        ),
        pytest.param(
            {"enable_ipv4": True}, _inspect(EnableIPv4=True), id="enable-ipv4-reported",
        ),
        pytest.param(
            {"ipam_config": [{"subnet": "10.10.0.0/24", "aux_addresses": {"r": "10.10.0.2"}}]},
            _inspect(IPAM={"Config": [{"Subnet": "10.10.0.0/24", "AuxiliaryAddresses": {"r": "10.10.0.2"}}]}),
            id="aux-addresses",
        ),
        pytest.param(
            {"ipam_config": [{"subnet": "10.10.0.0/24", "aux_addresses": {}}]},
            _inspect(), id="aux-addresses-empty",
        ),
        pytest.param(
            {"config_from": "cfg", "driver": "macvlan"},
            _inspect(Driver="macvlan", ConfigFrom={"Network": "cfg"},
                     IPAM={"Config": [{"Subnet": "192.168.50.0/24"}]}, Options={"parent": "eth0"}),
            id="config-from",
        ),
    ],
)
def test_same_network_no_difference(params: t.Dict[str, t.Any], inspect: t.Dict[str, t.Any]) -> None:
    assert _differences(params, inspect) == []


@pytest.mark.parametrize(
    "params, inspect, expected",
    [
        pytest.param({"driver": "macvlan"}, _inspect(), [{"field": "driver", "before": "bridge", "after": "macvlan"}], id="driver"),
        pytest.param(
            {"driver_options": {"com.docker.network.driver.mtu": "1400"}},
            _inspect(Options={"com.docker.network.driver.mtu": "1500"}),
            [{"field": "driver_options", "before": {"com.docker.network.driver.mtu": "1500"},
              "after": {"com.docker.network.driver.mtu": "1400"}}],
            id="driver-option-value",
        ),
        pytest.param(
            {"driver_options": {}},
            _inspect(Options={"com.docker.network.bridge.name": "br0"}),
            [{"field": "driver_options", "before": {"com.docker.network.bridge.name": "br0"}, "after": {}}],
            id="driver-option-extra",
        ),
        pytest.param(
            {"driver_options": {"com.docker.network.driver.overlay.vxlanid_list": "5000"}},
            _inspect(Options={"com.docker.network.driver.overlay.vxlanid_list": "4097"}),
            [{"field": "driver_options", "before": {"com.docker.network.driver.overlay.vxlanid_list": "4097"},
              "after": {"com.docker.network.driver.overlay.vxlanid_list": "5000"}}],
            id="vxlanid-list-compared-when-asked",
        ),
        pytest.param(
            {"ipam_driver": "custom"}, _inspect(),
            [{"field": "ipam_driver", "before": "default", "after": "custom"}], id="ipam-driver",
        ),
        pytest.param(
            {"ipam_options": {}},
            _inspect(IPAM={"Options": {"driver": "other"}, "Config": [{"Subnet": "10.10.0.0/24"}]}),
            [{"field": "ipam_options", "before": {"driver": "other"}, "after": {}}],
            id="ipam-option-driver-other-value",
        ),
        pytest.param(
            {"ipam_options": {"foo": "bar"}},
            _inspect(IPAM={"Options": {"driver": "host-local"}, "Config": [{"Subnet": "10.10.0.0/24"}]}),
            [{"field": "ipam_options", "before": {}, "after": {"foo": "bar"}}],
            id="ipam-option-host-local-still-ignored",
        ),
        pytest.param(
            {"ipam_config": [{"subnet": "10.20.0.0/24"}]}, _inspect(),
            [{"field": "ipam_config.subnets", "before": ["10.10.0.0/24"], "after": ["10.20.0.0/24"]}],
            id="subnet",
        ),
        pytest.param(
            {"ipam_config": [{"subnet": "10.10.0.0/24"}, {"subnet": "10.20.0.0/24"}]}, _inspect(),
            [{"field": "ipam_config.subnets", "before": ["10.10.0.0/24"], "after": ["10.10.0.0/24", "10.20.0.0/24"]}],
            id="extra-pool",
        ),
        pytest.param(
            {"ipam_config": [{"subnet": "10.10.0.0/24", "gateway": "10.10.0.254"}]}, _inspect(),
            [{"field": "ipam_config[10.10.0.0/24].gateway", "before": "10.10.0.1", "after": "10.10.0.254"}],
            id="gateway",
        ),
        pytest.param(
            {"ipam_config": [{"subnet": "10.10.0.0/24", "ip_range": "10.10.0.0/25"}]}, _inspect(),
            [{"field": "ipam_config[10.10.0.0/24].ip_range", "before": None, "after": "10.10.0.0/25"}],
            id="ip-range",
        ),
        pytest.param(
            {"ipam_config": [{"subnet": "10.10.0.0/24", "aux_addresses": {}}]},
            _inspect(IPAM={"Config": [{"Subnet": "10.10.0.0/24", "AuxiliaryAddresses": {"r": "10.10.0.2"}}]}),
            [{"field": "ipam_config[10.10.0.0/24].aux_addresses", "before": {"r": "10.10.0.2"}, "after": {}}],
            id="aux-addresses",
        ),
        pytest.param({"enable_ipv6": True}, _inspect(IPAM={"Config": []}),
                     [{"field": "enable_ipv6", "before": False, "after": True}], id="enable-ipv6"),
        pytest.param({"enable_ipv4": False, "enable_ipv6": True}, _inspect(EnableIPv6=True),
                     [{"field": "enable_ipv4", "before": True, "after": False}], id="enable-ipv4"),
        pytest.param({"internal": True}, _inspect(), [{"field": "internal", "before": False, "after": True}], id="internal"),
        pytest.param({"internal": False}, _inspect(Internal=True),
                     [{"field": "internal", "before": True, "after": False}], id="internal-false"),
        pytest.param({"attachable": True}, _inspect(), [{"field": "attachable", "before": False, "after": True}], id="attachable"),
        pytest.param({"ingress": True}, _inspect(), [{"field": "ingress", "before": False, "after": True}], id="ingress"),
        pytest.param({"scope": "swarm"}, _inspect(), [{"field": "scope", "before": "local", "after": "swarm"}], id="scope"),
        pytest.param({"config_only": True}, _inspect(), [{"field": "config_only", "before": False, "after": True}], id="config-only"),
        pytest.param({"config_from": "cfg"}, _inspect(), [{"field": "config_from", "before": None, "after": "cfg"}], id="config-from"),
        pytest.param(
            {"labels": {"tier": "db"}}, _inspect(Labels={"tier": "web", "other": "x"}),
            [{"field": "labels", "before": {"tier": "web", "other": "x"}, "after": {"tier": "db", "other": "x"}}],
            id="label-value",
        ),
        pytest.param(
            {"labels": {"tier": "db"}, "purge_labels": True}, _inspect(Labels={"tier": "db", "other": "x"}),
            [{"field": "labels", "before": {"tier": "db", "other": "x"}, "after": {"tier": "db"}}],
            id="labels-purge",
        ),
        pytest.param(
            {"labels": {}, "purge_labels": True}, _inspect(Labels={"other": "x"}),
            [{"field": "labels", "before": {"other": "x"}, "after": {}}],
            id="labels-purge-all",
        ),
    ],
)
def test_each_difference_is_reported(
    params: t.Dict[str, t.Any], inspect: t.Dict[str, t.Any], expected: t.List[t.Dict[str, t.Any]]
) -> None:
    assert _differences(params, inspect) == expected


def test_several_differences_in_field_order() -> None:
    fields = [d["field"] for d in _differences({"driver": "macvlan", "internal": True, "labels": {"a": "b"}}, _inspect())]
    assert fields == ["driver", "internal", "labels"]


@pytest.mark.parametrize(
    "desired, actual, expected",
    [
        pytest.param(None, "x", [], id="not-given"),
        pytest.param("x", "x", [], id="equal"),
        pytest.param(False, False, [], id="equal-false"),
        pytest.param("y", "x", [Difference("f", "x", "y")], id="different"),
        pytest.param(False, None, [Difference("f", None, False)], id="false-vs-none"),
    ],
)
def test_compare_values(desired: t.Any, actual: t.Any, expected: t.List[Difference]) -> None:
    assert compare_values("f", desired, actual) == expected


def test_difference_describe_and_as_dict() -> None:
    difference = Difference("internal", False, True)
    assert difference.describe() == "internal: False -> True"
    assert difference.as_dict() == {"field": "internal", "before": False, "after": True}


@pytest.mark.parametrize(
    "desired, actual, purge, expected",
    [
        pytest.param(None, {"a": "1"}, True, [], id="not-given"),
        pytest.param({"a": "1"}, {"a": "1", "b": "2"}, False, [], id="subset"),
        pytest.param({"a": "1"}, {"a": "1", "b": "2"}, True,
                     [Difference("labels", {"a": "1", "b": "2"}, {"a": "1"})], id="subset-purge"),
        pytest.param({"a": "1"}, None, False, [Difference("labels", {}, {"a": "1"})], id="actual-none"),
        pytest.param({}, {}, True, [], id="both-empty-purge"),
    ],
)
def test_compare_labels(
    desired: t.Optional[t.Dict[str, str]], actual: t.Optional[t.Dict[str, str]], purge: bool, expected: t.List[Difference]
) -> None:
    wanted = NetworkState(name="n", labels=desired, purge_labels=purge)
    assert network_differences(wanted, NetworkState(name="n", labels=actual)) == expected


def test_compare_pools_not_given() -> None:
    assert compare_pools(None, [Pool(subnet="10.10.0.0/24")]) == []


def test_compare_pools_matches_by_subnet_not_position() -> None:
    desired = [Pool(subnet="10.20.0.0/24", gateway="10.20.0.1"), Pool(subnet="10.10.0.0/24", gateway="10.10.0.1")]
    actual = [Pool(subnet="10.10.0.0/24", gateway="10.10.0.1"), Pool(subnet="10.20.0.0/24", gateway="10.20.0.9")]
    assert compare_pools(desired, actual) == [Difference("ipam_config[10.20.0.0/24].gateway", "10.20.0.9", "10.20.0.1")]


def _state(**fields: t.Any) -> NetworkState:
    return NetworkState(name="backend", **fields)


@pytest.mark.parametrize(
    "state, expected",
    [
        pytest.param(_state(), {"Name": "backend", "CheckDuplicate": True}, id="minimal"),
        pytest.param(
            _state(driver="bridge", enable_ipv6=False, internal=False, attachable=False, ingress=False, config_only=False),
            {"Name": "backend", "CheckDuplicate": True, "Driver": "bridge", "EnableIPv6": False, "Internal": False,
             "Attachable": False, "Ingress": False, "ConfigOnly": False},
            id="explicit-false",
        ),
        pytest.param(
            _state(enable_ipv6=True, internal=True, attachable=True),
            {"Name": "backend", "CheckDuplicate": True, "EnableIPv6": True, "Internal": True, "Attachable": True},
            id="explicit-true",
        ),
        pytest.param(_state(enable_ipv4=True), {"Name": "backend", "CheckDuplicate": True}, id="enable-ipv4-true-not-sent"),
        pytest.param(_state(enable_ipv4=False), {"Name": "backend", "CheckDuplicate": True, "EnableIPv4": False},
                     id="enable-ipv4-false-sent"),
        pytest.param(_state(scope="swarm"), {"Name": "backend", "CheckDuplicate": True, "Scope": "swarm"}, id="scope"),
        pytest.param(_state(labels={}), {"Name": "backend", "CheckDuplicate": True}, id="labels-empty"),
        pytest.param(_state(labels={"a": "1"}), {"Name": "backend", "CheckDuplicate": True, "Labels": {"a": "1"}}, id="labels"),
        pytest.param(_state(driver_options={}), {"Name": "backend", "CheckDuplicate": True}, id="driver-options-empty"),
        pytest.param(
            _state(driver_options={"com.docker.network.driver.mtu": "1400"}),
            {"Name": "backend", "CheckDuplicate": True, "Options": {"com.docker.network.driver.mtu": "1400"}},
            id="driver-options",
        ),
        pytest.param(
            _state(ipam_driver="custom"),
            {"Name": "backend", "CheckDuplicate": True, "IPAM": {"Driver": "custom", "Config": []}},
            id="ipam-driver-only",
        ),
        pytest.param(
            _state(ipam_options={"foo": "bar"}),
            {"Name": "backend", "CheckDuplicate": True, "IPAM": {"Driver": "default", "Options": {"foo": "bar"}, "Config": []}},
            id="ipam-options-only",
        ),
        pytest.param(
            _state(ipam_config=(
                Pool(subnet="10.10.0.0/24", ip_range="10.10.0.0/25", gateway="10.10.0.1", aux_addresses={"router": "10.10.0.2"}),
                Pool(subnet="fd00::/64", aux_addresses={}),
            )),
            {"Name": "backend", "CheckDuplicate": True, "IPAM": {"Driver": "default", "Config": [
                {"Subnet": "10.10.0.0/24", "IPRange": "10.10.0.0/25", "Gateway": "10.10.0.1",
                 "AuxiliaryAddresses": {"router": "10.10.0.2"}},
                {"Subnet": "fd00::/64"},
            ]}},
            id="pools-with-aux-addresses",
        ),
        pytest.param(
            _state(driver="macvlan", config_from="cfg", driver_options={"parent": "eth0"}, ipam_driver="default",
                   ipam_options={"x": "y"}, ipam_config=(Pool(subnet="10.10.0.0/24"),), enable_ipv6=False,
                   enable_ipv4=False, attachable=True),
            {"Name": "backend", "CheckDuplicate": True, "Driver": "macvlan", "Attachable": True, "ConfigFrom": {"Network": "cfg"}},
            id="config-from-strips-ipam-and-options",
        ),
        pytest.param(
            _state(driver="macvlan", config_only=True, driver_options={"parent": "eth0"}, ipam_config=(Pool(subnet="10.10.0.0/24"),)),
            {"Name": "backend", "CheckDuplicate": True, "Driver": "macvlan", "ConfigOnly": True,
             "Options": {"parent": "eth0"}, "IPAM": {"Driver": "default", "Config": [{"Subnet": "10.10.0.0/24"}]}},
            id="config-only",
        ),
    ],
)
def test_create_body(state: NetworkState, expected: t.Dict[str, t.Any]) -> None:
    assert create_body(state) == expected


def test_create_body_from_params() -> None:
    desired = desired_from_params({
        "name": "backend", "enable_ipv6": False, "internal": False, "attachable": False,
        "ipam_config": [{"subnet": "10.10.0.0/24", "gateway": "10.10.0.1", "aux_addresses": {"nas": "10.10.0.9"}}],
    })
    assert create_body(desired) == {
        "Name": "backend", "CheckDuplicate": True, "Driver": "bridge",
        "IPAM": {"Driver": "default", "Config": [{"Subnet": "10.10.0.0/24", "Gateway": "10.10.0.1",
                                                  "AuxiliaryAddresses": {"nas": "10.10.0.9"}}]},
        "EnableIPv6": False, "Internal": False, "Attachable": False,
    }


@pytest.mark.parametrize(
    "state, expected",
    [
        pytest.param(_state(), [], id="nothing"),
        pytest.param(_state(enable_ipv6=True, internal=True, scope="local"), [], id="old-options"),
        pytest.param(_state(enable_ipv4=False), [("enable_ipv4", "1.48")], id="enable-ipv4-false"),
        pytest.param(_state(enable_ipv4=True), [], id="enable-ipv4-true-is-every-daemon's-default"),
    ],
)
def test_required_api_versions(state: NetworkState, expected: t.List[t.Tuple[str, str]]) -> None:
    assert required_api_versions(state) == expected


# Podman 4.3.1 network inspect (Docker API), as captured for a network created with
# subnet 10.135.2.0/24, gateway, internal and com.docker.network.driver.mtu=1400.
PODMAN_INSPECT: t.Dict[str, t.Any] = {
    "Name": "cap-r",
    "Id": "09fc113dde09eabd01c55d764c15a10313cd359b9b3f833d9311c4ed5521d8a2",
    "Created": "2026-11-27T20:43:29.990463435Z",
    "Scope": "local",
    "Driver": "bridge",
    "EnableIPv6": False,
    "IPAM": {"Driver": "default", "Options": {"driver": "host-local"}, "Config": [{"Subnet": "10.135.2.0/24", "Gateway": "10.135.2.1"}]},
    "Internal": True,
    "Attachable": False,
    "Ingress": False,
    "ConfigFrom": {"Network": ""},
    "ConfigOnly": False,
    "Containers": {},
    "Options": {"mtu": "1400"},
    "Labels": {},
}


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"driver_options": {"com.docker.network.driver.mtu": "1400"}}, id="docker-spelling"),
        pytest.param({"driver_options": {"mtu": 1400}}, id="podman-spelling"),
        pytest.param({"ipam_options": {}}, id="no-ipam-options-asked"),
        pytest.param({"ipam_options": {"driver": "host-local"}}, id="podman-ipam-option-asked"),
        pytest.param({"internal": True, "ipam_driver": "default", "ipam_config": [{"subnet": "10.135.2.0/24", "gateway": "10.135.2.1"}]},
                     id="pool-and-flags"),
    ],
)
def test_podman_network_is_no_difference(params: t.Dict[str, t.Any]) -> None:
    desired = desired_from_params({"name": "cap-r", "internal": True, **params})
    assert network_differences(desired, actual_from_inspect(PODMAN_INSPECT)) == []


def test_podman_mtu_change_is_a_difference() -> None:
    desired = desired_from_params({"name": "cap-r", "internal": True, "driver_options": {"com.docker.network.driver.mtu": "1500"}})
    assert network_differences(desired, actual_from_inspect(PODMAN_INSPECT)) == [
        Difference("driver_options", {"com.docker.network.driver.mtu": "1400"}, {"com.docker.network.driver.mtu": "1500"})
    ]


@pytest.mark.parametrize(
    "actual, desired, expected",
    [
        pytest.param({"mtu": "1400"}, {"com.docker.network.driver.mtu": "1400"}, {"com.docker.network.driver.mtu": "1400"}, id="renamed"),
        pytest.param({"mtu": "1400"}, {"mtu": "1400"}, {"mtu": "1400"}, id="asked-in-podman-spelling"),
        pytest.param({"com.docker.network.driver.mtu": "1400"}, {"com.docker.network.driver.mtu": "1400"},
                     {"com.docker.network.driver.mtu": "1400"}, id="docker"),
        pytest.param({"mtu": "1400", "com.docker.network.driver.mtu": "1500"}, {"com.docker.network.driver.mtu": "1500"},
                     {"mtu": "1400", "com.docker.network.driver.mtu": "1500"}, id="both-stored-left-alone"),
        pytest.param({"mtu": "1400"}, {}, {"mtu": "1400"}, id="not-asked"),
    ],
)
def test_spelled_as_asked(actual: t.Dict[str, str], desired: t.Dict[str, str], expected: t.Dict[str, str]) -> None:
    assert next(f for f in NETWORK_FIELDS if f.name == "driver_options").spelled_as_asked(actual, desired) == expected


VXLAN = "com.docker.network.driver.overlay.vxlanid_list"
OVERLAY_INSPECT = _inspect(Driver="overlay", Scope="swarm", Attachable=True, Options={VXLAN: "257"})


@pytest.mark.parametrize(
    "params, inspect, expected",
    [
        pytest.param({"driver": "overlay", "driver_options": {VXLAN: "257"}}, OVERLAY_INSPECT, [], id="vxlanid-asked-and-kept"),
        pytest.param(
            {"driver": "overlay", "driver_options": {VXLAN: "300"}}, OVERLAY_INSPECT,
            [{"field": "driver_options", "before": {VXLAN: "257"}, "after": {VXLAN: "300"}}], id="vxlanid-asked-other",
        ),
        pytest.param({"driver": "overlay", "driver_options": {}}, OVERLAY_INSPECT, [], id="vxlanid-not-asked-ignored"),
        pytest.param({"driver": "overlay"}, OVERLAY_INSPECT, [], id="driver-options-not-given"),
        pytest.param(
            {"ipam_options": {"driver": "host-local"}},
            _inspect(IPAM={"Options": {"driver": "host-local"}, "Config": [{"Subnet": "10.10.0.0/24"}]}), [], id="podman-ipam-driver-asked",
        ),
        pytest.param(
            {"ipam_options": {}},
            _inspect(IPAM={"Options": {"driver": "host-local"}, "Config": [{"Subnet": "10.10.0.0/24"}]}), [], id="podman-ipam-driver-not-asked",
        ),
    ],
)
def test_engine_added_options_through_comparable_actual(params: t.Dict[str, t.Any], inspect: t.Dict[str, t.Any], expected: t.List[t.Any]) -> None:
    """As plan_present compares: the actual state made comparable for the desired one, then compared."""
    desired = desired_from_params({"name": "backend", **params})
    actual = comparable_actual(actual_from_inspect(inspect), desired)
    assert [d.as_dict() for d in network_differences(desired, actual)] == expected


def test_comparable_actual_without_a_desired_state_drops_what_the_engine_adds() -> None:
    assert comparable_actual(actual_from_inspect(OVERLAY_INSPECT)).driver_options == {}


def test_an_asked_vxlanid_shows_on_both_sides_of_the_diff() -> None:
    desired = desired_from_params({"name": "backend", "driver": "overlay", "driver_options": {VXLAN: "257"}})
    actual = comparable_actual(actual_from_inspect(OVERLAY_INSPECT), desired)
    assert actual.as_dict()["driver_options"] == {VXLAN: "257"}


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({}, id="minimal"),
        pytest.param({"driver": "macvlan", "driver_options": {"parent": "eth0"}, "ipam_driver": "custom", "ipam_options": {"a": "1"},
                      "enable_ipv6": True, "enable_ipv4": False, "internal": True, "attachable": True, "ingress": False,
                      "scope": "swarm", "labels": {"tier": "db"}, "purge_labels": True,
                      "ipam_config": [{"subnet": "fd00:1::/64", "gateway": "fd00:1::1", "ip_range": "fd00:1::/80", "aux_addresses": {"r": "fd00:1::2"}}]},
                     id="every-setting"),
        pytest.param({"config_only": True, "ipam_config": [{"subnet": "10.1.0.0/24"}]}, id="config-only"),
    ],
)
def test_the_create_body_read_as_an_inspect_result_is_no_difference(params: t.Dict[str, t.Any]) -> None:
    """Each field's key is the same in the create body and in inspect results: what is sent reads back as asked."""
    desired = desired_from_params({"name": "backend", **params})
    assert network_differences(desired, actual_from_inspect(create_body(desired))) == []
