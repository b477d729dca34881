# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Endpoint settings of one container on one network: validation, normalisation, comparison.

Pure functions only; the calls that connect and disconnect live in _attach.py.
"""

from __future__ import annotations

import ipaddress
import typing as t
from dataclasses import dataclass, field, replace

from ansible_collections.dockernet.core.plugins.module_utils._compare import Difference, compare_values
from ansible_collections.dockernet.core.plugins.module_utils._validation import (
    ValidationError,
    normalise_address,
    parse_address,
    string_dict,
)

ENDPOINT_OPTIONS = ("aliases", "ipv4_address", "ipv6_address", "links", "link_local_ips", "driver_opts", "gw_priority", "mac_address")
# The first Engine API whose daemon applies EndpointConfig.MacAddress on connect. The field exists
# since API 1.44, but Docker 28.5.2 (API 1.51) accepts and ignores it at every API version from 1.41
# to 1.51, for a running container and for a stopped one alike (recorded, then a random MAC on
# start); the daemon fix (moby pull request 52040) ships with a later engine.
MAC_ON_CONNECT_API = "1.54"
# Endpoint options newer than the oldest Engine API this collection speaks, with the version they need.
ENDPOINT_API_REQUIREMENTS = {"gw_priority": "1.48", "mac_address": MAC_ON_CONNECT_API}


@dataclass(frozen=True)
class Endpoint:
    """Endpoint settings. In a desired endpoint, None means "not given: not compared"."""

    aliases: t.Optional[t.Tuple[str, ...]] = None
    ipv4_address: t.Optional[str] = None
    ipv6_address: t.Optional[str] = None
    links: t.Optional[t.Tuple[str, ...]] = None
    link_local_ips: t.Optional[t.Tuple[str, ...]] = None
    driver_opts: t.Optional[t.Dict[str, str]] = None
    gw_priority: t.Optional[int] = None
    mac_address: t.Optional[str] = None
    # Only in an actual endpoint: the engine keeps no record of configured addresses (Podman 4)
    # and the container is not running, so its addresses are unknown (and never a difference).
    addresses_unknown: bool = field(default=False, compare=False)

    def as_dict(self) -> t.Dict[str, t.Any]:
        result: t.Dict[str, t.Any] = {}
        for key in ENDPOINT_OPTIONS:
            value = getattr(self, key)
            if value is None:
                continue
            result[key] = list(value) if isinstance(value, tuple) else value
        return result

    def given(self) -> t.List[str]:
        return [key for key in ENDPOINT_OPTIONS if getattr(self, key) is not None]


def normalise_link(value: str) -> str:
    """'db' and 'db:db' mean the same link; '/db:/web/db' is how legacy links are reported."""
    parts = [part.strip().lstrip("/") for part in str(value).split(":", 1)]
    name = parts[0]
    alias = parts[1] if len(parts) > 1 and parts[1] else name
    alias = alias.rsplit("/", 1)[-1]
    return f"{name}:{alias}"


def _mac(field: str, value: str) -> str:
    text = str(value).strip().lower().replace("-", ":")
    parts = text.split(":")
    if len(parts) != 6 or not all(len(p) == 2 and all(c in "0123456789abcdef" for c in p) for p in parts):
        raise ValidationError(field, f"{value!r} is not a MAC address; write it like 02:42:ac:11:00:02")
    return text


def desired_endpoint(params: t.Mapping[str, t.Any], prefix: str = "") -> Endpoint:
    """Validate the endpoint options of a task (or of one item of a list, named by prefix)."""
    def name(key: str) -> str:
        return f"{prefix}{key}"

    aliases = None
    if params.get("aliases") is not None:
        cleaned = []
        for alias in params["aliases"]:
            text = str(alias).strip()
            if not text:
                raise ValidationError(name("aliases"), "contains an empty alias; remove it")
            cleaned.append(text)
        aliases = tuple(sorted(set(cleaned)))
    ipv4 = ipv6 = None
    if params.get("ipv4_address"):
        address = parse_address(name("ipv4_address"), params["ipv4_address"])
        if address.version != 4:
            raise ValidationError(name("ipv4_address"), f"{params['ipv4_address']!r} is not an IPv4 address; put it in ipv6_address")
        ipv4 = str(address)
    if params.get("ipv6_address"):
        address = parse_address(name("ipv6_address"), params["ipv6_address"])
        if address.version != 6:
            raise ValidationError(name("ipv6_address"), f"{params['ipv6_address']!r} is not an IPv6 address; put it in ipv4_address")
        ipv6 = str(address)
    links = None
    if params.get("links") is not None:
        links = tuple(sorted({normalise_link(link) for link in params["links"]}))
    link_local = None
    if params.get("link_local_ips") is not None:
        link_local = tuple(sorted({str(parse_address(name("link_local_ips"), ip)) for ip in params["link_local_ips"]}))
    gw_priority = params.get("gw_priority")
    mac = _mac(name("mac_address"), params["mac_address"]) if params.get("mac_address") else None
    return Endpoint(
        aliases=aliases,
        ipv4_address=ipv4,
        ipv6_address=ipv6,
        links=links,
        link_local_ips=link_local,
        driver_opts=string_dict(name("driver_opts"), params.get("driver_opts")),
        gw_priority=int(gw_priority) if gw_priority is not None else None,
        mac_address=mac,
    )


def daemon_names(container: t.Mapping[str, t.Any]) -> t.Set[str]:
    """DNS names the daemon gives an endpoint by itself: they never count as user aliases.

    Before API 1.45 the daemon lists the short ID and the hostname among the endpoint's Aliases; from
    1.45 on, Aliases holds only what was asked for, and every name it answers to is in DNSNames.
    Stripping them covers both.
    """
    names = {str(container.get("Id", ""))[:12], str(container.get("Name", "")).lstrip("/")}
    hostname = (container.get("Config") or {}).get("Hostname")
    if hostname:
        names.add(str(hostname))
    names.discard("")
    return names


def reported_dns_names(raw: t.Mapping[str, t.Any]) -> t.Optional[t.List[str]]:
    """The names the engine's DNS answers to for this endpoint, sorted, as it reports them (DNSNames).

    None when the engine does not report them: Docker before API 1.44, Podman, or a container that is
    not running (the daemon fills DNSNames only while the endpoint exists).
    """
    names = raw.get("DNSNames")
    if not isinstance(names, list):
        return None
    return sorted({str(name) for name in names})


def without_daemon_names(desired: Endpoint, container: t.Mapping[str, t.Any]) -> Endpoint:
    """Drop asked-for aliases the daemon answers to anyway, so they are never a difference."""
    if not desired.aliases:
        return desired
    own = daemon_names(container)
    return replace(desired, aliases=tuple(a for a in desired.aliases if a not in own))


def endpoint_settings(container: t.Mapping[str, t.Any], network_name: str, network_id: str = "") -> t.Optional[t.Dict[str, t.Any]]:
    """The raw endpoint settings of a container on a network, found by name or ID; None when not attached."""
    networks = (container.get("NetworkSettings") or {}).get("Networks") or {}
    if network_name in networks:
        return t.cast(t.Dict[str, t.Any], networks[network_name])
    for settings in networks.values():
        if network_id and settings.get("NetworkID") == network_id:
            return t.cast(t.Dict[str, t.Any], settings)
    return None


def records_endpoint_config(container: t.Mapping[str, t.Any]) -> bool:
    """Whether the engine keeps each endpoint's configured settings (IPAMConfig) next to what it assigned.

    Docker does, and names the network by ID in every endpoint. Podman 4 keeps only what it
    assigned (nothing while the container is not running) and names the network by name there.
    """
    networks = (container.get("NetworkSettings") or {}).get("Networks") or {}
    return not any(key and key == (settings or {}).get("NetworkID") for key, settings in networks.items())


def actual_endpoint(container: t.Mapping[str, t.Any], raw: t.Mapping[str, t.Any]) -> Endpoint:
    """Normalise an endpoint from container inspect: what the user configured, not what the daemon added."""
    ipam = raw.get("IPAMConfig") or {}
    own = daemon_names(container)
    aliases = tuple(sorted({a for a in raw.get("Aliases") or [] if a not in own}))
    ipv4, ipv6 = normalise_address(ipam.get("IPv4Address")), normalise_address(ipam.get("IPv6Address"))
    unknown = False
    if not records_endpoint_config(container):
        # Static and assigned addresses look the same there: the held ones stand for the configured
        # ones, so they are compared, and kept by a reconnect.
        ipv4, ipv6 = normalise_address(raw.get("IPAddress")), normalise_address(raw.get("GlobalIPv6Address"))
        unknown = not (container.get("State") or {}).get("Running")
    return Endpoint(
        aliases=aliases,
        ipv4_address=ipv4,
        ipv6_address=ipv6,
        links=tuple(sorted({normalise_link(link) for link in raw.get("Links") or []})),
        link_local_ips=tuple(sorted({normalise_address(ip) or "" for ip in ipam.get("LinkLocalIPs") or []} - {""})),
        driver_opts={str(k): str(v) for k, v in (raw.get("DriverOpts") or {}).items()},
        gw_priority=int(raw.get("GwPriority") or 0),
        mac_address=normalised_mac(raw.get("MacAddress")),
        addresses_unknown=unknown,
    )


def endpoint_on(container: t.Mapping[str, t.Any], network_name: str, network_id: str = "") -> t.Optional[Endpoint]:
    """The normalised endpoint a container has on a network (found by name or ID); None when not attached."""
    raw = endpoint_settings(container, network_name, network_id)
    return actual_endpoint(container, raw) if raw is not None else None


def comparable_address(actual: Endpoint, key: str, wanted: t.Optional[str]) -> t.Optional[str]:
    """The actual address to compare a wanted one with: while it is unknown, it is taken as wanted."""
    if actual.addresses_unknown and wanted is not None:
        return wanted
    return t.cast(t.Optional[str], getattr(actual, key))


def endpoint_differences(desired: Endpoint, actual: Endpoint, purge_aliases: bool = False) -> t.List[Difference]:
    differences: t.List[Difference] = []
    if desired.aliases is not None:
        actual_aliases = tuple(actual.aliases or ())
        wanted = desired.aliases if purge_aliases else tuple(sorted(set(actual_aliases) | set(desired.aliases)))
        differences += compare_values("aliases", list(wanted), list(actual_aliases))
    for key in ("ipv4_address", "ipv6_address"):
        wanted = getattr(desired, key)
        differences += compare_values(key, wanted, comparable_address(actual, key, wanted))
    if desired.links is not None:
        differences += compare_values("links", list(desired.links), list(actual.links or ()))
    if desired.link_local_ips is not None:
        differences += compare_values("link_local_ips", list(desired.link_local_ips), list(actual.link_local_ips or ()))
    differences += compare_values("driver_opts", desired.driver_opts, actual.driver_opts or {})
    differences += compare_values("gw_priority", desired.gw_priority, actual.gw_priority or 0)
    differences += compare_values("mac_address", desired.mac_address, actual.mac_address)
    return differences


def merged_endpoint(desired: Endpoint, actual: t.Optional[Endpoint], purge_aliases: bool = False) -> Endpoint:
    """The endpoint to connect with: the actual settings, overridden by every given one."""
    base = actual or Endpoint()
    aliases = base.aliases
    if desired.aliases is not None:
        aliases = desired.aliases if purge_aliases or actual is None else tuple(sorted(set(base.aliases or ()) | set(desired.aliases)))

    def pick(key: str) -> t.Any:
        value = getattr(desired, key)
        return value if value is not None else getattr(base, key)

    return Endpoint(
        aliases=aliases,
        ipv4_address=pick("ipv4_address"),
        ipv6_address=pick("ipv6_address"),
        links=pick("links"),
        link_local_ips=pick("link_local_ips"),
        driver_opts=pick("driver_opts"),
        gw_priority=pick("gw_priority"),
        mac_address=pick("mac_address"),
    )


def connect_body(container_id: str, endpoint: Endpoint) -> t.Dict[str, t.Any]:
    """The POST /networks/{id}/connect body."""
    config: t.Dict[str, t.Any] = {}
    if endpoint.aliases:
        config["Aliases"] = list(endpoint.aliases)
    if endpoint.links:
        config["Links"] = list(endpoint.links)
    ipam: t.Dict[str, t.Any] = {}
    if endpoint.ipv4_address:
        ipam["IPv4Address"] = endpoint.ipv4_address
    if endpoint.ipv6_address:
        ipam["IPv6Address"] = endpoint.ipv6_address
    if endpoint.link_local_ips:
        ipam["LinkLocalIPs"] = list(endpoint.link_local_ips)
    if ipam:
        config["IPAMConfig"] = ipam
    if endpoint.driver_opts:
        config["DriverOpts"] = dict(endpoint.driver_opts)
    if endpoint.gw_priority:
        config["GwPriority"] = endpoint.gw_priority
    if endpoint.mac_address:
        config["MacAddress"] = endpoint.mac_address
    return {"Container": container_id, "EndpointConfig": config}


def normalised_mac(value: t.Any) -> t.Optional[str]:
    """A MAC address as the daemon reports it, in lower case; None when it reports none (pure)."""
    return str(value).lower() if value else None


def address_derived_mac(ipv4_address: str) -> str:
    """The MAC address older engines (Docker 20.10, measured) give a bridge endpoint: 02:42 and the bytes of its IPv4 address."""
    return ":".join(["02", "42"] + [f"{byte:02x}" for byte in ipaddress.IPv4Address(ipv4_address).packed])


def mac_survives_reconnect(old_mac: t.Optional[str], static_ipv4: t.Optional[str], pinned: bool) -> bool:
    """Whether an endpoint that had old_mac gets it back when a recreate reconnects it.

    It does when the daemon applies a MAC address on connect (pinned: it is sent), or when the MAC is
    the one derived from a static IPv4 address the endpoint keeps (older engines derive it again).
    Docker 28 gives every new endpoint a random MAC, which no reconnect can reproduce below API 1.54.
    """
    if not old_mac or pinned:
        return True
    return static_ipv4 is not None and address_derived_mac(static_ipv4) == old_mac.lower()


def addresses_outside(endpoint: Endpoint, subnets: t.Iterable[str]) -> t.List[str]:
    """Static addresses of an endpoint that no pool of the network contains (all of them when it has no pools)."""
    nets = [ipaddress.ip_network(s) for s in subnets]
    outside = []
    for address in (endpoint.ipv4_address, endpoint.ipv6_address):
        if address and not any(ipaddress.ip_address(address) in net for net in nets):
            outside.append(address)
    return outside


def without_addresses(endpoint: Endpoint, addresses: t.Iterable[str]) -> Endpoint:
    dropped = set(addresses)
    return Endpoint(
        aliases=endpoint.aliases,
        ipv4_address=None if endpoint.ipv4_address in dropped else endpoint.ipv4_address,
        ipv6_address=None if endpoint.ipv6_address in dropped else endpoint.ipv6_address,
        links=endpoint.links,
        link_local_ips=endpoint.link_local_ips,
        driver_opts=endpoint.driver_opts,
        gw_priority=endpoint.gw_priority,
        mac_address=endpoint.mac_address,
    )
