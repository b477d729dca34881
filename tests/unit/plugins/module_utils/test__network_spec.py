# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for the desired and actual network state (validation and normalisation)."""

from __future__ import annotations

import dataclasses
import importlib
import typing as t

import pytest
import yaml
from ansible_collections.dockernet.core.plugins.module_utils._compare import Option
from ansible_collections.dockernet.core.plugins.module_utils._network_spec import (
    NETWORK_FIELDS,
    NETWORK_OPTIONS,
    NetworkState,
    Pool,
    actual_from_inspect,
    check_name,
    desired_from_params,
    predicted_state,
    sort_pools,
)
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError


def _params(**extra: t.Any) -> t.Dict[str, t.Any]:
    params: t.Dict[str, t.Any] = {"name": "backend"}
    params.update(extra)
    return params


@pytest.mark.parametrize(
    "params, field, fragment",
    [
        pytest.param({"name": ""}, "name", "is empty", id="empty-name"),
        pytest.param({"name": "   "}, "name", "is empty", id="blank-name"),
        pytest.param({"name": None}, "name", "is empty", id="missing-name"),
        pytest.param({"name": "-backend"}, "name", "is not a valid network name", id="name-leading-dash"),
        pytest.param({"name": "back end"}, "name", "is not a valid network name", id="name-with-space"),
        pytest.param({"name": "back/end"}, "name", "is not a valid network name", id="name-with-slash"),
        pytest.param(_params(scope="cluster"), "scope", "'cluster' is not a scope", id="bad-scope"),
        pytest.param(_params(driver=""), "driver", "is empty", id="empty-driver"),
        pytest.param(_params(driver="  "), "driver", "is empty", id="blank-driver"),
        pytest.param(_params(ipam_config=[{"gateway": "10.10.0.1"}]), "ipam_config[0].subnet", "is required", id="missing-subnet"),
        pytest.param(_params(ipam_config=[{"subnet": ""}]), "ipam_config[0].subnet", "is required", id="empty-subnet"),
        pytest.param(_params(ipam_config=[None]), "ipam_config[0].subnet", "is required", id="null-pool"),
        pytest.param(
            _params(ipam_config=[{"subnet": "10.10.0.0/24"}, {"subnet": "10.20.0.0"}]),
            "ipam_config[1].subnet", "is not a CIDR", id="second-subnet-no-prefix",
        ),
        pytest.param(
            _params(ipam_config=[{"subnet": "10.10.0.1/24"}]),
            "ipam_config[0].subnet", "the network address is 10.10.0.0/24", id="subnet-host-bits",
        ),
        pytest.param(
            _params(ipam_config=[{"subnet": "10.10.0.0/24", "gateway": "10.20.0.1"}]),
            "ipam_config[0].gateway", "is outside the pool's subnet 10.10.0.0/24", id="gateway-outside",
        ),
        pytest.param(
            _params(ipam_config=[{"subnet": "10.10.0.0/24", "gateway": "fd00::1"}]),
            "ipam_config[0].gateway", "is outside the pool's subnet", id="gateway-other-family",
        ),
        pytest.param(
            _params(ipam_config=[{"subnet": "10.10.0.0/24", "gateway": "10.10.0.300"}]),
            "ipam_config[0].gateway", "is not a valid IP address", id="gateway-malformed",
        ),
        pytest.param(
            _params(ipam_config=[{"subnet": "10.10.0.0/24", "ip_range": "10.20.0.0/25"}]),
            "ipam_config[0].ip_range", "is outside the pool's subnet", id="ip-range-outside",
        ),
        pytest.param(
            _params(ipam_config=[{"subnet": "10.10.0.0/24", "ip_range": "10.10.0.0/23"}]),
            "ipam_config[0].ip_range", "is outside the pool's subnet", id="ip-range-larger",
        ),
        pytest.param(
            _params(enable_ipv6=True, ipam_config=[{"subnet": "10.10.0.0/24", "ip_range": "fd00::/80"}]),
            "ipam_config[0].ip_range", "is outside the pool's subnet", id="ip-range-other-family",
        ),
        pytest.param(
            _params(ipam_config=[{"subnet": "10.10.0.0/24", "ip_range": "10.10.0.1/25"}]),
            "ipam_config[0].ip_range", "host bits set", id="ip-range-host-bits",
        ),
        pytest.param(
            _params(ipam_config=[{"subnet": "10.10.0.0/24", "aux_addresses": {"router": "10.99.0.2"}}]),
            "ipam_config[0].aux_addresses.router", "is outside the pool's subnet", id="aux-outside",
        ),
        pytest.param(
            _params(ipam_config=[{"subnet": "10.10.0.0/24", "aux_addresses": {"router": "router"}}]),
            "ipam_config[0].aux_addresses.router", "is not a valid IP address", id="aux-malformed",
        ),
        pytest.param(
            _params(ipam_config=[{"subnet": "10.10.0.0/16"}, {"subnet": "10.10.5.0/24"}]),
            "ipam_config", "overlap", id="overlapping-pools",
        ),
        pytest.param(
            _params(enable_ipv6=True, ipam_config=[{"subnet": "fd00::/64"}, {"subnet": "fd00:0:0:0:8000::/65"}]),
            "ipam_config", "overlap", id="overlapping-ipv6-pools",
        ),
        pytest.param(
            _params(ipam_config=[{"subnet": "fd00::/64"}]),
            "enable_ipv6", "must be true", id="ipv6-pool-without-enable-ipv6",
        ),
        pytest.param(
            _params(enable_ipv6=False, ipam_config=[{"subnet": "10.10.0.0/24"}, {"subnet": "fd00::/64"}]),
            "enable_ipv6", "must be true", id="ipv6-pool-with-enable-ipv6-false",
        ),
        pytest.param(
            _params(enable_ipv4=False, enable_ipv6=True, ipam_config=[{"subnet": "10.10.0.0/24"}]),
            "enable_ipv4", "is false but ipam_config has an IPv4 pool", id="ipv4-pool-with-enable-ipv4-false",
        ),
        pytest.param(_params(config_from=""), "config_from", "is empty", id="config-from-empty"),
        pytest.param(_params(config_from="bad name"), "config_from", "is not a valid network name", id="config-from-bad"),
        pytest.param(
            _params(config_from="cfg", ipam_config=[{"subnet": "10.10.0.0/24"}]),
            "config_from", "cannot be combined with ipam_config", id="config-from-with-ipam-config",
        ),
        pytest.param(
            _params(config_from="cfg", driver_options={"parent": "eth0"}),
            "config_from", "cannot be combined with driver_options", id="config-from-with-driver-options",
        ),
        pytest.param(
            _params(config_from="cfg", ipam_driver="default"),
            "config_from", "cannot be combined with ipam_driver", id="config-from-with-ipam-driver",
        ),
        pytest.param(
            _params(config_from="cfg", enable_ipv6=False),
            "config_from", "cannot be combined with enable_ipv6", id="config-from-with-enable-ipv6-false",
        ),
        pytest.param(
            _params(config_from="cfg", config_only=True),
            "config_from", "cannot be combined with config_only", id="config-from-with-config-only",
        ),
        pytest.param(
            _params(driver_options={"mtu": None}),
            "driver_options.mtu", "has no value", id="driver-option-without-value",
        ),
        pytest.param(
            _params(labels={"owner": {"team": "a"}}),
            "labels.owner", "is not a scalar", id="label-dict-value",
        ),
    ],
)
def test_desired_from_params_errors(params: t.Dict[str, t.Any], field: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        desired_from_params(params)
    assert exc_info.value.field == field
    assert str(exc_info.value).startswith(field + ": ")
    assert fragment in str(exc_info.value)


def test_config_from_error_names_every_clashing_option() -> None:
    with pytest.raises(ValidationError) as exc_info:
        desired_from_params(_params(config_from="cfg", driver_options={"a": "b"}, ipam_options={"c": "d"}, enable_ipv4=True))
    message = str(exc_info.value)
    for key in ("driver_options", "ipam_options", "enable_ipv4", "'cfg'"):
        assert key in message


@pytest.mark.parametrize(
    "name",
    ["backend", "b", "9net", "back_end.v2-x", "A" * 64],
    ids=["word", "single-letter", "leading-digit", "punctuation", "long"],
)
def test_check_name_accepts(name: str) -> None:
    assert check_name("name", name) == name


@pytest.mark.parametrize("field", ["name", "config_from"])
def test_check_name_rejects_trailing_newline(field: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        check_name(field, "backend\n")
    assert exc_info.value.field == field


def test_desired_minimal() -> None:
    desired = desired_from_params({"name": "backend"})
    assert desired == NetworkState(name="backend", driver="bridge")
    assert desired.as_dict() == {"name": "backend", "driver": "bridge"}


def test_desired_without_driver_under_config_from_is_not_bridge() -> None:
    assert desired_from_params(_params(config_from="cfg")).driver is None
    assert desired_from_params(_params(config_from="cfg", driver="macvlan")).driver == "macvlan"


def test_desired_normalises_every_field() -> None:
    desired = desired_from_params(_params(
        driver="bridge",
        driver_options={"com.docker.network.driver.mtu": 1400, "com.docker.network.bridge.enable_icc": False},
        ipam_driver="default",
        ipam_options={"foo": 1},
        enable_ipv6=True,
        internal=False,
        attachable=True,
        scope="local",
        labels={"tier": "db", "managed": True},
        purge_labels=True,
        ipam_config=[
            {"subnet": "fd00:0:0::/64", "gateway": "fd00:0::1"},
            {"subnet": " 10.10.0.0/24 ", "ip_range": "10.10.0.128/25", "gateway": "10.10.0.1/24",
             "aux_addresses": {"router": "10.10.0.2", "nas": "10.10.0.3"}},
        ],
    ))
    assert desired.driver_options == {"com.docker.network.driver.mtu": "1400", "com.docker.network.bridge.enable_icc": "false"}
    assert desired.ipam_options == {"foo": "1"}
    assert desired.labels == {"tier": "db", "managed": "true"}
    assert desired.purge_labels is True
    assert desired.internal is False
    assert desired.ipam_config == (
        Pool(subnet="10.10.0.0/24", ip_range="10.10.0.128/25", gateway="10.10.0.1",
             aux_addresses={"router": "10.10.0.2", "nas": "10.10.0.3"}),
        Pool(subnet="fd00::/64", gateway="fd00::1"),
    )


def test_desired_empty_aux_addresses_is_kept_as_given() -> None:
    desired = desired_from_params(_params(ipam_config=[{"subnet": "10.10.0.0/24", "aux_addresses": {}}]))
    assert desired.ipam_config == (Pool(subnet="10.10.0.0/24", aux_addresses={}),)


def test_desired_ipv6_only_network() -> None:
    desired = desired_from_params(_params(enable_ipv4=False, enable_ipv6=True, ipam_config=[{"subnet": "fd00::/64"}]))
    assert desired.enable_ipv4 is False
    assert desired.ipam_config == (Pool(subnet="fd00::/64"),)


def test_pools_of_different_families_may_look_alike() -> None:
    # An IPv4 and an IPv6 pool never overlap, whatever their numbers.
    desired = desired_from_params(_params(enable_ipv6=True, ipam_config=[{"subnet": "::/96"}, {"subnet": "0.0.0.0/8"}]))
    assert [p.subnet for p in desired.ipam_config or ()] == ["0.0.0.0/8", "::/96"]


@pytest.mark.parametrize(
    "subnets, expected",
    [
        pytest.param(["10.10.0.0/24", "10.9.0.0/24"], ["10.9.0.0/24", "10.10.0.0/24"], id="numeric-not-lexical"),
        pytest.param(["fd00::/64", "10.10.0.0/24"], ["10.10.0.0/24", "fd00::/64"], id="ipv4-first"),
        pytest.param(
            ["fd00:10::/64", "fd00:9::/64", "192.168.0.0/24", "10.0.0.0/8"],
            ["10.0.0.0/8", "192.168.0.0/24", "fd00:9::/64", "fd00:10::/64"], id="mixed",
        ),
        pytest.param([], [], id="empty"),
    ],
)
def test_sort_pools(subnets: t.List[str], expected: t.List[str]) -> None:
    assert [p.subnet for p in sort_pools(Pool(subnet=s) for s in subnets)] == expected


def test_desired_pools_are_sorted() -> None:
    desired = desired_from_params(_params(
        enable_ipv6=True,
        ipam_config=[{"subnet": "fd00::/64"}, {"subnet": "10.20.0.0/24"}, {"subnet": "10.3.0.0/24"}],
    ))
    assert [p.subnet for p in desired.ipam_config or ()] == ["10.3.0.0/24", "10.20.0.0/24", "fd00::/64"]


def test_pool_as_dict_leaves_out_what_is_not_set() -> None:
    assert Pool(subnet="10.10.0.0/24").as_dict() == {"subnet": "10.10.0.0/24"}
    assert Pool(subnet="10.10.0.0/24", aux_addresses={}).as_dict() == {"subnet": "10.10.0.0/24"}
    assert Pool(subnet="10.10.0.0/24", ip_range="10.10.0.0/25", gateway="10.10.0.1",
                aux_addresses={"b": "10.10.0.3", "a": "10.10.0.2"}).as_dict() == {
        "subnet": "10.10.0.0/24", "ip_range": "10.10.0.0/25", "gateway": "10.10.0.1",
        "aux_addresses": {"a": "10.10.0.2", "b": "10.10.0.3"},
    }


@pytest.mark.parametrize(
    "subnet, version",
    [pytest.param("10.10.0.0/24", 4, id="ipv4"), pytest.param("fd00::/64", 6, id="ipv6")],
)
def test_pool_version(subnet: str, version: int) -> None:
    assert Pool(subnet=subnet).version == version


def test_actual_from_inspect_defaults_for_missing_fields() -> None:
    actual = actual_from_inspect({"Name": "backend", "Driver": "bridge"})
    assert actual == NetworkState(
        name="backend",
        driver="bridge",
        driver_options={},
        ipam_driver="default",
        ipam_options={},
        ipam_config=(),
        enable_ipv6=False,
        enable_ipv4=True,
        internal=False,
        attachable=False,
        ingress=False,
        scope="local",
        config_only=False,
        config_from=None,
        labels={},
    )


@pytest.mark.parametrize(
    "inspect, field, expected",
    [
        pytest.param({"IPAM": {"Driver": ""}}, "ipam_driver", "default", id="ipam-driver-empty"),
        pytest.param({"IPAM": None}, "ipam_driver", "default", id="ipam-null"),
        pytest.param({"IPAM": {"Driver": "custom-ipam"}}, "ipam_driver", "custom-ipam", id="ipam-driver-given"),
        pytest.param({"EnableIPv4": False}, "enable_ipv4", False, id="enable-ipv4-false"),
        pytest.param({"EnableIPv4": True}, "enable_ipv4", True, id="enable-ipv4-true"),
        pytest.param({}, "enable_ipv4", True, id="enable-ipv4-missing"),
        pytest.param({"EnableIPv6": True}, "enable_ipv6", True, id="enable-ipv6-true"),
        pytest.param({"EnableIPv6": None}, "enable_ipv6", False, id="enable-ipv6-null"),
        pytest.param({"Internal": True}, "internal", True, id="internal"),
        pytest.param({"Attachable": True}, "attachable", True, id="attachable"),
        pytest.param({"Ingress": True}, "ingress", True, id="ingress"),
        pytest.param({"ConfigOnly": True}, "config_only", True, id="config-only"),
        pytest.param({"Scope": "swarm"}, "scope", "swarm", id="scope"),
        pytest.param({"Scope": ""}, "scope", "local", id="scope-empty"),
        pytest.param({"ConfigFrom": {"Network": ""}}, "config_from", None, id="config-from-empty"),
        pytest.param({"ConfigFrom": {"Network": "cfg"}}, "config_from", "cfg", id="config-from"),
        pytest.param({"Labels": None}, "labels", {}, id="labels-null"),
        pytest.param({"Labels": {"a": "1"}}, "labels", {"a": "1"}, id="labels"),
        pytest.param({"Options": None}, "driver_options", {}, id="options-null"),
        pytest.param({"Options": {"com.docker.network.driver.mtu": "1400"}}, "driver_options",
                     {"com.docker.network.driver.mtu": "1400"}, id="options"),
        pytest.param({"IPAM": {"Options": {"driver": "host-local"}}}, "ipam_options", {"driver": "host-local"}, id="ipam-options"),
        pytest.param({"Driver": ""}, "driver", None, id="driver-empty"),
        pytest.param({}, "name", "", id="name-missing"),
    ],
)
def test_actual_from_inspect_fields(inspect: t.Dict[str, t.Any], field: str, expected: t.Any) -> None:
    assert getattr(actual_from_inspect(inspect), field) == expected


def test_actual_from_inspect_normalises_pools() -> None:
    actual = actual_from_inspect({
        "Name": "backend",
        "IPAM": {
            "Driver": "default",
            "Config": [
                {"Subnet": "fd00:0:0::/64", "Gateway": "fd00:0::1"},
                {"Subnet": "10.10.0.0/24", "IPRange": "10.10.0.128/25", "Gateway": "10.10.0.1/24",
                 "AuxiliaryAddresses": {"router": "10.10.0.2"}},
                {"Subnet": ""},
                {"Gateway": "10.99.0.1"},
            ],
        },
    })
    assert actual.ipam_config == (
        Pool(subnet="10.10.0.0/24", ip_range="10.10.0.128/25", gateway="10.10.0.1", aux_addresses={"router": "10.10.0.2"}),
        Pool(subnet="fd00::/64", gateway="fd00::1", aux_addresses={}),
    )


def test_actual_from_inspect_reads_aux_addresses_spelling() -> None:
    actual = actual_from_inspect({"IPAM": {"Config": [{"Subnet": "10.10.0.0/24", "AuxAddresses": {"nas": "10.10.0.9"}}]}})
    assert actual.ipam_config == (Pool(subnet="10.10.0.0/24", aux_addresses={"nas": "10.10.0.9"}),)


def test_actual_from_inspect_stringifies_values() -> None:
    actual = actual_from_inspect({"Options": {"mtu": 1400}, "Labels": {"n": 1}, "IPAM": {"Options": {"x": True}}})
    assert actual.driver_options == {"mtu": "1400"}
    assert actual.labels == {"n": "1"}
    assert actual.ipam_options == {"x": "True"}


def _actual(**changes: t.Any) -> NetworkState:
    inspect: t.Dict[str, t.Any] = {"Name": "backend", "Driver": "bridge", "Labels": {"keep": "1", "tier": "old"}}
    inspect.update(changes)
    return actual_from_inspect(inspect)


@pytest.mark.parametrize(
    "purge, actual_labels, expected",
    [
        pytest.param(False, {"keep": "1", "tier": "old"}, {"keep": "1", "tier": "db", "new": "x"}, id="merge"),
        pytest.param(True, {"keep": "1", "tier": "old"}, {"tier": "db", "new": "x"}, id="purge"),
        pytest.param(False, None, {"tier": "db", "new": "x"}, id="merge-no-labels"),
    ],
)
def test_predicted_state_labels(purge: bool, actual_labels: t.Optional[t.Dict[str, str]], expected: t.Dict[str, str]) -> None:
    desired = desired_from_params(_params(labels={"tier": "db", "new": "x"}, purge_labels=purge))
    assert predicted_state(desired, _actual(Labels=actual_labels)).labels == expected


@pytest.mark.parametrize("purge", [False, True], ids=["merge", "purge"])
def test_predicted_state_labels_of_a_new_network(purge: bool) -> None:
    desired = desired_from_params(_params(labels={"tier": "db"}, purge_labels=purge))
    assert predicted_state(desired, None).labels == {"tier": "db"}


def test_predicted_state_labels_not_given_keeps_actual() -> None:
    assert predicted_state(desired_from_params(_params()), _actual()).labels == {"keep": "1", "tier": "old"}


def test_predicted_state_of_a_new_network() -> None:
    predicted = predicted_state(desired_from_params(_params(internal=True, ipam_config=[{"subnet": "10.10.0.0/24"}])), None)
    assert predicted.as_dict() == {
        "name": "backend",
        "driver": "bridge",
        "driver_options": {},
        "ipam_driver": "default",
        "ipam_options": {},
        "enable_ipv6": False,
        "enable_ipv4": True,
        "internal": True,
        "attachable": False,
        "ingress": False,
        "scope": "local",
        "config_only": False,
        "labels": {},
        "ipam_config": [{"subnet": "10.10.0.0/24"}],
    }


def test_predicted_state_keeps_old_gateway_for_same_subnet() -> None:
    actual = _actual(IPAM={"Config": [
        {"Subnet": "10.10.0.0/24", "Gateway": "10.10.0.1", "IPRange": "10.10.0.0/25", "AuxiliaryAddresses": {"r": "10.10.0.2"}},
        {"Subnet": "10.30.0.0/24", "Gateway": "10.30.0.1"},
    ]})
    desired = desired_from_params(_params(ipam_config=[{"subnet": "10.10.0.0/24"}, {"subnet": "10.20.0.0/24"}]))
    predicted = predicted_state(desired, actual)
    assert predicted.ipam_config == (
        Pool(subnet="10.10.0.0/24", ip_range="10.10.0.0/25", gateway="10.10.0.1", aux_addresses={"r": "10.10.0.2"}),
        Pool(subnet="10.20.0.0/24"),
    )


def test_predicted_state_given_gateway_replaces_old_one() -> None:
    actual = _actual(IPAM={"Config": [{"Subnet": "10.10.0.0/24", "Gateway": "10.10.0.1"}]})
    desired = desired_from_params(_params(ipam_config=[{"subnet": "10.10.0.0/24", "gateway": "10.10.0.254"}]))
    assert predicted_state(desired, actual).ipam_config == (Pool(subnet="10.10.0.0/24", gateway="10.10.0.254", aux_addresses={}),)


def test_predicted_state_applies_only_given_values() -> None:
    actual = _actual(Internal=True, Attachable=True, Options={"mtu": "1500"})
    predicted = predicted_state(desired_from_params(_params(attachable=False)), actual)
    assert predicted.internal is True
    assert predicted.attachable is False
    assert predicted.driver_options == {"mtu": "1500"}
    assert predicted.ipam_config == ()


def test_empty_ipam_config_is_refused() -> None:
    # An empty list would send no IPAM block, the daemon would pick a subnet, and the next run would differ again.
    with pytest.raises(ValidationError) as exc_info:
        desired_from_params({"name": "backend", "ipam_config": []})
    assert exc_info.value.field == "ipam_config"
    assert "leave it out" in str(exc_info.value)


@pytest.mark.parametrize(
    "pool, field",
    [
        pytest.param("10.10.0.0/24", "ipam_config[0]", id="string-instead-of-dict"),
        pytest.param(["10.10.0.0/24"], "ipam_config[0]", id="list-instead-of-dict"),
        pytest.param({"subnet": "10.10.0.0/24", "gw": "10.10.0.1"}, "ipam_config[0].gw", id="unknown-key"),
        pytest.param({"subnet": "10.10.0.0/24", "aux_addresses": ["10.10.0.2"]}, "ipam_config[0].aux_addresses", id="aux-not-a-dict"),
    ],
)
def test_malformed_pool_items_name_the_item(pool: t.Any, field: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        desired_from_params({"name": "backend", "ipam_config": [pool]})
    assert exc_info.value.field == field
    assert "subnet" in str(exc_info.value) or "pool setting" in str(exc_info.value) or "dict" in str(exc_info.value)


def test_iprange_alias_is_accepted() -> None:
    desired = desired_from_params({"name": "backend", "ipam_config": [{"subnet": "10.10.0.0/24", "iprange": "10.10.0.128/25"}]})
    assert desired.ipam_config is not None and desired.ipam_config[0].ip_range == "10.10.0.128/25"


DAEMON_POOLS = {"Config": [{"Subnet": "172.20.0.0/16", "Gateway": "172.20.0.1"}, {"Subnet": "fde1:55bc:6bd2::/64", "Gateway": "fde1:55bc:6bd2::1"}]}


@pytest.mark.parametrize(
    "params, subnets",
    [
        # Docker 27 and newer pick an IPv6 pool from their ULA prefix: a recreate carries it over.
        pytest.param({"enable_ipv6": True, "labels": {"a": "b"}}, ["172.20.0.0/16", "fde1:55bc:6bd2::/64"], id="daemon-pools-kept"),
        pytest.param({"enable_ipv6": False}, ["172.20.0.0/16"], id="ipv6-turned-off-drops-its-pool"),
        pytest.param({"enable_ipv4": False}, ["fde1:55bc:6bd2::/64"], id="ipv4-turned-off-drops-its-pool"),
        pytest.param(
            {"enable_ipv4": False, "enable_ipv6": True, "ipam_config": [{"subnet": "fd00:9::/64"}]}, ["fd00:9::/64"], id="asked-pool-ipv4-off",
        ),
        pytest.param({"ipam_config": [{"subnet": "10.9.0.0/24"}], "enable_ipv6": True}, ["10.9.0.0/24", "fde1:55bc:6bd2::/64"], id="asked-ipv4-pool"),
    ],
)
def test_predicted_state_pools_of_the_daemon(params: t.Dict[str, t.Any], subnets: t.List[str]) -> None:
    desired = desired_from_params({"name": "backend", **params})
    predicted = predicted_state(desired, _actual(EnableIPv6=True, IPAM=DAEMON_POOLS))
    assert [p.subnet for p in predicted.ipam_config or ()] == subnets


def _documented_options(module: str) -> t.Dict[str, t.Any]:
    documentation = importlib.import_module(f"ansible_collections.dockernet.core.plugins.modules.{module}").DOCUMENTATION
    return yaml.safe_load(documentation)["options"]


# Options of the network module that are not in the network table: what the module does with the network.
MODULE_ONLY_OPTIONS = {"state", "force", "containers", "containers_mode", "connected", "appends"}


def _as_documented(option: Option) -> t.Dict[str, t.Any]:
    """What the DOCUMENTATION entry of an option says, in its terms (keys left out where the docs leave them out)."""
    documented: t.Dict[str, t.Any] = {"type": option.type}
    for key, value in (("aliases", list(option.aliases)), ("elements", option.elements), ("choices", list(option.choices or ())),
                       ("default", option.default), ("required", option.required)):
        if value or value is False and key == "default":
            documented[key] = value
    return documented


@pytest.mark.parametrize("option", NETWORK_OPTIONS, ids=[option.name for option in NETWORK_OPTIONS])
def test_table_matches_the_network_modules_documentation(option: Option) -> None:
    documented = _documented_options("network")[option.name]
    assert {key: documented[key] for key in ("type", "aliases", "elements", "choices", "default", "required") if key in documented} == _as_documented(option)


def test_every_documented_network_option_is_in_the_table() -> None:
    assert set(_documented_options("network")) - {option.name for option in NETWORK_OPTIONS} == MODULE_ONLY_OPTIONS


def test_topology_networks_take_the_table() -> None:
    networks = _documented_options("topology")["networks"]
    suboptions = networks.get("suboptions")
    if suboptions is None:
        # documented by reference: each item takes the network module's options, which the tests above check
        assert "M(dockernet.core.network)" in " ".join(networks["description"])
    else:
        assert {name: _as_documented(option) for name, option in ((o.name, o) for o in NETWORK_OPTIONS)} == {
            name: {k: v for k, v in entry.items() if k != "description"} for name, entry in suboptions.items()
        }


def test_each_setting_of_network_state_is_an_entry_of_the_table_named_as_its_field() -> None:
    settings = [f.name for f in dataclasses.fields(NetworkState) if f.compare]
    assert [f.name for f in NETWORK_FIELDS] == settings
    assert all(f.option.api for f in NETWORK_FIELDS)
