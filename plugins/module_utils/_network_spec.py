# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""The network table, and the desired and the actual state of one network, normalised to the same shape (pure).

NETWORK_FIELDS declares each network setting once; docs/dev/options.md shows what is derived from it."""

from __future__ import annotations

import ipaddress
import re
import typing as t
from dataclasses import dataclass, field, fields, replace

from ansible_collections.dockernet.core.plugins.module_utils._compare import Option, dig, first_overlap
from ansible_collections.dockernet.core.plugins.module_utils._validation import (
    IPNetwork,
    ValidationError,
    normalise_address,
    normalise_network_text,
    parse_address,
    parse_network,
    string_dict,
)

# IPAM options some engines report without being asked (Podman: driver=host-local).
ENGINE_IPAM_OPTIONS = {"driver": "host-local"}
NAME_PATTERN = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")
# A pool's settings: the task's key and the key of an IPAM.Config item, in the order both show them.
POOL_KEYS = (("subnet", "Subnet"), ("ip_range", "IPRange"), ("gateway", "Gateway"), ("aux_addresses", "AuxiliaryAddresses"))


@dataclass(frozen=True)
class Pool:
    subnet: str
    ip_range: t.Optional[str] = None
    gateway: t.Optional[str] = None
    aux_addresses: t.Optional[t.Dict[str, str]] = None

    @property
    def version(self) -> int:
        return ipaddress.ip_network(self.subnet).version

    def as_dict(self, api: bool = False) -> t.Dict[str, t.Any]:
        """The settings the pool has, under the task's keys, or (api) as the IPAM.Config item a create sends and inspect reports."""
        result: t.Dict[str, t.Any] = {}
        for key, api_key in POOL_KEYS:
            value = getattr(self, key)
            if value:
                result[api_key if api else key] = dict(sorted(value.items())) if isinstance(value, dict) else value
        return result


@dataclass(frozen=True)
class NetworkField:
    """One network setting, declared once; docs/dev/options.md explains each attribute."""

    option: Option
    missing: t.Any = None
    compare: str = "exact"
    normalise: t.Optional[t.Callable[[str, t.Any], t.Any]] = None
    read: t.Optional[t.Callable[[t.Any], t.Any]] = None
    engine_added: t.Optional[t.Mapping[str, t.Optional[str]]] = None
    spellings: t.Optional[t.Mapping[str, str]] = None
    from_config: bool = False
    lacking: t.Tuple[t.Tuple[str, str, str], ...] = ()

    @property
    def name(self) -> str:
        return self.option.name

    def desired(self, params: t.Mapping[str, t.Any]) -> t.Any:
        value = params.get(self.name)
        if value is None and not self.option.required:
            return None
        if self.normalise is not None:
            return self.normalise(self.name, value)
        if self.option.type == "dict":
            return string_dict(self.name, value)
        if self.option.choices and value not in self.option.choices:
            raise ValidationError(self.name, f"{value!r} is not a {self.name}; use one of {', '.join(self.option.choices)}")
        return value

    def actual(self, inspect: t.Mapping[str, t.Any]) -> t.Any:
        value = dig(inspect, self.option.api)
        if self.read is not None:
            return self.read(value)
        if self.option.type == "dict":
            return {str(k): str(v) for k, v in (value or {}).items()}
        if self.option.type == "bool":
            return bool(self.missing if value is None else value)
        return str(value) if value else self.missing

    def without_engine_added(self, actual: t.Mapping[str, str], asked: t.Mapping[str, str]) -> t.Dict[str, str]:
        """The actual dict without the keys the engine adds by itself (with the value it picks, None: any), unless asked."""
        added = self.engine_added or {}
        return {k: v for k, v in actual.items() if k in asked or k not in added or added[k] not in (None, v)}

    def spelled_as_asked(self, actual: t.Mapping[str, str], asked: t.Mapping[str, str]) -> t.Dict[str, str]:
        """The actual dict, a key in an engine's own spelling renamed to the task's one."""
        result = dict(actual)
        for engine_key, docker_key in (self.spellings or {}).items():
            if engine_key in result and docker_key in asked and docker_key not in result:
                result[docker_key] = result.pop(engine_key)
        return result


def check_name(field_name: str, name: t.Any) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValidationError(field_name, "is empty; give the network a name such as backend")
    if not NAME_PATTERN.fullmatch(name):
        raise ValidationError(field_name, f"{name!r} is not a valid network name; "
                              "use letters, digits, '_', '.' and '-', starting with a letter or digit")
    return name


def _driver(field_name: str, driver: t.Any) -> str:
    if not str(driver).strip():
        raise ValidationError(field_name, "is empty; use bridge, overlay, macvlan, ipvlan or a plugin's name")
    return str(driver)


def _address_inside(field_name: str, value: t.Any, subnet: IPNetwork) -> str:
    address = parse_address(field_name, value)
    if address not in subnet:
        raise ValidationError(field_name, f"{value!r} is outside the pool's subnet {subnet}; pick an address inside it")
    return str(address)


def desired_pool(index: int, raw: t.Any) -> Pool:
    prefix = f"ipam_config[{index}]"
    if not isinstance(raw, dict):
        raise ValidationError(prefix, f"{raw!r} is not a pool; write each pool as a dict, for example {{subnet: 10.10.0.0/24, gateway: 10.10.0.1}}")
    unknown = sorted(set(raw) - {key for key, _api_key in POOL_KEYS} - {"iprange"})
    if unknown:
        raise ValidationError(f"{prefix}.{unknown[0]}", "is not a pool setting; use subnet, ip_range, gateway or aux_addresses")
    aux, ip_range = raw.get("aux_addresses"), raw.get("ip_range") or raw.get("iprange") or None
    if aux is not None and not isinstance(aux, dict):
        raise ValidationError(f"{prefix}.aux_addresses", f"{aux!r} is not a dict; write it as name: address pairs")
    if not raw.get("subnet"):
        raise ValidationError(f"{prefix}.subnet", "is required in every pool; give the pool's CIDR, for example 10.10.0.0/24")
    subnet = parse_network(f"{prefix}.subnet", raw["subnet"])
    if ip_range is not None:
        range_net = parse_network(f"{prefix}.ip_range", ip_range)
        if range_net.version != subnet.version or not range_net.subnet_of(subnet):  # type: ignore[arg-type]
            raise ValidationError(f"{prefix}.ip_range",
                                  f"{ip_range!r} is outside the pool's subnet {subnet}; give a CIDR inside it")
        ip_range = str(range_net)
    gateway = _address_inside(f"{prefix}.gateway", raw["gateway"], subnet) if raw.get("gateway") else None
    if aux is not None:
        aux = {str(key): _address_inside(f"{prefix}.aux_addresses.{key}", value, subnet) for key, value in aux.items()}
    return Pool(subnet=str(subnet), ip_range=ip_range, gateway=gateway, aux_addresses=aux)


def sort_pools(pools: t.Iterable[Pool]) -> t.List[Pool]:
    return sorted(pools, key=lambda p: (p.version, ipaddress.ip_network(p.subnet)))


def _desired_pools(field_name: str, raw: t.List[t.Any]) -> t.Tuple[Pool, ...]:
    if not raw:
        raise ValidationError(field_name, "is an empty list; leave it out to let the daemon pick a subnet, or give at least one pool")
    pools = [desired_pool(i, {} if item is None else item) for i, item in enumerate(raw)]
    for index, pool in enumerate(pools):
        overlap = first_overlap([(pool.subnet, None)], [(other.subnet, None) for other in pools[index + 1:]])
        if overlap is not None:
            raise ValidationError(field_name,
                                  f"pools {overlap[0]} and {overlap[1]} overlap; give each pool its own range")
    return tuple(sort_pools(pools))


def _actual_pools(raw: t.Optional[t.List[t.Mapping[str, t.Any]]]) -> t.Tuple[Pool, ...]:
    pools = []
    for item in raw or []:
        subnet = normalise_network_text(item.get("Subnet"))
        aux = item.get("AuxiliaryAddresses") or item.get("AuxAddresses") or {}
        if subnet is not None:
            pools.append(Pool(subnet=subnet, ip_range=normalise_network_text(item.get("IPRange")),
                              gateway=normalise_address(item.get("Gateway")),
                              aux_addresses={str(k): normalise_address(v) or "" for k, v in aux.items()}))
    return tuple(sort_pools(pools))


def _setting(option: Option, missing: t.Any = None, **more: t.Any) -> t.Any:
    """A field of NetworkState that is a network setting: its NetworkField is its entry of the table."""
    spec = {"setting": NetworkField(option, missing, **more)}
    # pylint: disable-next=invalid-field-call  # made here, assigned in the class body of NetworkState
    return field(metadata=spec) if option.required else field(default=None, metadata=spec)


def _flag(name: str, api: str, missing: bool = False, min_api: t.Optional[str] = None, **more: t.Any) -> t.Any:
    return _setting(Option(name, "bool", api, min_api=min_api), missing, **more)


def _podman(reason: str, fix: str) -> t.Tuple[t.Tuple[str, str, str], ...]:
    return (("podman", reason, fix),)


_LEAVE_OUT = "Leave {} out, or use a Docker engine"


@dataclass(frozen=True)
class NetworkState:
    """One network's settings, each declared once with its NetworkField; in a desired state, None is "not given"."""

    # In the order differences are reported in.
    # network_name and ipam_driver_options are community.docker.docker_network's spellings, same meaning.
    name: str = _setting(
        Option("name", api="Name", aliases=("network_name",), required=True), "", compare="", normalise=check_name)
    driver: t.Optional[str] = _setting(Option("driver", api="Driver"), normalise=_driver)
    # The daemon adds an overlay's VXLAN ID by itself; Podman reports the MTU option as "mtu".
    driver_options: t.Optional[t.Dict[str, str]] = _setting(
        Option("driver_options", "dict", "Options", aliases=("options",)), compare="asked", from_config=True,
        engine_added={"com.docker.network.driver.overlay.vxlanid_list": None},
        spellings={"mtu": "com.docker.network.driver.mtu"})
    ipam_driver: t.Optional[str] = _setting(
        Option("ipam_driver", api="IPAM.Driver"), "default", from_config=True,
        lacking=_podman("Podman ignores IPAM drivers and uses its own", "Leave ipam_driver out (or default)"))
    ipam_options: t.Optional[t.Dict[str, str]] = _setting(
        Option("ipam_options", "dict", "IPAM.Options", aliases=("ipam_driver_options",)), compare="asked",
        from_config=True, engine_added=ENGINE_IPAM_OPTIONS)
    # Pools are checked here, not by the argument spec, so a malformed item fails naming it and the fix.
    ipam_config: t.Optional[t.Tuple[Pool, ...]] = _setting(
        Option("ipam_config", "list", "IPAM.Config", elements="raw"), (), compare="pools",
        normalise=_desired_pools, read=_actual_pools, from_config=True)
    enable_ipv6: t.Optional[bool] = _flag("enable_ipv6", "EnableIPv6", from_config=True)
    # Every daemon has IPv4 on: only turning it off needs an API that knows the key.
    enable_ipv4: t.Optional[bool] = _flag("enable_ipv4", "EnableIPv4", True, min_api="1.48", from_config=True)
    internal: t.Optional[bool] = _flag("internal", "Internal")
    attachable: t.Optional[bool] = _flag("attachable", "Attachable", lacking=_podman(
        "attachable belongs to swarm mode; Podman drops it and always reports false", _LEAVE_OUT.format("attachable")))
    ingress: t.Optional[bool] = _flag("ingress", "Ingress", lacking=_podman(
        "the ingress network belongs to swarm mode", _LEAVE_OUT.format("ingress")))
    scope: t.Optional[str] = _setting(
        Option("scope", api="Scope", choices=("local", "swarm", "global")), "local", lacking=_podman(
            "Podman has no swarm mode and creates every network with scope local",
            "Leave scope out, or use a Docker engine in swarm mode"))
    config_only: t.Optional[bool] = _flag("config_only", "ConfigOnly", lacking=_podman(
        "Podman has no config-only networks; it would create an ordinary network", _LEAVE_OUT.format("config_only")))
    config_from: t.Optional[str] = _setting(
        Option("config_from", api="ConfigFrom.Network"), normalise=check_name, lacking=_podman(
            "Podman has no config-only networks to take a configuration from",
            "Give the network its own ipam_config and driver_options instead"))
    labels: t.Optional[t.Dict[str, str]] = _setting(Option("labels", "dict", "Labels"), compare="merge")
    purge_labels: bool = field(default=False, compare=False)
    # The driver is bridge because the task gave none: a pre-defined network is not held to it.
    driver_defaulted: bool = field(default=False, compare=False)

    def as_dict(self) -> t.Dict[str, t.Any]:
        """A plain, sorted view used for diffs and check-mode predictions (None fields left out)."""
        result: t.Dict[str, t.Any] = {}
        for setting in NETWORK_FIELDS:
            value = getattr(self, setting.name)
            if isinstance(value, dict):
                result[setting.name] = dict(sorted(value.items()))
            elif isinstance(value, tuple):
                result[setting.name] = [pool.as_dict() for pool in sort_pools(value)]
            elif value is not None:
                result[setting.name] = value
        return result


# The table: the settings of NetworkState, in order.
NETWORK_FIELDS: t.Tuple[NetworkField, ...] = tuple(
    f.metadata["setting"] for f in fields(NetworkState) if "setting" in f.metadata)
# Options of the task that are no setting of the network: how labels compare, and what a difference does.
NETWORK_OPTIONS = tuple(f.option for f in NETWORK_FIELDS) + (
    Option("purge_labels", "bool", default=False),
    Option("recreate", choices=("on_change", "never", "always"), default="on_change"),
)


def desired_from_params(params: t.Mapping[str, t.Any]) -> NetworkState:
    """Validate and normalise the task's network options. Raises ValidationError."""
    values = {f.name: f.desired(params) for f in NETWORK_FIELDS}
    config_from = values["config_from"]
    if config_from is not None:
        clashing = [f.name for f in NETWORK_FIELDS if f.from_config and values[f.name] is not None]
        if clashing:
            raise ValidationError(
                "config_from",
                f"cannot be combined with {', '.join(clashing)}: the network takes those from {config_from!r}; "
                "set them on the config-only network instead",
            )
        if values["config_only"]:
            raise ValidationError("config_from", "cannot be combined with config_only: true; a config-only network cannot take its configuration from another")
    versions = {pool.version for pool in values["ipam_config"] or ()}
    if 6 in versions and not values["enable_ipv6"]:
        raise ValidationError("enable_ipv6", "must be true when ipam_config has an IPv6 pool; set enable_ipv6: true or drop the IPv6 pool")
    if 4 in versions and values["enable_ipv4"] is False:
        raise ValidationError("enable_ipv4", "is false but ipam_config has an IPv4 pool; drop the pool or enable IPv4")

    if values["config_only"]:
        values["driver"] = None  # the daemon stores every config-only network with the driver "null"
    defaulted = values["driver"] is None and not values["config_only"] and config_from is None
    if defaulted:
        values["driver"] = "bridge"
    return NetworkState(**values, purge_labels=bool(params.get("purge_labels")), driver_defaulted=defaulted)


def actual_from_inspect(inspect: t.Mapping[str, t.Any]) -> NetworkState:
    """Normalise a network inspect result; fields missing from it take the daemon's defaults."""
    return NetworkState(**{f.name: f.actual(inspect) for f in NETWORK_FIELDS})


def comparable_actual(actual: NetworkState, desired: t.Optional[NetworkState] = None) -> NetworkState:
    """The actual state without what the engine adds by itself, unless the desired state gives it (then compared)."""
    changes: t.Dict[str, t.Any] = {
        f.name: f.without_engine_added(getattr(actual, f.name) or {}, (getattr(desired, f.name) if desired else None) or {})
        for f in NETWORK_FIELDS if f.engine_added is not None
    }
    return replace(actual, **changes)


def predicted_state(desired: NetworkState, actual: t.Optional[NetworkState]) -> NetworkState:
    """What the network looks like after the task: the actual state with every given value applied."""
    # A new network is what the daemon reports for one created with nothing but its name and driver.
    base = actual or actual_from_inspect({"Name": desired.name, "Driver": "null" if desired.config_only else "bridge"})
    changes: t.Dict[str, t.Any] = {
        f.name: getattr(desired, f.name) for f in NETWORK_FIELDS if f.compare in ("exact", "asked") and getattr(desired, f.name) is not None
    }
    if desired.labels is not None:
        changes["labels"] = dict(desired.labels) if desired.purge_labels or actual is None else {**(base.labels or {}), **desired.labels}
    # A pool the daemon picked for an IP family the task turns off cannot be carried into a recreate.
    off = {version for version, enabled in ((4, desired.enable_ipv4), (6, desired.enable_ipv6)) if enabled is False}
    kept = [p for p in base.ipam_config or () if p.version not in off]
    if desired.ipam_config is not None:
        by_subnet = {p.subnet: p for p in base.ipam_config or ()}
        # A pool setting the task leaves out stays as it is; the daemon's own pools stay for the other family.
        families = {p.version for p in desired.ipam_config}
        kept = [replace(by_subnet[p.subnet], **{k: v for k, v in vars(p).items() if v is not None}) if p.subnet in by_subnet else p
                for p in desired.ipam_config] + [p for p in kept if p.version not in families]
    if off or desired.ipam_config is not None:
        changes["ipam_config"] = tuple(sort_pools(kept))
    return replace(base, **changes)
