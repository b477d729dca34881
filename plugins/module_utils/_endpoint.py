# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""Endpoint settings of a container on a network, each declared once as a field of Endpoint (pure; the calls are in _attach)."""

from __future__ import annotations

import ipaddress
import typing as t
from dataclasses import dataclass, field, fields, replace

from ansible_collections.dockernet.core.plugins.module_utils._compare import Difference, Option, compare_values, dig, put
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError, normalise_address, parse_address, string_dict

# The first Engine API whose daemon applies EndpointConfig.MacAddress on connect. The field exists since API 1.44,
# but Docker 28.5.2 (API 1.51) ignores it at every API version, running or stopped (a random MAC on start and on
# every new endpoint); the daemon fix (moby pull request 52040) ships with a later engine.
MAC_ON_CONNECT_API = "1.54"

# How a setting is compared besides exactly: the daemon's own names are no aliases, and given aliases merge into the
# actual ones unless purge_aliases; a static address is taken as wanted while the engine cannot tell it.
NAMES, ADDRESS = "names", "address"


@dataclass(frozen=True)
class EndpointField:
    """One endpoint setting, declared once; docs/dev/options.md explains each attribute."""

    option: Option
    desired: t.Callable[[str, t.Any], t.Any]
    reported: t.Callable[[t.Any], t.Any]
    compare: str = "exact"
    held: str = ""
    lacking: t.Tuple[t.Tuple[str, str, str], ...] = ()

    @property
    def name(self) -> str:
        return self.option.name


def normalise_link(value: str) -> str:
    """'db' and 'db:db' mean the same link; '/db:/web/db' is how legacy links are reported."""
    name, alias = (part.strip().lstrip("/") for part in str(value).partition(":")[::2])
    return f"{name}:{(alias or name).rsplit('/', 1)[-1]}"


def normalised_mac(value: t.Any) -> t.Optional[str]:
    return str(value).lower() if value else None


def _aliases(name: str, values: t.Iterable[t.Any]) -> t.Tuple[str, ...]:
    cleaned = {str(alias).strip() for alias in values}
    if "" in cleaned:
        raise ValidationError(name, "contains an empty alias; remove it")
    return tuple(sorted(cleaned))


def _address(version: int) -> t.Callable[[str, t.Any], str]:
    other = "ipv6_address" if version == 4 else "ipv4_address"

    def check(name: str, value: t.Any) -> str:
        address = parse_address(name, value)
        if address.version != version:
            raise ValidationError(name, f"{value!r} is not an IPv{version} address; put it in {other}")
        return str(address)
    return check


def _links(values: t.Optional[t.Iterable[str]]) -> t.Tuple[str, ...]:
    return tuple(sorted({normalise_link(link) for link in values or ()}))


def _mac(name: str, value: str) -> str:
    text = str(value).strip().lower().replace("-", ":")
    parts = text.split(":")
    if len(parts) != 6 or not all(len(p) == 2 and all(c in "0123456789abcdef" for c in p) for p in parts):
        raise ValidationError(name, f"{value!r} is not a MAC address; write it like 02:42:ac:11:00:02")
    return text


def _shown(value: t.Any) -> t.Any:
    """A value as results, differences and request bodies carry it: a list for a tuple, a copy of a dict."""
    return list(value) if isinstance(value, tuple) else dict(value) if isinstance(value, dict) else value


def _setting(spec: EndpointField) -> t.Any:
    """A field of Endpoint that is an endpoint setting: its EndpointField is its entry of the table."""
    # pylint: disable-next=invalid-field-call  # made here, assigned in the class body of Endpoint
    return field(default=None, metadata={"setting": spec})


@dataclass(frozen=True)
class Endpoint:
    """Endpoint settings, each declared once with its EndpointField. In a desired endpoint, None means "not given: not compared"."""

    aliases: t.Optional[t.Tuple[str, ...]] = _setting(EndpointField(
        Option("aliases", "list", "Aliases", elements="str"), _aliases, lambda names: tuple(sorted(set(names or ()))), NAMES))
    ipv4_address: t.Optional[str] = _setting(EndpointField(
        Option("ipv4_address", api="IPAMConfig.IPv4Address"), _address(4), normalise_address, ADDRESS, held="IPAddress"))
    ipv6_address: t.Optional[str] = _setting(EndpointField(
        Option("ipv6_address", api="IPAMConfig.IPv6Address"), _address(6), normalise_address, ADDRESS, held="GlobalIPv6Address"))
    links: t.Optional[t.Tuple[str, ...]] = _setting(EndpointField(
        Option("links", "list", "Links", elements="str"), lambda name, links: _links(links), _links,
        lacking=(("podman", "Podman has no legacy links", "Use aliases instead: names resolve on user-defined networks"),)))
    link_local_ips: t.Optional[t.Tuple[str, ...]] = _setting(EndpointField(
        Option("link_local_ips", "list", "IPAMConfig.LinkLocalIPs", elements="str"),
        lambda name, ips: tuple(sorted({str(parse_address(name, ip)) for ip in ips})),
        lambda ips: tuple(sorted({normalise_address(ip) or "" for ip in ips or ()} - {""})),
        lacking=(("podman", "Podman drops link-local addresses", "Leave link_local_ips out"),)))
    driver_opts: t.Optional[t.Dict[str, str]] = _setting(EndpointField(
        Option("driver_opts", "dict", "DriverOpts"), string_dict, lambda opts: {str(k): str(v) for k, v in (opts or {}).items()},
        lacking=(("podman", "Podman drops endpoint driver options", "Leave driver_opts out"),)))
    gw_priority: t.Optional[int] = _setting(EndpointField(
        Option("gw_priority", "int", "GwPriority", min_api="1.48"), lambda name, value: int(value), lambda value: int(value or 0)))
    mac_address: t.Optional[str] = _setting(EndpointField(
        Option("mac_address", api="MacAddress", min_api=MAC_ON_CONNECT_API), _mac, normalised_mac))
    # Only in an actual endpoint: the engine keeps no record of configured addresses (Podman 4)
    # and the container is not running, so its addresses are unknown (and never a difference).
    addresses_unknown: bool = field(default=False, compare=False)

    def as_dict(self) -> t.Dict[str, t.Any]:
        return {key: _shown(getattr(self, key)) for key in ENDPOINT_OPTIONS if getattr(self, key) is not None}

    def reported(self) -> "Endpoint":
        """The endpoint as inspect reports it after a connect with these settings: the ones not set have their absent value."""
        return replace(self, **{spec.name: spec.reported(None) for spec in ENDPOINT_FIELDS if getattr(self, spec.name) is None})


ENDPOINT_FIELDS: t.Tuple[EndpointField, ...] = tuple(f.metadata["setting"] for f in fields(Endpoint) if "setting" in f.metadata)
ENDPOINT_OPTIONS = tuple(spec.name for spec in ENDPOINT_FIELDS)
# The task options of an endpoint: its settings, and how the given aliases meet the actual ones.
ENDPOINT_TASK_OPTIONS = (*(spec.option for spec in ENDPOINT_FIELDS), Option("purge_aliases", "bool", default=False))
# What one item of the network module's `containers` list takes.
MEMBER_KEYS = ("name", *(option.name for option in ENDPOINT_TASK_OPTIONS))
# Endpoint options newer than the oldest Engine API this collection speaks, with the version they need.
ENDPOINT_API_REQUIREMENTS = {spec.name: spec.option.min_api for spec in ENDPOINT_FIELDS if spec.option.min_api}


def container_name(container: t.Mapping[str, t.Any]) -> str:
    return str(container.get("Name", "")).lstrip("/")


def is_running(container: t.Mapping[str, t.Any]) -> bool:
    return bool((container.get("State") or {}).get("Running"))


def mac_change(old: t.Optional[str], reported: t.Any) -> t.Optional[t.Dict[str, t.Optional[str]]]:
    """{old, new} when an endpoint that had MAC address old reports another one after a reconnect."""
    new = normalised_mac(reported)
    return {"old": old, "new": new} if old is not None and new != old else None


def desired_endpoint(params: t.Mapping[str, t.Any], prefix: str = "") -> Endpoint:
    """Validate the endpoint options of a task (or of one item of a list, named by prefix)."""
    values: t.Dict[str, t.Any] = {}
    for spec in ENDPOINT_FIELDS:
        value = params.get(spec.name)
        # An empty string is no address (or MAC address) at all; an empty list or dict is a wish.
        if value is not None and (value or spec.option.type != "str"):
            values[spec.name] = spec.desired(f"{prefix}{spec.name}", value)
    return Endpoint(**values)


def daemon_names(container: t.Mapping[str, t.Any]) -> t.Set[str]:
    """Names the daemon gives an endpoint itself (in Aliases before API 1.45, only in DNSNames after): never aliases."""
    hostname = (container.get("Config") or {}).get("Hostname") or ""
    return {str(container.get("Id", ""))[:12], container_name(container), str(hostname)} - {""}


def reported_dns_names(raw: t.Mapping[str, t.Any]) -> t.Optional[t.List[str]]:
    """DNSNames, sorted; None where not reported: Docker before API 1.44, Podman, a container not running."""
    names = raw.get("DNSNames")
    return sorted({str(name) for name in names}) if isinstance(names, list) else None


def without_daemon_names(desired: Endpoint, container: t.Mapping[str, t.Any]) -> Endpoint:
    """Drop asked-for aliases the daemon answers to anyway, so they are never a difference."""
    own = daemon_names(container)
    return replace(desired, aliases=tuple(a for a in desired.aliases if a not in own)) if desired.aliases else desired


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
    """Whether the engine keeps configured settings (IPAMConfig): Docker; not Podman 4, whose NetworkID is a name."""
    networks = (container.get("NetworkSettings") or {}).get("Networks") or {}
    return not any(key and key == (settings or {}).get("NetworkID") for key, settings in networks.items())


def actual_endpoint(container: t.Mapping[str, t.Any], raw: t.Mapping[str, t.Any]) -> Endpoint:
    """Normalise an endpoint from container inspect: what the user configured, not what the daemon added."""
    # Without the configured settings, static and assigned addresses look the same: the held ones
    # stand for the configured ones, so they are compared, and kept by a reconnect.
    held = not records_endpoint_config(container)
    own = daemon_names(container)
    values: t.Dict[str, t.Any] = {}
    for spec in ENDPOINT_FIELDS:
        value = spec.reported(dig(raw, spec.held if held and spec.held else spec.option.api))
        values[spec.name] = tuple(name for name in value if name not in own) if spec.compare == NAMES else value
    return Endpoint(**values, addresses_unknown=held and not is_running(container))


def endpoint_on(container: t.Mapping[str, t.Any], network_name: str, network_id: str = "") -> t.Optional[Endpoint]:
    raw = endpoint_settings(container, network_name, network_id)
    return actual_endpoint(container, raw) if raw is not None else None


def _target(spec: EndpointField, wanted: t.Any, actual: t.Any, merge: bool) -> t.Any:
    """The value a setting is to have: the given one (merged into the actual aliases when asked), else the actual one."""
    if wanted is None:
        return actual
    return tuple(sorted(set(actual or ()) | set(wanted))) if spec.compare == NAMES and merge else wanted


def endpoint_differences(desired: Endpoint, actual: Endpoint, purge_aliases: bool = False) -> t.List[Difference]:
    differences: t.List[Difference] = []
    for spec in ENDPOINT_FIELDS:
        wanted = getattr(desired, spec.name)
        if wanted is None:
            continue
        # An address the engine cannot tell is taken as wanted.
        have = wanted if spec.compare == ADDRESS and actual.addresses_unknown else getattr(actual, spec.name)
        have = spec.reported(None) if have is None else have
        differences += compare_values(spec.name, _shown(_target(spec, wanted, have, not purge_aliases)), _shown(have))
    return differences


def merged_endpoint(desired: Endpoint, actual: t.Optional[Endpoint], purge_aliases: bool = False) -> Endpoint:
    """The endpoint to connect with: the actual settings, overridden by every given one."""
    base = actual or Endpoint()
    merge = not purge_aliases and actual is not None
    return Endpoint(**{spec.name: _target(spec, getattr(desired, spec.name), getattr(base, spec.name), merge) for spec in ENDPOINT_FIELDS})


def connect_body(container_id: str, endpoint: Endpoint) -> t.Dict[str, t.Any]:
    config: t.Dict[str, t.Any] = {}
    for spec in ENDPOINT_FIELDS:
        value = getattr(endpoint, spec.name)
        if value:
            put(config, spec.option.api, _shown(value))
    return {"Container": container_id, "EndpointConfig": config}


def address_derived_mac(ipv4_address: str) -> str:
    """The MAC address older engines (Docker 20.10, measured) give a bridge endpoint: 02:42 and the bytes of its IPv4 address."""
    return ":".join(["02", "42"] + [f"{byte:02x}" for byte in ipaddress.IPv4Address(ipv4_address).packed])


def mac_survives_reconnect(old_mac: t.Optional[str], static_ipv4: t.Optional[str], pinned: bool) -> bool:
    """Whether a reconnect gives old_mac back: sent where the daemon applies it (pinned), or derived from a kept IPv4."""
    return not old_mac or pinned or (static_ipv4 is not None and address_derived_mac(static_ipv4) == old_mac.lower())


def addresses_outside(endpoint: Endpoint, subnets: t.Iterable[str]) -> t.List[str]:
    """Static addresses of an endpoint that no pool of the network contains (all of them when it has no pools)."""
    nets = [ipaddress.ip_network(s) for s in subnets]
    return [a for a in (endpoint.ipv4_address, endpoint.ipv6_address) if a and not any(ipaddress.ip_address(a) in net for net in nets)]


def without_addresses(endpoint: Endpoint, addresses: t.Iterable[str]) -> Endpoint:
    dropped = set(addresses)
    changes: t.Dict[str, t.Any] = {key: None for key in ("ipv4_address", "ipv6_address") if getattr(endpoint, key) in dropped}
    return replace(endpoint, **changes)
