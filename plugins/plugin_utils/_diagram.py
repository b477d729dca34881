# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""Mermaid flowcharts of Docker networks and their containers, from network inspect results.

Pure functions on plain values (no Ansible imports), so the filter plugin
``dockernet.core.topology_diagram`` and the documentation generator share them.
"""

from __future__ import annotations

import dataclasses
import re
import typing as t

DIRECTIONS = ("LR", "RL", "TB", "TD", "BT")

# Networks every engine creates by itself; hidden unless asked for. The one table is
# module_utils/_predefined.py: this file is loaded by path and imports nothing of the collection, so
# tests/unit/plugins/module_utils/test__predefined.py checks that this copy agrees with it.
DEFAULT_NETWORKS = frozenset({"bridge", "host", "none", "ingress", "docker_gwbridge"})

# Docker adds the container's short ID to its aliases on user-defined networks.
_SHORT_ID = re.compile(r"^[0-9a-f]{12}$")

# Characters Mermaid reads as syntax inside a quoted label, as its entity codes.
# '#' comes first so the codes themselves are not escaped again.
_ESCAPES = (
    ("#", "#35;"),
    ('"', "#quot;"),
    ("<", "#lt;"),
    (">", "#gt;"),
    ("&", "#amp;"),
    ("|", "#124;"),
    ("`", "#96;"),
)


class DiagramError(ValueError):
    """The input is not a network_info result, a network list or a network."""


@dataclasses.dataclass(frozen=True)
class Endpoint:
    container: str
    addresses: t.Tuple[str, ...]
    aliases: t.Tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class NetworkView:
    name: str
    driver: str
    flags: t.Tuple[str, ...]
    details: t.Tuple[str, ...]
    internal: bool
    endpoints: t.Tuple[Endpoint, ...]


def escape_label(text: str) -> str:
    """Text that Mermaid shows as written inside a double-quoted label."""
    text = " ".join(str(text).split())
    for char, code in _ESCAPES:
        text = text.replace(char, code)
    return text


def networks_from(data: t.Any) -> t.List[t.Mapping[str, t.Any]]:
    """The network inspect results in a network_info result, a list of them, or one of them."""
    if isinstance(data, t.Mapping):
        if "networks" in data:
            return networks_from(data["networks"] or [])
        if "network" in data:
            return [] if data["network"] is None else networks_from([data["network"]])
        if "Name" in data:
            return [data]
        raise DiagramError(
            "expected a network_info result (with 'networks' or 'network'), a list of networks or one network (with 'Name'); "
            f"got a dict with keys {sorted(str(k) for k in data)}"
        )
    if isinstance(data, (list, tuple)):
        for index, item in enumerate(data):
            if not isinstance(item, t.Mapping) or "Name" not in item:
                raise DiagramError(f"item {index} of the network list is not a network inspect result (a dict with 'Name'): {item!r}")
        return list(data)
    raise DiagramError(f"expected a network_info result, a list of networks or one network; got {type(data).__name__}")


def _inspect_results(containers: t.Any) -> t.List[t.Mapping[str, t.Any]]:
    """Container inspect results from a list of them, or from a registered loop of uri or docker_container_info."""
    if containers is None:
        return []
    if isinstance(containers, t.Mapping):
        if "results" in containers:
            return _inspect_results(containers["results"])
        containers = [containers]
    if not isinstance(containers, (list, tuple)):
        raise DiagramError(f"containers: expected a list of container inspect results; got {type(containers).__name__}")
    found = []
    for index, item in enumerate(containers):
        if isinstance(item, t.Mapping):
            for key in ("json", "container"):  # a uri result, a docker_container_info result
                if isinstance(item.get(key), t.Mapping):
                    item = item[key]
                    break
        if not isinstance(item, t.Mapping) or "NetworkSettings" not in item:
            raise DiagramError(f"containers[{index}] is not a container inspect result (a dict with 'NetworkSettings')")
        found.append(item)
    return found


def _container_name(container: t.Mapping[str, t.Any]) -> str:
    name = str(container.get("Name") or "")
    return name[1:] if name.startswith("/") else name


def _user_aliases(aliases: t.Any, container_id: str = "") -> t.Tuple[str, ...]:
    result = []
    for alias in aliases or []:
        alias = str(alias)
        if alias in result or (_SHORT_ID.match(alias) and (not container_id or container_id.startswith(alias))):
            continue
        result.append(alias)
    return tuple(sorted(result))


def aliases_by_endpoint(containers: t.Any) -> t.Dict[t.Tuple[str, str], t.Tuple[str, ...]]:
    """(container name, network name) -> the aliases the user gave, from container inspect results."""
    result = {}
    for container in _inspect_results(containers):
        name = _container_name(container)
        networks = (container.get("NetworkSettings") or {}).get("Networks") or {}
        for network, endpoint in networks.items():
            result[(name, str(network))] = _user_aliases((endpoint or {}).get("Aliases"), str(container.get("Id") or ""))
    return result


def _subnet_lines(network: t.Mapping[str, t.Any]) -> t.List[str]:
    lines = []
    for pool in (network.get("IPAM") or {}).get("Config") or []:
        subnet = pool.get("Subnet")
        if not subnet:
            continue
        words = [str(subnet)]
        if pool.get("Gateway"):
            words.append(f"gw {pool['Gateway']}")
        if pool.get("IPRange") and pool["IPRange"] != subnet:
            words.append(f"range {pool['IPRange']}")
        aux = pool.get("AuxiliaryAddresses") or {}
        if aux:
            words.append("aux " + ", ".join(f"{key}={aux[key]}" for key in sorted(aux)))
        lines.append(" ".join(words))
    # IPv4 pools first, then IPv6, each in address order as written
    return sorted(lines, key=lambda line: ":" in line.split(" ", 1)[0])


def _flags(network: t.Mapping[str, t.Any]) -> t.Tuple[str, ...]:
    options = network.get("Options") or {}
    flags = []
    if network.get("Scope") == "swarm":
        flags.append("swarm")
    if network.get("Internal"):
        flags.append("internal")
    if network.get("Attachable"):
        flags.append("attachable")
    if str(options.get("encrypted", "false")).lower() not in ("false", "0"):
        flags.append("encrypted")
    if network.get("EnableIPv6"):
        flags.append("IPv6")
    return tuple(flags)


def _driver_details(network: t.Mapping[str, t.Any]) -> t.List[str]:
    options = network.get("Options") or {}
    words = []
    if options.get("parent"):
        words.append(f"parent {options['parent']}")
    for key in ("macvlan_mode", "ipvlan_mode"):
        if options.get(key):
            words.append(f"mode {options[key]}")
    return [" ".join(words)] if words else []


def _endpoint_addresses(entry: t.Mapping[str, t.Any]) -> t.Tuple[str, ...]:
    return tuple(str(entry[key]) for key in ("IPv4Address", "IPv6Address") if entry.get(key))


def view_of(network: t.Mapping[str, t.Any], aliases: t.Mapping[t.Tuple[str, str], t.Tuple[str, ...]]) -> NetworkView:
    """What the diagram shows of one network: its label lines and its endpoints, sorted by container name."""
    name = str(network.get("Name") or "")
    endpoints = []
    for key, entry in (network.get("Containers") or {}).items():
        key = str(key)
        if key.startswith("lb-"):  # the swarm load balancer's endpoint on an overlay network
            continue
        entry = entry or {}
        container = str(entry.get("Name") or key[:12])
        own = _user_aliases(entry.get("Aliases"), key)  # in case the inspect result carries them
        endpoints.append(Endpoint(container, _endpoint_addresses(entry), own or aliases.get((container, name), ())))
    return NetworkView(
        name=name,
        driver=str(network.get("Driver") or ""),
        flags=_flags(network),
        details=tuple(_driver_details(network) + _subnet_lines(network)),
        internal=bool(network.get("Internal")),
        endpoints=tuple(sorted(endpoints, key=lambda e: (e.container, e.addresses))),
    )


def _unique_ids(prefix: str, names: t.Iterable[str]) -> t.List[str]:
    """Readable node IDs, one per name (equal names too), unique and never a Mermaid keyword (they all carry a prefix)."""
    ids: t.List[str] = []
    for name in names:
        base = prefix + re.sub(r"[^A-Za-z0-9_]", "_", name)
        node_id, suffix = base, 2
        while node_id in ids:
            node_id, suffix = f"{base}_{suffix}", suffix + 1
        ids.append(node_id)
    return ids


def _node_ids(prefix: str, names: t.Iterable[str]) -> t.Dict[str, str]:
    names = list(names)
    return dict(zip(names, _unique_ids(prefix, names)))


def _label(lines: t.Iterable[str]) -> str:
    return '"' + "<br/>".join(escape_label(line) for line in lines if line) + '"'


def _kind(view: NetworkView) -> str:
    return ", ".join((view.driver,) + view.flags) if view.driver else ", ".join(view.flags)


def _edge(endpoint: Endpoint) -> str:
    """The link from a container to a network, labelled with its addresses and aliases there."""
    words = list(endpoint.addresses)
    if endpoint.aliases:
        words.append(("aliases " if len(endpoint.aliases) > 1 else "alias ") + ", ".join(endpoint.aliases))
    return f"---|{_label(words)}|" if words else "---"


def render(
    data: t.Any,
    direction: str = "LR",
    include_default_networks: bool = False,
    containers: t.Any = None,
) -> str:
    """A Mermaid flowchart: one hexagon per network, one box per container, one edge per endpoint.

    Network labels carry the name, the driver and its flags (internal, attachable, ...), the
    parent and mode of macvlan/ipvlan networks, and every pool (IPv4 first, then IPv6) with its
    gateway, range and auxiliary addresses. Edge labels carry the container's addresses on that
    network and its aliases there. Internal networks are drawn dashed. Everything is sorted by
    name, so the same networks always give the same text.
    """
    if direction not in DIRECTIONS:
        raise DiagramError(f"direction: {direction!r} is not a Mermaid flowchart direction; use one of {', '.join(DIRECTIONS)}")
    aliases = aliases_by_endpoint(containers)
    networks = [n for n in networks_from(data) if include_default_networks or n.get("Name") not in DEFAULT_NETWORKS]
    views = sorted((view_of(n, aliases) for n in networks), key=lambda v: v.name)

    network_ids = _node_ids("net_", [v.name for v in views])
    container_names = sorted({e.container for v in views for e in v.endpoints})
    container_ids = _node_ids("ctr_", container_names)

    lines = [f"flowchart {direction}"]
    if not views:
        lines.append("  %% no networks")
    for view in views:
        lines.append(f"  {network_ids[view.name]}{{{{{_label([view.name, _kind(view), *view.details])}}}}}")
    for name in container_names:
        lines.append(f"  {container_ids[name]}[{_label([name])}]")
    for view in views:
        for endpoint in view.endpoints:
            lines.append(f"  {container_ids[endpoint.container]} {_edge(endpoint)} {network_ids[view.name]}")
    internal = [network_ids[v.name] for v in views if v.internal]
    if internal:
        lines.append("  classDef internal stroke-dasharray: 5 5")
        lines.append(f"  class {','.join(internal)} internal")
    return "\n".join(lines) + "\n"


# Drivers whose network spans hosts: drawn once, outside the hosts, when several hosts report it.
_SHARED_DRIVERS = frozenset({"overlay", "macvlan", "ipvlan"})


def is_per_host(data: t.Any) -> bool:
    """A dict of host name -> network_info result (as built from hostvars), rather than one result."""
    if not isinstance(data, t.Mapping) or not data or any(key in data for key in ("networks", "network", "Name")):
        return False
    return all(isinstance(value, t.Mapping) and ("networks" in value or "network" in value) for value in data.values())


def _shared_key(network: t.Mapping[str, t.Any]) -> t.Optional[t.Tuple[str, ...]]:
    """What makes one network of several hosts the same network, or None for a network of one host.

    A swarm network has one ID on every host. A macvlan or ipvlan network is one per host; the same name,
    driver, parent and subnets on several hosts make one LAN segment.
    """
    driver = str(network.get("Driver") or "")
    if network.get("Scope") == "swarm" and network.get("Id"):
        return ("swarm", str(network["Id"]))
    if driver in _SHARED_DRIVERS:
        options = network.get("Options") or {}
        subnets = sorted(str(pool.get("Subnet")) for pool in (network.get("IPAM") or {}).get("Config") or [] if pool.get("Subnet"))
        return (driver, str(network.get("Name") or ""), str(options.get("parent") or ""), *subnets)
    return None


def _without_ranges(network: t.Mapping[str, t.Any]) -> t.Dict[str, t.Any]:
    """The network with its pools' ranges left out (they differ per host; the diagram lists them per host)."""
    ipam = dict(network.get("IPAM") or {})
    ipam["Config"] = [{k: v for k, v in pool.items() if k != "IPRange"} for pool in ipam.get("Config") or []]
    return {**network, "IPAM": ipam}


def _host_ranges(network: t.Mapping[str, t.Any]) -> t.List[str]:
    return [str(pool["IPRange"]) for pool in (network.get("IPAM") or {}).get("Config") or [] if pool.get("IPRange") and pool["IPRange"] != pool.get("Subnet")]


def render_hosts(
    data: t.Mapping[str, t.Any],
    direction: str = "LR",
    include_default_networks: bool = False,
    containers: t.Any = None,
) -> str:
    """One Mermaid flowchart of several hosts: a subgraph per host with its local networks and its containers.

    ``data`` maps each host name to its network_info result. A network that several hosts share (a swarm
    network, or a macvlan/ipvlan network with the same name, parent and subnets) is drawn once outside the
    hosts, with each host's own range; every container's edge goes to it. ``containers`` maps host names to
    that host's container inspect results, as for ``render``.
    """
    if direction not in DIRECTIONS:
        raise DiagramError(f"direction: {direction!r} is not a Mermaid flowchart direction; use one of {', '.join(DIRECTIONS)}")
    if containers is not None and not isinstance(containers, t.Mapping):
        raise DiagramError(f"containers: with one network_info result per host, expected a dict of host -> inspect results; got {type(containers).__name__}")
    hosts = sorted(str(host) for host in data)
    per_host: t.Dict[str, t.List[t.Mapping[str, t.Any]]] = {}
    for host in hosts:
        try:
            found = networks_from(data[host])
        except DiagramError as exc:
            raise DiagramError(f"host {host}: {exc}") from exc
        per_host[host] = [n for n in found if include_default_networks or n.get("Name") not in DEFAULT_NETWORKS]

    sharing: t.Dict[t.Tuple[str, ...], t.List[str]] = {}
    for host in hosts:
        for network in per_host[host]:
            key = _shared_key(network)
            if key is not None and host not in sharing.setdefault(key, []):
                sharing[key].append(host)
    shared_keys = {key for key, users in sharing.items() if len(users) > 1}

    host_ids = _node_ids("host_", hosts)
    shared: t.Dict[t.Tuple[str, ...], t.Tuple[NetworkView, t.List[str]]] = {}
    local: t.Dict[str, t.List[NetworkView]] = {host: [] for host in hosts}
    edges: t.Dict[str, t.List[t.Tuple[NetworkView, Endpoint, t.Optional[t.Tuple[str, ...]]]]] = {host: [] for host in hosts}
    for host in hosts:
        host_containers = (containers or {}).get(host) if containers else None
        try:
            aliases = aliases_by_endpoint(host_containers)
        except DiagramError as exc:
            raise DiagramError(f"host {host}: {exc}") from exc
        for network in per_host[host]:
            key = _shared_key(network)
            view = view_of(network, aliases)
            if key is not None and key in shared_keys:
                if key not in shared:
                    shared[key] = (view_of(_without_ranges(network), {}), [])
                shared[key][1].extend(f"{host} range {r}" for r in _host_ranges(network))
            else:
                key = None
                local[host].append(view)
            edges[host].extend((view, endpoint, key) for endpoint in view.endpoints)

    shared_views = sorted(shared.items(), key=lambda item: (item[1][0].name, item[0]))
    # two shared networks may have one name (two swarms, two segments): one ID each
    shared_keys_sorted = [item[0] for item in shared_views]
    shared_id_of = dict(zip(shared_keys_sorted, _unique_ids("net_", [shared[key][0].name for key in shared_keys_sorted])))

    lines = [f"flowchart {direction}"]
    internal: t.List[str] = []
    local_ids: t.Dict[t.Tuple[str, str], str] = {}
    container_ids: t.Dict[t.Tuple[str, str], str] = {}
    for host in hosts:
        hid = host_ids[host]
        views = sorted(local[host], key=lambda v: v.name)
        lines.append(f"  subgraph {hid}[{_label([host])}]")
        for name, node_id in _node_ids(hid + "_net_", [v.name for v in views]).items():
            local_ids[(host, name)] = node_id
        for view in views:
            lines.append(f"    {local_ids[(host, view.name)]}{{{{{_label([view.name, _kind(view), *view.details])}}}}}")
            if view.internal:
                internal.append(local_ids[(host, view.name)])
        names = sorted({edge[1].container for edge in edges[host]})
        for name, node_id in _node_ids(hid + "_ctr_", names).items():
            container_ids[(host, name)] = node_id
            lines.append(f"    {node_id}[{_label([name])}]")
        if not views and not names:
            lines.append("    %% no networks")
        lines.append("  end")
    for key, (view, ranges) in shared_views:
        lines.append(f"  {shared_id_of[key]}{{{{{_label([view.name, _kind(view), *view.details, *ranges])}}}}}")
        if view.internal:
            internal.append(shared_id_of[key])
    for host in hosts:
        for view, endpoint, key in sorted(edges[host], key=lambda e: (e[0].name, e[1].container)):
            target = shared_id_of[key] if key is not None else local_ids[(host, view.name)]
            lines.append(f"  {container_ids[(host, endpoint.container)]} {_edge(endpoint)} {target}")
    if internal:
        lines.append("  classDef internal stroke-dasharray: 5 5")
        lines.append(f"  class {','.join(internal)} internal")
    return "\n".join(lines) + "\n"
