# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for endpoint validation, normalisation and comparison."""

from __future__ import annotations

import dataclasses
import re
import typing as t

import pytest
import yaml
from ansible_collections.dockernet.core.plugins.module_utils._attachment_state import ATTACHMENT_SPEC
from ansible_collections.dockernet.core.plugins.module_utils._compare import Difference
from ansible_collections.dockernet.core.plugins.module_utils._endpoint import (
    ENDPOINT_API_REQUIREMENTS,
    ENDPOINT_FIELDS,
    ENDPOINT_OPTIONS,
    ENDPOINT_TASK_OPTIONS,
    MEMBER_KEYS,
    Endpoint,
    actual_endpoint,
    address_derived_mac,
    addresses_outside,
    connect_body,
    daemon_names,
    desired_endpoint,
    endpoint_differences,
    endpoint_on,
    endpoint_settings,
    mac_survives_reconnect,
    merged_endpoint,
    normalise_link,
    records_endpoint_config,
    reported_dns_names,
    without_addresses,
    without_daemon_names,
)
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError
from ansible_collections.dockernet.core.plugins.modules import network, network_attachment, topology

CONTAINER_ID = "0123456789ab" + "c" * 52

CONTAINER: t.Dict[str, t.Any] = {
    "Id": CONTAINER_ID,
    "Name": "/web",
    "Config": {"Hostname": "web-host"},
}


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param("db", "db:db", id="name-only"),
        pytest.param("db:db", "db:db", id="name-and-same-alias"),
        pytest.param("db:alias", "db:alias", id="name-and-alias"),
        pytest.param("db:", "db:db", id="empty-alias"),
        pytest.param(" db : alias ", "db:alias", id="padded"),
        pytest.param("/db:/web/alias", "db:alias", id="legacy-report"),
        pytest.param("/db:/web/db", "db:db", id="legacy-report-same-name"),
        pytest.param("/db", "db:db", id="leading-slash"),
    ],
)
def test_normalise_link(value: str, expected: str) -> None:
    assert normalise_link(value) == expected


@pytest.mark.parametrize(
    "first, second",
    [
        pytest.param("db", "db:db", id="implicit-alias"),
        pytest.param("/db:/web/alias", "db:alias", id="legacy"),
    ],
)
def test_normalised_links_are_equal(first: str, second: str) -> None:
    assert normalise_link(first) == normalise_link(second)


def test_desired_endpoint_nothing_given() -> None:
    endpoint = desired_endpoint({})
    assert endpoint == Endpoint()
    assert endpoint.as_dict() == {}
    assert endpoint.as_dict() == {}


def test_desired_endpoint_normalises_every_field() -> None:
    endpoint = desired_endpoint({
        "aliases": ["web", " api ", "web"],
        "ipv4_address": "10.10.0.5/24",
        "ipv6_address": "FD00:0:0::5",
        "links": ["db", "db:db", "cache:c"],
        "link_local_ips": ["169.254.1.1", "fe80:0::1", "169.254.1.1"],
        "driver_opts": {"com.example.opt": 1, "flag": True},
        "gw_priority": "10",
        "mac_address": "02-42-AC-11-00-02",
    })
    assert endpoint == Endpoint(
        aliases=("api", "web"),
        ipv4_address="10.10.0.5",
        ipv6_address="fd00::5",
        links=("cache:c", "db:db"),
        link_local_ips=("169.254.1.1", "fe80::1"),
        driver_opts={"com.example.opt": "1", "flag": "true"},
        gw_priority=10,
        mac_address="02:42:ac:11:00:02",
    )
    assert list(endpoint.as_dict()) == list(ENDPOINT_OPTIONS)
    assert endpoint.as_dict()["aliases"] == ["api", "web"]


@pytest.mark.parametrize(
    "params, field, fragment",
    [
        pytest.param({"ipv4_address": "fd00::5"}, "ipv4_address", "put it in ipv6_address", id="ipv6-in-ipv4-field"),
        pytest.param({"ipv6_address": "10.10.0.5"}, "ipv6_address", "put it in ipv4_address", id="ipv4-in-ipv6-field"),
        pytest.param({"ipv4_address": "10.10.0.500"}, "ipv4_address", "is not a valid IP address", id="ipv4-malformed"),
        pytest.param({"ipv6_address": "fd00:::5"}, "ipv6_address", "is not a valid IP address", id="ipv6-malformed"),
        pytest.param({"mac_address": "02:42:ac:11:00"}, "mac_address", "is not a MAC address", id="mac-short"),
        pytest.param({"mac_address": "02:42:ac:11:00:zz"}, "mac_address", "is not a MAC address", id="mac-not-hex"),
        pytest.param({"mac_address": "0242ac110002"}, "mac_address", "is not a MAC address", id="mac-no-separators"),
        pytest.param({"mac_address": "2:42:ac:11:0:2"}, "mac_address", "is not a MAC address", id="mac-single-digit-octets"),
        pytest.param({"aliases": ["web", ""]}, "aliases", "empty alias", id="empty-alias"),
        pytest.param({"aliases": ["  "]}, "aliases", "empty alias", id="blank-alias"),
        pytest.param({"link_local_ips": ["169.254.1.300"]}, "link_local_ips", "is not a valid IP address", id="link-local-malformed"),
        pytest.param({"driver_opts": {"x": None}}, "driver_opts.x", "has no value", id="driver-opt-without-value"),
    ],
)
def test_desired_endpoint_errors(params: t.Dict[str, t.Any], field: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        desired_endpoint(params)
    assert exc_info.value.field == field
    assert fragment in str(exc_info.value)


@pytest.mark.parametrize(
    "params, field",
    [
        pytest.param({"ipv4_address": "fd00::5"}, "networks[1].ipv4_address", id="ipv4"),
        pytest.param({"aliases": [""]}, "networks[1].aliases", id="aliases"),
        pytest.param({"mac_address": "nope"}, "networks[1].mac_address", id="mac"),
        pytest.param({"driver_opts": {"x": None}}, "networks[1].driver_opts.x", id="driver-opts"),
    ],
)
def test_desired_endpoint_error_names_the_list_item(params: t.Dict[str, t.Any], field: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        desired_endpoint(params, prefix="networks[1].")
    assert exc_info.value.field == field


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param("02:42:AC:11:00:02", "02:42:ac:11:00:02", id="upper"),
        pytest.param("02-42-ac-11-00-02", "02:42:ac:11:00:02", id="dashes"),
        pytest.param(" 02:42:ac:11:00:02 ", "02:42:ac:11:00:02", id="padded"),
    ],
)
def test_desired_mac_address(value: str, expected: str) -> None:
    assert desired_endpoint({"mac_address": value}).mac_address == expected


@pytest.mark.parametrize(
    "container, expected",
    [
        pytest.param(CONTAINER, {"0123456789ab", "web", "web-host"}, id="id-name-hostname"),
        pytest.param({"Id": CONTAINER_ID, "Name": "/web"}, {"0123456789ab", "web"}, id="no-config"),
        pytest.param({"Id": CONTAINER_ID, "Name": "/web", "Config": {"Hostname": ""}}, {"0123456789ab", "web"}, id="empty-hostname"),
        pytest.param({}, set(), id="empty"),
    ],
)
def test_daemon_names(container: t.Dict[str, t.Any], expected: t.Set[str]) -> None:
    assert daemon_names(container) == expected


def test_actual_endpoint_drops_daemon_names_from_aliases() -> None:
    raw = {
        "Aliases": ["0123456789ab", "web", "web-host", "api", "api"],
        "IPAMConfig": {"IPv4Address": "10.10.0.5", "IPv6Address": "fd00:0::5", "LinkLocalIPs": ["169.254.1.1", ""]},
        "Links": ["/db:/web/db", "cache:c"],
        "DriverOpts": {"x": 1},
        "GwPriority": 5,
        "MacAddress": "02:42:AC:11:00:02",
    }
    assert actual_endpoint(CONTAINER, raw) == Endpoint(
        aliases=("api",),
        ipv4_address="10.10.0.5",
        ipv6_address="fd00::5",
        links=("cache:c", "db:db"),
        link_local_ips=("169.254.1.1",),
        driver_opts={"x": "1"},
        gw_priority=5,
        mac_address="02:42:ac:11:00:02",
    )


def test_endpoint_on_finds_the_endpoint_by_name_or_id_and_normalises_it() -> None:
    raw = {"NetworkID": "f" * 64, "Aliases": ["web", "api"], "IPAMConfig": {"IPv4Address": "10.10.0.5"}}
    container = {**CONTAINER, "NetworkSettings": {"Networks": {"front": raw}}}
    assert endpoint_on(container, "front") == actual_endpoint(container, raw)
    assert endpoint_on(container, "renamed", "f" * 64) == actual_endpoint(container, raw)
    assert endpoint_on(container, "back", "e" * 64) is None


def test_actual_endpoint_of_an_empty_report() -> None:
    assert actual_endpoint(CONTAINER, {"Aliases": None, "IPAMConfig": None, "Links": None, "DriverOpts": None}) == Endpoint(
        aliases=(), ipv4_address=None, ipv6_address=None, links=(), link_local_ips=(), driver_opts={}, gw_priority=0,
        mac_address=None,
    )


@pytest.mark.parametrize(
    "network_name, network_id, expected",
    [
        pytest.param("backend", "", {"NetworkID": "n1"}, id="by-name"),
        pytest.param("renamed", "n1", {"NetworkID": "n1"}, id="by-id"),
        pytest.param("other", "", None, id="not-attached"),
        pytest.param("other", "n9", None, id="unknown-id"),
    ],
)
def test_endpoint_settings(network_name: str, network_id: str, expected: t.Optional[t.Dict[str, t.Any]]) -> None:
    container = {"NetworkSettings": {"Networks": {"backend": {"NetworkID": "n1"}}}}
    assert endpoint_settings(container, network_name, network_id) == expected


def test_endpoint_settings_without_networks() -> None:
    assert endpoint_settings({"NetworkSettings": None}, "backend") is None


ACTUAL = Endpoint(
    aliases=("api",), ipv4_address="10.10.0.5", ipv6_address=None, links=("db:db",), link_local_ips=(),
    driver_opts={}, gw_priority=0, mac_address="02:42:ac:11:00:02",
)


@pytest.mark.parametrize(
    "params, purge, expected",
    [
        pytest.param({}, False, [], id="nothing-given"),
        pytest.param({"aliases": ["api"]}, False, [], id="same-alias"),
        pytest.param({"aliases": ["api"]}, True, [], id="same-alias-purge"),
        pytest.param({"aliases": []}, False, [], id="no-aliases-without-purge"),
        pytest.param({"aliases": []}, True, [Difference("aliases", ["api"], [])], id="no-aliases-purge"),
        pytest.param({"aliases": ["web"]}, False, [Difference("aliases", ["api"], ["api", "web"])], id="new-alias"),
        pytest.param({"aliases": ["web"]}, True, [Difference("aliases", ["api"], ["web"])], id="new-alias-purge"),
        pytest.param({"ipv4_address": "10.10.0.5/24"}, False, [], id="same-ipv4"),
        pytest.param({"ipv4_address": "10.10.0.6"}, False, [Difference("ipv4_address", "10.10.0.5", "10.10.0.6")], id="ipv4"),
        pytest.param({"ipv6_address": "fd00::5"}, False, [Difference("ipv6_address", None, "fd00::5")], id="ipv6"),
        pytest.param({"links": ["db"]}, False, [], id="same-link"),
        pytest.param({"links": []}, False, [Difference("links", ["db:db"], [])], id="links-removed"),
        pytest.param({"link_local_ips": ["169.254.1.1"]}, False,
                     [Difference("link_local_ips", [], ["169.254.1.1"])], id="link-local"),
        pytest.param({"driver_opts": {"a": "b"}}, False, [Difference("driver_opts", {}, {"a": "b"})], id="driver-opts"),
        pytest.param({"gw_priority": 0}, False, [], id="same-gw-priority"),
        pytest.param({"gw_priority": 10}, False, [Difference("gw_priority", 0, 10)], id="gw-priority"),
        pytest.param({"mac_address": "02:42:AC:11:00:02"}, False, [], id="same-mac"),
        pytest.param({"mac_address": "02:42:ac:11:00:09"}, False,
                     [Difference("mac_address", "02:42:ac:11:00:02", "02:42:ac:11:00:09")], id="mac"),
    ],
)
def test_endpoint_differences(params: t.Dict[str, t.Any], purge: bool, expected: t.List[Difference]) -> None:
    assert endpoint_differences(desired_endpoint(params), ACTUAL, purge_aliases=purge) == expected


def test_endpoint_differences_against_empty_actual() -> None:
    desired = desired_endpoint({"aliases": ["web"], "links": ["db"], "link_local_ips": ["169.254.1.1"], "driver_opts": {}})
    assert endpoint_differences(desired, Endpoint()) == [
        Difference("aliases", [], ["web"]),
        Difference("links", [], ["db:db"]),
        Difference("link_local_ips", [], ["169.254.1.1"]),
    ]


@pytest.mark.parametrize(
    "params, actual, purge, expected_aliases",
    [
        pytest.param({"aliases": ["web"]}, None, False, ("web",), id="new-endpoint"),
        pytest.param({"aliases": ["web"]}, None, True, ("web",), id="new-endpoint-purge"),
        pytest.param({"aliases": ["web"]}, ACTUAL, False, ("api", "web"), id="union"),
        pytest.param({"aliases": ["web"]}, ACTUAL, True, ("web",), id="purge"),
        pytest.param({}, ACTUAL, True, ("api",), id="aliases-not-given"),
        pytest.param({}, None, False, None, id="nothing"),
    ],
)
def test_merged_endpoint_aliases(
    params: t.Dict[str, t.Any], actual: t.Optional[Endpoint], purge: bool, expected_aliases: t.Optional[t.Tuple[str, ...]]
) -> None:
    assert merged_endpoint(desired_endpoint(params), actual, purge_aliases=purge).aliases == expected_aliases


def test_merged_endpoint_given_values_override_actual() -> None:
    merged = merged_endpoint(desired_endpoint({"ipv4_address": "10.10.0.9", "gw_priority": 3}), ACTUAL)
    assert merged == Endpoint(
        aliases=("api",), ipv4_address="10.10.0.9", ipv6_address=None, links=("db:db",), link_local_ips=(),
        driver_opts={}, gw_priority=3, mac_address="02:42:ac:11:00:02",
    )


@pytest.mark.parametrize(
    "endpoint, expected_config",
    [
        pytest.param(Endpoint(), {}, id="empty"),
        pytest.param(Endpoint(aliases=(), links=(), link_local_ips=(), driver_opts={}, gw_priority=0), {}, id="empty-values"),
        pytest.param(Endpoint(aliases=("api", "web")), {"Aliases": ["api", "web"]}, id="aliases"),
        pytest.param(Endpoint(links=("db:db",)), {"Links": ["db:db"]}, id="links"),
        pytest.param(Endpoint(ipv4_address="10.10.0.5"), {"IPAMConfig": {"IPv4Address": "10.10.0.5"}}, id="ipv4"),
        pytest.param(
            Endpoint(ipv4_address="10.10.0.5", ipv6_address="fd00::5", link_local_ips=("169.254.1.1",)),
            {"IPAMConfig": {"IPv4Address": "10.10.0.5", "IPv6Address": "fd00::5", "LinkLocalIPs": ["169.254.1.1"]}},
            id="ipam",
        ),
        pytest.param(Endpoint(driver_opts={"a": "b"}), {"DriverOpts": {"a": "b"}}, id="driver-opts"),
        pytest.param(Endpoint(gw_priority=10), {"GwPriority": 10}, id="gw-priority"),
        pytest.param(Endpoint(gw_priority=-5), {"GwPriority": -5}, id="gw-priority-negative"),
        pytest.param(Endpoint(mac_address="02:42:ac:11:00:02"), {"MacAddress": "02:42:ac:11:00:02"}, id="mac"),
    ],
)
def test_connect_body(endpoint: Endpoint, expected_config: t.Dict[str, t.Any]) -> None:
    assert connect_body(CONTAINER_ID, endpoint) == {"Container": CONTAINER_ID, "EndpointConfig": expected_config}


@pytest.mark.parametrize(
    "endpoint, subnets, expected",
    [
        pytest.param(Endpoint(), ["10.10.0.0/24"], [], id="no-addresses"),
        pytest.param(Endpoint(ipv4_address="10.10.0.5"), ["10.10.0.0/24"], [], id="inside"),
        pytest.param(Endpoint(ipv4_address="10.10.0.5"), ["10.20.0.0/24"], ["10.10.0.5"], id="outside"),
        pytest.param(Endpoint(ipv4_address="10.10.0.5"), [], ["10.10.0.5"], id="no-pools"),
        pytest.param(
            Endpoint(ipv4_address="10.10.0.5", ipv6_address="fd00::5"), ["10.10.0.0/24", "fd01::/64"], ["fd00::5"],
            id="ipv6-outside",
        ),
        pytest.param(
            Endpoint(ipv4_address="10.10.0.5", ipv6_address="fd00::5"), ["fd00::/64", "10.0.0.0/8"], [],
            id="both-inside",
        ),
    ],
)
def test_addresses_outside(endpoint: Endpoint, subnets: t.List[str], expected: t.List[str]) -> None:
    assert addresses_outside(endpoint, subnets) == expected


@pytest.mark.parametrize(
    "addresses, expected_v4, expected_v6",
    [
        pytest.param([], "10.10.0.5", "fd00::5", id="nothing"),
        pytest.param(["10.10.0.5"], None, "fd00::5", id="ipv4"),
        pytest.param(["fd00::5"], "10.10.0.5", None, id="ipv6"),
        pytest.param(["fd00::5", "10.10.0.5"], None, None, id="both"),
        pytest.param(["10.10.0.6"], "10.10.0.5", "fd00::5", id="other-address"),
    ],
)
def test_without_addresses(addresses: t.List[str], expected_v4: t.Optional[str], expected_v6: t.Optional[str]) -> None:
    endpoint = Endpoint(
        aliases=("api",), ipv4_address="10.10.0.5", ipv6_address="fd00::5", links=("db:db",),
        link_local_ips=("169.254.1.1",), driver_opts={"a": "b"}, gw_priority=1, mac_address="02:42:ac:11:00:02",
    )
    result = without_addresses(endpoint, addresses)
    assert (result.ipv4_address, result.ipv6_address) == (expected_v4, expected_v6)
    assert (result.aliases, result.links, result.link_local_ips, result.driver_opts, result.gw_priority, result.mac_address) == (
        endpoint.aliases, endpoint.links, endpoint.link_local_ips, endpoint.driver_opts, endpoint.gw_priority, endpoint.mac_address,
    )


@pytest.mark.parametrize("purge", [False, True], ids=["merge", "purge"])
@pytest.mark.parametrize("alias", ["web", "web-host", "0123456789ab"], ids=["container-name", "hostname", "short-id"])
def test_alias_equal_to_a_daemon_name_is_idempotent(alias: str, purge: bool) -> None:
    raw = {"Aliases": sorted({alias, "0123456789ab", "web"})}
    desired = without_daemon_names(desired_endpoint({"aliases": [alias]}), CONTAINER)
    assert endpoint_differences(desired, actual_endpoint(CONTAINER, raw), purge_aliases=purge) == []


# Podman 4.3.1 container inspect (Docker API), as captured: the endpoint names the network by name,
# carries no IPAMConfig, lists the short ID among the aliases, and is empty while the container is
# not running. cap-b was connected with --alias db --ip 10.135.1.50.
PODMAN_ID = "3cabc8111b96a286af5bab7ff441a4528097e1da60dba03b88d34e27e55c45af"


def podman_container(running: bool) -> t.Dict[str, t.Any]:
    def endpoint(network: str, address: str, gateway: str, prefix: int, mac: str, aliases: t.List[str]) -> t.Dict[str, t.Any]:
        return {
            "IPAMConfig": None, "Links": None, "Aliases": aliases + ["3cabc8111b96"], "NetworkID": network, "EndpointID": "",
            "Gateway": gateway if running else "", "IPAddress": address if running else "", "IPPrefixLen": prefix if running else 0,
            "IPv6Gateway": "", "GlobalIPv6Address": "", "GlobalIPv6PrefixLen": 0, "MacAddress": mac if running else "", "DriverOpts": None,
        }

    return {
        "Id": PODMAN_ID,
        "Name": "/cap-b",
        "State": {"Status": "running" if running else "created", "Running": running},
        "Config": {"Hostname": "3cabc8111b96"},
        "NetworkSettings": {"Networks": {
            "cap-net": endpoint("cap-net", "10.135.1.50", "10.135.1.1", 24, "56:c2:8a:5d:4f:a8", ["db"]),
            "podman": endpoint("podman", "10.88.0.2", "10.88.0.1", 16, "d2:b3:bd:88:dc:d4", []),
        }},
    }


def test_records_endpoint_config() -> None:
    docker = {**CONTAINER, "NetworkSettings": {"Networks": {"backend": {"NetworkID": "f" * 64}, "other": {"NetworkID": ""}}}}
    assert records_endpoint_config(docker)
    assert records_endpoint_config(CONTAINER)
    assert not records_endpoint_config(podman_container(True))
    assert not records_endpoint_config(podman_container(False))


def test_podman_running_endpoint_reports_the_held_addresses() -> None:
    container = podman_container(True)
    actual = actual_endpoint(container, container["NetworkSettings"]["Networks"]["cap-net"])
    assert actual.aliases == ("db",)  # the short ID is the daemon's name, not an alias
    assert (actual.ipv4_address, actual.ipv6_address, actual.addresses_unknown) == ("10.135.1.50", None, False)
    same = desired_endpoint({"aliases": ["db"], "ipv4_address": "10.135.1.50"})
    assert endpoint_differences(same, actual) == []
    other = desired_endpoint({"ipv4_address": "10.135.1.60"})
    assert endpoint_differences(other, actual) == [Difference("ipv4_address", "10.135.1.50", "10.135.1.60")]
    # a reconnect (new alias) keeps the address the container holds
    assert merged_endpoint(desired_endpoint({"aliases": ["www"]}), actual).ipv4_address == "10.135.1.50"


def test_podman_stopped_endpoint_addresses_are_unknown_and_no_difference() -> None:
    container = podman_container(False)
    actual = actual_endpoint(container, container["NetworkSettings"]["Networks"]["cap-net"])
    assert (actual.ipv4_address, actual.ipv6_address, actual.addresses_unknown) == (None, None, True)
    assert actual.aliases == ("db",)
    desired = desired_endpoint({"aliases": ["db"], "ipv4_address": "10.135.1.50", "ipv6_address": "fd00:135::50"})
    assert endpoint_differences(desired, actual) == []
    assert endpoint_differences(desired_endpoint({"aliases": ["www"]}), actual, purge_aliases=True) == [
        Difference("aliases", ["db"], ["www"])
    ]


def test_docker_stopped_endpoint_is_still_compared() -> None:
    raw = {"IPAMConfig": {"IPv4Address": "10.10.0.5"}, "NetworkID": "", "IPAddress": ""}
    container = {**CONTAINER, "State": {"Running": False}, "NetworkSettings": {"Networks": {"backend": raw}}}
    actual = actual_endpoint(container, raw)
    assert (actual.ipv4_address, actual.addresses_unknown) == ("10.10.0.5", False)
    assert endpoint_differences(desired_endpoint({"ipv4_address": "10.10.0.6"}), actual) == [
        Difference("ipv4_address", "10.10.0.5", "10.10.0.6")
    ]


@pytest.mark.parametrize(
    "raw, expected",
    [
        pytest.param({"DNSNames": ["web", "api", "0123456789ab", "web-host"]}, ["0123456789ab", "api", "web", "web-host"], id="api-1.44-and-newer"),
        pytest.param({"DNSNames": None}, None, id="stopped-container-on-docker-28"),
        pytest.param({"Aliases": ["api", "0123456789ab"]}, None, id="before-api-1.44-or-podman"),
        pytest.param({"DNSNames": ["web", "web"]}, ["web"], id="duplicates"),
    ],
)
def test_reported_dns_names(raw: t.Dict[str, t.Any], expected: t.Optional[t.List[str]]) -> None:
    assert reported_dns_names(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param({"Aliases": ["api", "0123456789ab", "web-host"]}, id="api-1.44-lists-daemon-names-in-aliases"),
        pytest.param({"Aliases": ["api"], "DNSNames": ["web", "api", "0123456789ab", "web-host"]}, id="api-1.45-lists-them-in-dnsnames"),
    ],
)
def test_aliases_are_the_asked_ones_on_every_api_version(raw: t.Dict[str, t.Any]) -> None:
    assert actual_endpoint(CONTAINER, raw).aliases == ("api",)


@pytest.mark.parametrize(
    "ipv4, mac",
    [
        pytest.param("10.181.0.10", "02:42:0a:b5:00:0a", id="private"),
        pytest.param("172.17.0.2", "02:42:ac:11:00:02", id="default-bridge"),
    ],
)
def test_address_derived_mac(ipv4: str, mac: str) -> None:
    assert address_derived_mac(ipv4) == mac


@pytest.mark.parametrize(
    "old_mac, static_ipv4, pinned, survives",
    [
        pytest.param(None, None, False, True, id="no-mac-nothing-to-lose"),
        pytest.param("fa:23:8f:cb:ca:36", "10.181.0.10", True, True, id="pinned-where-the-daemon-applies-it"),
        pytest.param("fa:23:8f:cb:ca:36", "10.181.0.10", False, False, id="random-mac-docker-28"),
        pytest.param("02:42:0a:b5:00:0a", "10.181.0.10", False, True, id="derived-from-a-kept-static-address"),
        pytest.param("02:42:0a:b5:00:0A", "10.181.0.10", False, True, id="derived-upper-case"),
        pytest.param("02:42:0a:b5:00:0a", None, False, False, id="derived-from-a-dynamic-address"),
        pytest.param("02:42:0a:b5:00:0a", "10.181.0.11", False, False, id="derived-from-another-address"),
    ],
)
def test_mac_survives_reconnect(old_mac: t.Optional[str], static_ipv4: t.Optional[str], pinned: bool, survives: bool) -> None:
    assert mac_survives_reconnect(old_mac, static_ipv4, pinned) is survives


def _options(module: t.Any) -> t.Dict[str, t.Dict[str, t.Any]]:
    return t.cast(t.Dict[str, t.Dict[str, t.Any]], yaml.safe_load(module.DOCUMENTATION)["options"])


def test_the_endpoint_table_is_what_network_attachment_documents() -> None:
    documented = _options(network_attachment)
    assert set(documented) == set(ATTACHMENT_SPEC)
    for name, spec in ATTACHMENT_SPEC.items():
        doc = documented[name]
        assert {key: doc.get(key) for key in ("type", "elements", "default", "choices")} == {
            key: spec.get(key) for key in ("type", "elements", "default", "choices")
        }, name
        assert bool(doc.get("required")) == bool(spec.get("required")), name
    assert [option.name for option in ENDPOINT_TASK_OPTIONS] == [*ENDPOINT_OPTIONS, "purge_aliases"]


def test_the_network_containers_and_topology_attachments_document_the_endpoint_options() -> None:
    containers = _options(network)["containers"]
    assert set(re.findall(r"C\((\w+)\)", " ".join(containers["description"]))) == set(MEMBER_KEYS)
    attachments = _options(topology)["attachments"]
    assert (attachments["type"], attachments["elements"]) == ("list", "dict")
    assert "M(dockernet.core.network_attachment)" in " ".join(attachments["description"])


def test_each_setting_of_endpoint_is_an_entry_of_the_table_named_as_its_field() -> None:
    assert ENDPOINT_OPTIONS == tuple(f.name for f in dataclasses.fields(Endpoint) if f.name != "addresses_unknown")
    assert all(f.metadata["setting"].name == f.name for f in dataclasses.fields(Endpoint) if "setting" in f.metadata)
    assert ENDPOINT_API_REQUIREMENTS == {"gw_priority": "1.48", "mac_address": "1.54"}
    assert Endpoint().reported() == Endpoint(aliases=(), links=(), link_local_ips=(), driver_opts={}, gw_priority=0)


def test_inspect_reports_each_setting_where_the_connect_body_puts_it() -> None:
    endpoint = Endpoint(
        aliases=("api",), ipv4_address="10.10.0.5", ipv6_address="fd00::5", links=("db:db",), link_local_ips=("169.254.1.1",),
        driver_opts={"a": "b"}, gw_priority=3, mac_address="02:42:ac:11:00:02",
    )
    assert [spec.name for spec in ENDPOINT_FIELDS if spec.option.api] == list(ENDPOINT_OPTIONS)
    assert actual_endpoint(CONTAINER, connect_body(CONTAINER_ID, endpoint)["EndpointConfig"]) == endpoint
