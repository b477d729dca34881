# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The desired and the actual state of one network, normalised to the same shape.

Everything here is pure: task parameters in, a NetworkState out (validated),
and an inspect result in, a NetworkState out (normalised). Comparison lives in
_network_compare.py.
"""

from __future__ import annotations

import ipaddress
import re
import typing as t
from dataclasses import dataclass, field, replace

from ansible_collections.dockernet.core.plugins.module_utils._validation import (
    IPNetwork,
    ValidationError,
    normalise_address,
    normalise_network_text,
    parse_address,
    parse_network,
    string_dict,
)

SCOPES = ("local", "swarm", "global")
# Options the daemon adds by itself: a difference only when the task gives them.
DAEMON_DRIVER_OPTIONS = frozenset({"com.docker.network.driver.overlay.vxlanid_list"})
# IPAM options some engines report without being asked (Podman: driver=host-local).
ENGINE_IPAM_OPTIONS = {"driver": "host-local"}
# Driver options an engine reports under another name than Docker's (Podman stores the MTU as "mtu").
ENGINE_OPTION_SPELLINGS = {"mtu": "com.docker.network.driver.mtu"}
NAME_PATTERN = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")


@dataclass(frozen=True)
class Pool:
    subnet: str
    ip_range: t.Optional[str] = None
    gateway: t.Optional[str] = None
    aux_addresses: t.Optional[t.Dict[str, str]] = None

    @property
    def version(self) -> int:
        return ipaddress.ip_network(self.subnet).version

    def as_dict(self) -> t.Dict[str, t.Any]:
        result: t.Dict[str, t.Any] = {"subnet": self.subnet}
        if self.ip_range is not None:
            result["ip_range"] = self.ip_range
        if self.gateway is not None:
            result["gateway"] = self.gateway
        if self.aux_addresses:
            result["aux_addresses"] = dict(sorted(self.aux_addresses.items()))
        return result


@dataclass(frozen=True)
class NetworkState:
    """One network's settings. In a desired state, None means "not given: not compared"."""

    name: str
    driver: t.Optional[str] = None
    driver_options: t.Optional[t.Dict[str, str]] = None
    ipam_driver: t.Optional[str] = None
    ipam_options: t.Optional[t.Dict[str, str]] = None
    ipam_config: t.Optional[t.Tuple[Pool, ...]] = None
    enable_ipv6: t.Optional[bool] = None
    enable_ipv4: t.Optional[bool] = None
    internal: t.Optional[bool] = None
    attachable: t.Optional[bool] = None
    ingress: t.Optional[bool] = None
    scope: t.Optional[str] = None
    config_only: t.Optional[bool] = None
    config_from: t.Optional[str] = None
    labels: t.Optional[t.Dict[str, str]] = None
    purge_labels: bool = field(default=False, compare=False)
    # The driver is bridge because the task gave none: a pre-defined network is not held to it.
    driver_defaulted: bool = field(default=False, compare=False)

    def as_dict(self) -> t.Dict[str, t.Any]:
        """A plain, sorted view used for diffs and check-mode predictions (None fields left out)."""
        result: t.Dict[str, t.Any] = {"name": self.name}
        for key in (
            "driver", "driver_options", "ipam_driver", "ipam_options", "enable_ipv6", "enable_ipv4",
            "internal", "attachable", "ingress", "scope", "config_only", "config_from", "labels",
        ):
            value = getattr(self, key)
            if value is None:
                continue
            result[key] = dict(sorted(value.items())) if isinstance(value, dict) else value
        if self.ipam_config is not None:
            result["ipam_config"] = [pool.as_dict() for pool in sort_pools(self.ipam_config)]
        return result


def sort_pools(pools: t.Iterable[Pool]) -> t.List[Pool]:
    return sorted(pools, key=lambda p: (p.version, ipaddress.ip_network(p.subnet)))


def _check_inside(field_name: str, address_text: str, subnet: IPNetwork, value: t.Any) -> None:
    if ipaddress.ip_address(address_text) not in subnet:
        raise ValidationError(field_name, f"{value!r} is outside the pool's subnet {subnet}; pick an address inside it")


POOL_KEYS = ("subnet", "ip_range", "iprange", "gateway", "aux_addresses")


def desired_pool(index: int, raw: t.Any) -> Pool:
    prefix = f"ipam_config[{index}]"
    if not isinstance(raw, dict):
        raise ValidationError(prefix, f"{raw!r} is not a pool; write each pool as a dict, for example {{subnet: 10.10.0.0/24, gateway: 10.10.0.1}}")
    unknown = sorted(set(raw) - set(POOL_KEYS))
    if unknown:
        raise ValidationError(f"{prefix}.{unknown[0]}", "is not a pool setting; use subnet, ip_range, gateway or aux_addresses")
    if "iprange" in raw:
        raw = {**{k: v for k, v in raw.items() if k != "iprange"}, "ip_range": raw.get("ip_range") or raw["iprange"]}
    if raw.get("aux_addresses") is not None and not isinstance(raw["aux_addresses"], dict):
        raise ValidationError(f"{prefix}.aux_addresses", f"{raw['aux_addresses']!r} is not a dict; write it as name: address pairs")
    if not raw.get("subnet"):
        raise ValidationError(f"{prefix}.subnet", "is required in every pool; give the pool's CIDR, for example 10.10.0.0/24")
    subnet = parse_network(f"{prefix}.subnet", raw["subnet"])
    ip_range = None
    if raw.get("ip_range"):
        range_net = parse_network(f"{prefix}.ip_range", raw["ip_range"])
        if range_net.version != subnet.version or not range_net.subnet_of(subnet):  # type: ignore[arg-type]
            raise ValidationError(f"{prefix}.ip_range", f"{raw['ip_range']!r} is outside the pool's subnet {subnet}; give a CIDR inside it")
        ip_range = str(range_net)
    gateway = None
    if raw.get("gateway"):
        gateway = str(parse_address(f"{prefix}.gateway", raw["gateway"]))
        _check_inside(f"{prefix}.gateway", gateway, subnet, raw["gateway"])
    aux = None
    if raw.get("aux_addresses") is not None:
        aux = {}
        for key, value in raw["aux_addresses"].items():
            address = str(parse_address(f"{prefix}.aux_addresses.{key}", value))
            _check_inside(f"{prefix}.aux_addresses.{key}", address, subnet, value)
            aux[str(key)] = address
    return Pool(subnet=str(subnet), ip_range=ip_range, gateway=gateway, aux_addresses=aux)


def check_overlaps(pools: t.Sequence[Pool]) -> None:
    nets = [ipaddress.ip_network(p.subnet) for p in pools]
    for i, first in enumerate(nets):
        for second in nets[i + 1:]:
            if first.version == second.version and first.overlaps(second):
                raise ValidationError("ipam_config", f"pools {first} and {second} overlap; give each pool its own range")


def check_name(field_name: str, name: t.Any) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValidationError(field_name, "is empty; give the network a name such as backend")
    if not NAME_PATTERN.fullmatch(name):
        raise ValidationError(
            field_name,
            f"{name!r} is not a valid network name; use letters, digits, '_', '.' and '-', starting with a letter or digit",
        )
    return name


def desired_from_params(params: t.Mapping[str, t.Any]) -> NetworkState:
    """Validate and normalise the task's network options. Raises ValidationError."""
    name = check_name("name", params.get("name"))
    config_from = params.get("config_from")
    if config_from is not None:
        check_name("config_from", config_from)
        clashing = [key for key in ("driver_options", "ipam_driver", "ipam_options", "ipam_config", "enable_ipv6", "enable_ipv4")
                    if params.get(key) is not None]
        if clashing:
            raise ValidationError(
                "config_from",
                f"cannot be combined with {', '.join(clashing)}: the network takes those from {config_from!r}; "
                "set them on the config-only network instead",
            )
        if params.get("config_only"):
            raise ValidationError("config_from", "cannot be combined with config_only: true; a config-only network cannot take its configuration from another")

    pools: t.Optional[t.Tuple[Pool, ...]] = None
    if params.get("ipam_config") == []:
        raise ValidationError("ipam_config", "is an empty list; leave it out to let the daemon pick a subnet, or give at least one pool")
    if params.get("ipam_config") is not None:
        pool_list = [desired_pool(i, {} if raw is None else raw) for i, raw in enumerate(params["ipam_config"])]
        check_overlaps(pool_list)
        if any(p.version == 6 for p in pool_list) and not params.get("enable_ipv6"):
            raise ValidationError("enable_ipv6", "must be true when ipam_config has an IPv6 pool; set enable_ipv6: true or drop the IPv6 pool")
        if params.get("enable_ipv4") is False and any(p.version == 4 for p in pool_list):
            raise ValidationError("enable_ipv4", "is false but ipam_config has an IPv4 pool; drop the pool or enable IPv4")
        pools = tuple(sort_pools(pool_list))

    scope = params.get("scope")
    if scope is not None and scope not in SCOPES:
        raise ValidationError("scope", f"{scope!r} is not a scope; use one of {', '.join(SCOPES)}")
    driver = params.get("driver")
    if driver is not None and not str(driver).strip():
        raise ValidationError("driver", "is empty; use bridge, overlay, macvlan, ipvlan or a plugin's name")

    if params.get("config_only"):
        # The daemon stores every config-only network with the driver "null", whatever the task says.
        driver_default = None
        driver = None
    else:
        driver_default = "bridge" if config_from is None else None
    return NetworkState(
        name=name,
        driver=driver if driver is not None else driver_default,
        driver_options=string_dict("driver_options", params.get("driver_options")),
        ipam_driver=params.get("ipam_driver"),
        ipam_options=string_dict("ipam_options", params.get("ipam_options")),
        ipam_config=pools,
        enable_ipv6=params.get("enable_ipv6"),
        enable_ipv4=params.get("enable_ipv4"),
        internal=params.get("internal"),
        attachable=params.get("attachable"),
        ingress=params.get("ingress"),
        scope=scope,
        config_only=params.get("config_only"),
        config_from=config_from,
        labels=string_dict("labels", params.get("labels")),
        purge_labels=bool(params.get("purge_labels")),
        driver_defaulted=driver is None and driver_default is not None,
    )


def _actual_pool(raw: t.Mapping[str, t.Any]) -> t.Optional[Pool]:
    subnet = normalise_network_text(raw.get("Subnet"))
    if subnet is None:
        return None
    aux = raw.get("AuxiliaryAddresses") or raw.get("AuxAddresses") or {}
    return Pool(
        subnet=subnet,
        ip_range=normalise_network_text(raw.get("IPRange")),
        gateway=normalise_address(raw.get("Gateway")),
        aux_addresses={str(k): normalise_address(v) or "" for k, v in aux.items()},
    )


def actual_from_inspect(inspect: t.Mapping[str, t.Any]) -> NetworkState:
    """Normalise a network inspect result; fields missing from it take the daemon's defaults."""
    ipam = inspect.get("IPAM") or {}
    pools = tuple(sort_pools(p for p in (_actual_pool(raw) for raw in ipam.get("Config") or []) if p is not None))
    config_from = (inspect.get("ConfigFrom") or {}).get("Network") or None
    ipam_options = {str(k): str(v) for k, v in (ipam.get("Options") or {}).items()}
    return NetworkState(
        name=str(inspect.get("Name", "")),
        driver=inspect.get("Driver") or None,
        driver_options={str(k): str(v) for k, v in (inspect.get("Options") or {}).items()},
        ipam_driver=ipam.get("Driver") or "default",
        ipam_options=ipam_options,
        ipam_config=pools,
        enable_ipv6=bool(inspect.get("EnableIPv6")),
        enable_ipv4=bool(inspect.get("EnableIPv4", True)),
        internal=bool(inspect.get("Internal")),
        attachable=bool(inspect.get("Attachable")),
        ingress=bool(inspect.get("Ingress")),
        scope=inspect.get("Scope") or "local",
        config_only=bool(inspect.get("ConfigOnly")),
        config_from=config_from,
        labels={str(k): str(v) for k, v in (inspect.get("Labels") or {}).items()},
    )


def comparable_actual(actual: NetworkState, desired: t.Optional[NetworkState] = None) -> NetworkState:
    """The actual state without what the engine adds by itself, as compared, shown in diffs and recreated from.

    An option the engine would add anyway is kept when the desired state gives it: the task asked
    for that value, so it is compared like any other (an overlay's VXLAN ID, for one).
    """
    asked_driver = (desired.driver_options if desired is not None else None) or {}
    asked_ipam = (desired.ipam_options if desired is not None else None) or {}
    return replace(
        actual,
        driver_options={k: v for k, v in (actual.driver_options or {}).items() if k not in DAEMON_DRIVER_OPTIONS or k in asked_driver},
        ipam_options={k: v for k, v in (actual.ipam_options or {}).items() if ENGINE_IPAM_OPTIONS.get(k) != v or k in asked_ipam},
    )


def spelled_as_asked(actual: t.Mapping[str, str], desired: t.Mapping[str, str]) -> t.Dict[str, str]:
    """The actual driver options, an engine's own spelling of an option renamed to the task's one."""
    result = dict(actual)
    for engine_key, docker_key in ENGINE_OPTION_SPELLINGS.items():
        if engine_key in result and docker_key in desired and docker_key not in result:
            result[docker_key] = result.pop(engine_key)
    return result


def predicted_state(desired: NetworkState, actual: t.Optional[NetworkState]) -> NetworkState:
    """What the network looks like after the task: the actual state with every given value applied."""
    base = actual if actual is not None else NetworkState(
        name=desired.name, driver="null" if desired.config_only else "bridge", driver_options={}, ipam_driver="default", ipam_options={},
        ipam_config=(), enable_ipv6=False, enable_ipv4=True, internal=False, attachable=False, ingress=False,
        scope="local", config_only=False, config_from=None, labels={},
    )
    changes: t.Dict[str, t.Any] = {}
    for key in ("driver", "driver_options", "ipam_driver", "ipam_options", "enable_ipv6", "enable_ipv4", "internal",
                "attachable", "ingress", "scope", "config_only", "config_from"):
        value = getattr(desired, key)
        if value is not None:
            changes[key] = value
    if desired.labels is not None:
        changes["labels"] = dict(desired.labels) if desired.purge_labels or actual is None else {**(base.labels or {}), **desired.labels}
    # A pool the daemon picked for an IP family the task turns off cannot be carried into a recreate.
    off = {version for version, enabled in ((4, desired.enable_ipv4), (6, desired.enable_ipv6)) if enabled is False}
    if off and desired.ipam_config is None:
        changes["ipam_config"] = tuple(p for p in base.ipam_config or () if p.version not in off)
    if desired.ipam_config is not None:
        by_subnet = {p.subnet: p for p in base.ipam_config or ()}
        merged = []
        for pool in desired.ipam_config:
            old = by_subnet.get(pool.subnet)
            merged.append(Pool(
                subnet=pool.subnet,
                ip_range=pool.ip_range if pool.ip_range is not None else (old.ip_range if old else None),
                gateway=pool.gateway if pool.gateway is not None else (old.gateway if old else None),
                aux_addresses=pool.aux_addresses if pool.aux_addresses is not None else (old.aux_addresses if old else None),
            ))
        families = {p.version for p in desired.ipam_config}
        merged += [p for p in base.ipam_config or () if p.version not in families | off]  # the daemon's own pools
        changes["ipam_config"] = tuple(sort_pools(merged))
    return replace(base, **changes)
