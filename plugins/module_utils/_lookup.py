# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""Finding networks and containers by exact name or full ID, listing with filters, and what uses a network."""

from __future__ import annotations

import typing as t

from ansible_collections.dockernet.core.plugins.module_utils._client import DockerClient, DockerError, encode_filters
from ansible_collections.dockernet.core.plugins.module_utils._predefined import BUILTIN_NETWORKS, NEVER_DANGLING
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError, option_string

NETWORK_LIST_FILTERS = ("driver", "id", "label", "name", "scope", "type", "dangling")


def is_exact_match(reference: str, name: str, object_id: str) -> bool:
    """By exact name or the whole ID (swarm-scoped networks have 25-character IDs), never a prefix."""
    return reference == name or (bool(object_id) and reference == object_id)


def _inspect(client: DockerClient, path: str, reference: str, params: t.Optional[t.Mapping[str, str]] = None) -> t.Any:
    """GET an inspect result; None when there is none or when the daemon found it by an ID prefix (db for dbbackup)."""
    try:
        found = client.get(path, params=params)
    except DockerError as exc:
        if exc.not_found:
            return None
        raise
    name = str(found.get("Name") or "")
    name = name[1:] if name.startswith("/") else name
    return found if is_exact_match(reference, name, str(found.get("Id", ""))) else None


def inspect_network(client: DockerClient, reference: str, verbose: bool = False) -> t.Optional[t.Dict[str, t.Any]]:
    try:
        return _inspect(client, f"/networks/{reference}", reference, {"verbose": "true"} if verbose else None)
    except DockerError as exc:
        if "ambiguous" in str(exc) or "multiple" in str(exc):
            ids = [n["Id"] for n in client.get("/networks", params={"filters": encode_filters({"name": [reference]})}) if n.get("Name") == reference]
            raise DockerError(
                f"name: the daemon holds {len(ids)} networks named {reference!r} ({', '.join(ids)}); "
                "remove the extra ones by ID (docker network rm ID) before managing it by name"
            ) from None
        raise


def network_filters(filters: t.Optional[t.Mapping[str, t.Any]]) -> t.Dict[str, t.List[str]]:
    result: t.Dict[str, t.List[str]] = {}
    for key, value in (filters or {}).items():
        if key not in NETWORK_LIST_FILTERS:
            raise ValidationError(f"filters.{key}", f"is not a network filter; use one of {', '.join(NETWORK_LIST_FILTERS)}")
        strings = [option_string(item) for item in (value if isinstance(value, list) else [value])]
        if key == "type" and any(v not in ("custom", "builtin") for v in strings):
            raise ValidationError("filters.type", f"{value!r} is not a network type; use custom or builtin")
        if key == "dangling" and any(v not in ("true", "false", "1", "0") for v in strings):
            raise ValidationError("filters.dangling", f"{value!r} is not a boolean; use true or false")
        result[key] = strings
    return result


# Filters applied here rather than by the daemon (see list_networks).
LOCAL_FILTERS = ("dangling", "type", "scope")


def matches_local_filters(network: t.Mapping[str, t.Any], filters: t.Mapping[str, t.Sequence[str]]) -> bool:
    """type and scope, which a network list entry answers too; a list of values means any of them."""
    # What the type filter calls builtin (Podman's default network is "bridge" on its Docker API).
    seen = {"type": "builtin" if network.get("Name") in BUILTIN_NETWORKS else "custom",
            "scope": str(network.get("Scope") or "local")}
    return all(seen[key] in filters[key] for key in seen if filters.get(key))


def matches_dangling(network: t.Mapping[str, t.Any], values: t.Optional[t.Sequence[str]]) -> bool:
    """dangling, which needs the inspect result; [true, false] keeps every network."""
    return not values or is_dangling(network) in {value in ("true", "1") for value in values}


def is_dangling(network: t.Mapping[str, t.Any]) -> bool:
    """The daemon's definition: not predefined, and no container or service uses it."""
    return network.get("Name") not in NEVER_DANGLING and not network.get("Containers") and not network.get("Services")


def listed_name(found: t.Dict[str, t.Any], summary: t.Mapping[str, t.Any]) -> t.Dict[str, t.Any]:
    """Podman lists its default network as "bridge" but names it "podman" when inspected by ID: keep the listed name."""
    if summary.get("Name") and found.get("Name") != summary["Name"] and found.get("Id") == summary.get("Id"):
        return {**found, "Name": summary["Name"]}
    return found


def _listed(client: DockerClient, filters: t.Mapping[str, t.List[str]]) -> t.List[t.Dict[str, t.Any]]:
    # Sorted by name. Engine 20.10 gets "dangling" wrong next to any other filter (it tests it against the
    # network list, which carries no containers), and Podman refuses "type" and "scope":
    # those are applied here, type and scope on the list, dangling on the inspect results.
    local = {key: list(values) for key, values in filters.items() if key in LOCAL_FILTERS}
    remote = {key: list(values) for key, values in filters.items() if key not in LOCAL_FILTERS}
    params = {"filters": encode_filters(remote)} if remote else None
    summaries = client.get("/networks", params=params) or []
    return [n for n in sorted(summaries, key=lambda n: (n.get("Name", ""), n.get("Id", ""))) if matches_local_filters(n, local)]


def list_networks(client: DockerClient, filters: t.Mapping[str, t.List[str]], verbose: bool = False) -> t.List[t.Dict[str, t.Any]]:
    """Full inspect results (with attached containers) for every network the filters match."""
    result = []
    for summary in _listed(client, filters):
        found = inspect_network(client, summary["Id"], verbose=verbose)  # None: removed since the list
        if found is not None and matches_dangling(found, filters.get("dangling")):
            result.append(listed_name(found, summary))
    return result


def check_summary_options(filters: t.Mapping[str, t.Any], verbose: bool) -> None:
    """A summary is answered from the network list alone: no dangling test, no swarm-scoped details."""
    if "dangling" in filters:
        raise ValidationError("filters.dangling", "needs every network's inspect result, which summary leaves out; "
                                                  "drop summary: true or the dangling filter")
    if verbose:
        raise ValidationError("verbose", "the network list that summary reads has no swarm-scoped details; "
                                         "drop summary: true or verbose: true")


def network_summaries(client: DockerClient, filters: t.Mapping[str, t.List[str]]) -> t.List[t.Dict[str, t.Any]]:
    """From one GET /networks, no inspects (the caller checks the options first: check_summary_options)."""
    return [{key: n.get(key) for key in ("Name", "Id", "Driver", "Scope")} for n in _listed(client, filters)]


def swarm_services_using(client: DockerClient, network: t.Mapping[str, t.Any]) -> t.List[str]:
    """The swarm services attached to a swarm-scoped network; none when this node cannot list them."""
    if network.get("Scope") != "swarm":
        return []
    try:
        services = client.get("/services") or []
    except DockerError:
        return []  # not a manager: services are not visible here
    refs = {network.get("Id"), network.get("Name")}
    return sorted(str(s.get("Spec", {}).get("Name")) for s in services
                  if any(n.get("Target") in refs
                         for n in (s.get("Spec", {}).get("TaskTemplate", {}).get("Networks") or [])))


def inspect_container(client: DockerClient, reference: str) -> t.Optional[t.Dict[str, t.Any]]:
    return _inspect(client, f"/containers/{reference}/json", reference)


def container_from_summary(summary: t.Mapping[str, t.Any]) -> t.Dict[str, t.Any]:
    """A GET /containers/json entry shaped like an inspect result, as far as endpoints need it."""
    # Legacy links add names like /web/db to the linked container; its own name has one slash.
    names = [str(n) for n in summary.get("Names") or [] if str(n).count("/") == 1]
    return {
        "Id": summary.get("Id"),
        "Name": names[0] if names else "",
        "State": {"Running": summary.get("State") == "running"},
        "Config": {},
        "HostConfig": {"NetworkMode": (summary.get("HostConfig") or {}).get("NetworkMode") or ""},
        "NetworkSettings": {"Networks": (summary.get("NetworkSettings") or {}).get("Networks") or {}},
    }


def containers_by_reference(client: DockerClient) -> t.Dict[str, t.Dict[str, t.Any]]:
    result: t.Dict[str, t.Dict[str, t.Any]] = {}
    for summary in client.get("/containers/json", params={"all": "true"}) or []:
        container = container_from_summary(summary)
        result[str(container["Id"])] = container
        result[str(container["Name"]).lstrip("/")] = container
    return result
