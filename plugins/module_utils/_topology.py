# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""Converge a whole declared topology in one task, through the same code as the single modules.

A converged topology costs one network list and one container list. The whole topology is planned
before the first change, so an item the daemon would refuse changes nothing.
"""

from __future__ import annotations

import copy
import functools
import typing as t
from dataclasses import dataclass, replace

from ansible_collections.dockernet.core.plugins.module_utils._attach import attachment_of, container_name
from ansible_collections.dockernet.core.plugins.module_utils._attachment_state import (
    NO_CONTAINER,
    AttachmentRequest,
    AttachmentResult,
    plan_attachment,
    plan_disconnect,
    request_from_params,
)
from ansible_collections.dockernet.core.plugins.module_utils._client import DockerClient, DockerError
from ansible_collections.dockernet.core.plugins.module_utils._compare import first_overlap
from ansible_collections.dockernet.core.plugins.module_utils._endpoint import endpoint_settings
from ansible_collections.dockernet.core.plugins.module_utils._lookup import containers_by_reference, inspect_container
from ansible_collections.dockernet.core.plugins.module_utils._network_create import NetworkResult
from ansible_collections.dockernet.core.plugins.module_utils._network_spec import NetworkState, check_name, desired_from_params
from ansible_collections.dockernet.core.plugins.module_utils._network_state import plan_absent, plan_present
from ansible_collections.dockernet.core.plugins.module_utils._plan import apply, named
from ansible_collections.dockernet.core.plugins.module_utils._predefined import ALWAYS_PREDEFINED, PREDEFINED_BY_NAME, predefined_entry, refusal
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError

TOPOLOGY_LABEL = "dockernet.topology"
Result = t.TypeVar("Result", NetworkResult, AttachmentResult)
Listed = t.Dict[str, t.Dict[str, t.Any]]  # the network list by name, the container list by name and ID


@dataclass(frozen=True)
class Topology:
    name: str
    networks: t.Tuple[NetworkState, ...]
    attachments: t.Tuple[AttachmentRequest, ...]
    recreate: t.Mapping[str, str]  # each declared network's recreate option


def topology_from_params(name: str, networks: t.Sequence[t.Mapping[str, t.Any]], attachments: t.Sequence[t.Mapping[str, t.Any]]) -> Topology:
    """Validate every item before anything is sent (pure). Errors name the item, as networks[2].subnet."""
    check_name("name", name)
    states: t.List[NetworkState] = []
    recreate: t.Dict[str, str] = {}
    for index, params in enumerate(networks):
        state = named(f"networks[{index}]", desired_from_params, params)
        if state.name in ALWAYS_PREDEFINED:
            declaring = f"declaring it in a topology (which labels every network it declares with {TOPOLOGY_LABEL})"
            raise ValidationError(
                f"networks[{index}].name",
                refusal(PREDEFINED_BY_NAME[state.name], state.name, declaring) + "; attachments can name it without declaring it",
            )
        if state.name in recreate:
            first = [s.name for s in states].index(state.name)
            message = f"{state.name!r} is declared twice (also networks[{first}]); declare each network once"
            raise ValidationError(f"networks[{index}].name", message)
        recreate[state.name] = str(params.get("recreate") or "on_change")
        # Every network carries the topology's label, so purge and absent find what it made.
        states.append(replace(state, labels={**(state.labels or {}), TOPOLOGY_LABEL: name}))
    # Two declared networks with overlapping pools would fail half-way through a real run: refuse them now.
    for index, state in enumerate(states):
        earlier = [(pool.subnet, other) for other in range(index) for pool in states[other].ipam_config or ()]
        overlap = first_overlap([(pool.subnet, None) for pool in state.ipam_config or ()], earlier)
        if overlap is not None:
            subnet, other, other_index = overlap
            message = f"subnet {subnet} overlaps {other} of networks[{other_index}]; give each network its own range"
            raise ValidationError(f"networks[{index}].ipam_config", message)
    requests: t.List[AttachmentRequest] = []
    pairs: t.Set[t.Tuple[str, str]] = set()
    for index, params in enumerate(attachments):
        request = named(f"attachments[{index}]", request_from_params, params)
        if (request.container, request.network) in pairs:
            raise ValidationError(f"attachments[{index}]", f"container {request.container!r} on network {request.network!r} is declared twice; declare it once")
        pairs.add((request.container, request.network))
        requests.append(request)
    return Topology(name, tuple(states), tuple(requests), recreate)


class Outcome:
    """The planned results of every item, in the order they apply, rendered into the module's return value."""

    def __init__(self) -> None:
        self.steps: t.List[t.Union[NetworkResult, AttachmentResult]] = []

    def add(self, item: str, run: t.Callable[..., Result], *args: t.Any, **kwargs: t.Any) -> Result:
        """Plan one item (networks[1]), its errors naming it; "" for a network no item declares."""
        result = named(item, run, *args, **kwargs)
        result.plan.item = item
        self.steps.append(result)
        return result

    @property
    def networks(self) -> t.List[NetworkResult]:
        return [r for r in self.steps if isinstance(r, NetworkResult)]

    @property
    def attachments(self) -> t.List[AttachmentResult]:
        return [r for r in self.steps if isinstance(r, AttachmentResult)]

    def as_dict(self, applied_only: bool = False) -> t.Dict[str, t.Any]:
        """The module's result; applied_only renders only the steps a real run applied before it failed."""
        def plain(result: t.Union[NetworkResult, AttachmentResult]) -> t.Dict[str, t.Any]:
            return {k: v for k, v in result.as_dict().items() if k != "diff"}

        def count(results: t.Sequence[t.Any]) -> t.Dict[str, int]:
            changed = sum(1 for r in results if r.changed)
            return {"total": len(results), "changed": changed, "unchanged": len(results) - changed}

        def side(name: str) -> t.Dict[str, t.Any]:
            return {
                "networks": {r.name: getattr(r, name) for r in self.networks if getattr(r, name)},
                "attachments": {
                    f"{r.container}@{r.network}": getattr(r, name) for r in self.attachments if getattr(r, name)
                },
            }
        actions = [a for r in self.steps for a in (r.actions[:r.plan.done] if applied_only else r.actions)]
        return {
            "changed": bool(actions),
            "networks": [{"name": r.name, **plain(r)} for r in self.networks],
            "attachments": [plain(r) for r in self.attachments],
            "actions": actions,
            "summary": {"networks": count(self.networks), "attachments": count(self.attachments)},
            "diff": {"before": side("before"), "after": side("after")},
        }


def _networks_by_name(client: DockerClient) -> t.Dict[str, t.Dict[str, t.Any]]:
    found: t.Dict[str, t.Dict[str, t.Any]] = {}
    for network in client.get("/networks") or []:
        name = str(network.get("Name"))
        if name in found:
            raise DockerError(f"the daemon holds several networks named {name!r} ({found[name]['Id']}, {network['Id']}); remove the extra ones by ID")
        found[name] = network
    return found


def _after_reconnect(container: t.Dict[str, t.Any], result: NetworkResult) -> t.Dict[str, t.Any]:
    """The container as the planned recreate reconnects it: without the static addresses it drops."""
    gone = {a for d in result.dropped_addresses if d["container"] == container_name(container) for a in d["addresses"]}
    if not gone:
        return container
    container = copy.deepcopy(container)  # the caller's (a cached inspect result or a list entry) stays as read
    network = t.cast(t.Mapping[str, t.Any], result.current)
    settings = endpoint_settings(container, str(network["Name"]), str(network["Id"]))
    if settings is not None:
        settings["IPAMConfig"] = {k: v for k, v in (settings.get("IPAMConfig") or {}).items()
                                  if not (k in ("IPv4Address", "IPv6Address") and str(v).split("/", 1)[0] in gone)}
    return container


def _plan_present(
    client: DockerClient, topology: Topology, listing: Listed, containers: Listed, purged: t.Set[str], outcome: Outcome,
) -> None:
    known = list(listing.values())  # overlaps among the declared networks are refused by topology_from_params
    planned: t.Dict[str, NetworkResult] = {}
    for index, state in enumerate(topology.networks):
        name = state.name
        planned[name] = outcome.add(f"networks[{index}]", plan_present, client, state, recreate=topology.recreate[name],
                                    lookup=False, listed=listing.get(name), known_networks=known)
    # The container list carries addresses but not aliases or links: inspect only where those are compared.
    needs_inspect = {r.container for r in topology.attachments
                     if r.endpoint.aliases is not None or r.endpoint.links is not None}
    inspect_once = functools.lru_cache(maxsize=None)(lambda cid: client.get(f"/containers/{cid}/json"))
    read_once = functools.lru_cache(maxsize=None)(inspect_container)  # after every connect: once per container, not once per connect
    for index, request in enumerate(topology.attachments):
        prefix = f"attachments[{index}]"
        # Attachments to a declared network are planned on it as planned, and applied to it as it is once applied.
        result = planned.get(request.network)
        network = listing.get(request.network) if result is None else result.current
        if network is None:
            raise ValidationError(f"{prefix}.network", f"no network named {request.network!r}; declare it in networks or create it first")
        container = containers.get(request.container)
        if container is None and request.state == "connected":
            raise ValidationError(f"{prefix}.container", NO_CONTAINER.format(request.container))
        if container is not None and request.container in needs_inspect:
            container = inspect_once(container["Id"])
        if container is not None and result is not None:
            container = _after_reconnect(container, result)
        applied = None if result is None else functools.partial(getattr, result, "network")
        outcome.add(prefix, plan_attachment, client, request, network=network, container=container, applied=applied,
                    read_back=read_once)
    for name in sorted(purged):
        outcome.add("", plan_absent, client, name, force=True, listed=listing[name])


def attached_summaries(containers: t.Mapping[str, t.Mapping[str, t.Any]], network: t.Mapping[str, t.Any]) -> t.List[t.Mapping[str, t.Any]]:
    """The containers of containers_by_reference's map (each under its name and ID) on the network (pure)."""
    unique = {str(c["Id"]): c for c in containers.values()}
    name, network_id = str(network["Name"]), str(network["Id"])
    return [c for _id, c in sorted(unique.items()) if endpoint_settings(c, name, network_id) is not None]


def _plan_absent(
    client: DockerClient, topology: Topology, listing: Listed, containers: Listed, names: t.Set[str], outcome: Outcome,
) -> None:
    inspect_once = functools.lru_cache(maxsize=None)(inspect_container)
    detaching: t.Set[t.Tuple[str, str]] = set()  # (container ID, network ID) the plan disconnects before removing the network
    for index, request in enumerate(topology.attachments):
        network = listing.get(request.network)
        if network is None:
            continue
        container = containers.get(request.container)
        if container is not None and endpoint_settings(container, str(network["Name"]), str(network["Id"])) is not None:
            container = inspect_once(client, str(container["Id"]))
        detached = outcome.add(f"attachments[{index}]", plan_disconnect, client, replace(request, state="disconnected"),
                               network=network, container=container, lookup_container=False)
        if detached.changed and container is not None:
            detaching.add((str(container["Id"]), str(network["Id"])))
    for name in sorted(names & set(listing)):
        network = listing[name]
        network_id = str(network["Id"])
        ids = [str(c["Id"]) for c in attached_summaries(containers, network)]
        inspected = [inspect_once(client, cid) for cid in ids if (cid, network_id) not in detaching]
        found = [attachment_of(full, name, network_id) for full in inspected if full is not None]
        remaining = sorted((a for a in found if a is not None), key=lambda a: a.container_name)
        outcome.add("", plan_absent, client, name, force=True, listed=network, attachments=remaining)


def plan(client: DockerClient, topology: Topology, *, state: str, purge: bool) -> Outcome:
    """One plan for the whole topology: networks, attachments on the networks as planned, then what goes."""
    outcome, listing = Outcome(), _networks_by_name(client)
    # One container list tells which containers are on which network; only those are inspected, once each.
    containers = containers_by_reference(client)
    declared = set(topology.recreate)
    labelled = {name for name, n in listing.items()
                if (n.get("Labels") or {}).get(TOPOLOGY_LABEL) == topology.name and predefined_entry(n) is None}
    if state == "absent":
        _plan_absent(client, topology, listing, containers, declared | labelled, outcome)
    else:
        _plan_present(client, topology, listing, containers, labelled - declared if purge else set(), outcome)
    return outcome


def apply_outcome(client: DockerClient, outcome: Outcome) -> None:
    """Apply a planned topology; one that fails partway reports what it did before the failing item."""
    try:
        apply(client, [result.plan for result in outcome.steps])
    except (ValidationError, DockerError) as exc:
        exc.result = {**outcome.as_dict(applied_only=True), **exc.result}
        raise
