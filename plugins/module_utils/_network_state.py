# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""Plan one network's way to its desired state; _plan.apply sends it.

A recreate is lossless: every attached container is reconnected with its endpoint settings, and
when the new network cannot be created the old one is restored with its containers."""

from __future__ import annotations

import functools
import time
import typing as t
from dataclasses import dataclass, field, replace

from ansible_collections.dockernet.core.plugins.module_utils._attach import Attachment, attached_containers, connect, network_ref
from ansible_collections.dockernet.core.plugins.module_utils._client import DockerClient, DockerError, encode_filters
from ansible_collections.dockernet.core.plugins.module_utils._compare import first_overlap
from ansible_collections.dockernet.core.plugins.module_utils._endpoint import (
    MAC_ON_CONNECT_API,
    addresses_outside,
    connect_body,
    endpoint_settings,
    mac_change,
    mac_survives_reconnect,
    without_addresses,
)
from ansible_collections.dockernet.core.plugins.module_utils._engine import require_network_support
from ansible_collections.dockernet.core.plugins.module_utils._lookup import inspect_network, swarm_services_using
from ansible_collections.dockernet.core.plugins.module_utils._network_compare import Difference, create_body, network_differences, required_api_versions
from ansible_collections.dockernet.core.plugins.module_utils._network_spec import NetworkState, actual_from_inspect, comparable_actual, predicted_state
from ansible_collections.dockernet.core.plugins.module_utils._options import api_at_least
from ansible_collections.dockernet.core.plugins.module_utils._plan import Plan, Planned, Step
from ansible_collections.dockernet.core.plugins.module_utils._predefined import predefined_network, refuse_change, refuse_removal
from ansible_collections.dockernet.core.plugins.module_utils._prediction import member_entry, predicted_network, with_members
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError

# How long a create that lost a race waits for the winner's network to show up.
RACE_WAIT_ATTEMPTS = 20
RACE_WAIT_SECONDS = 0.1
# How long a new swarm network may take to be allocated by a busy manager (seen: over 2 s on 20.10).
ALLOCATION_WAIT_ATTEMPTS = 100


@dataclass
class NetworkResult(Planned):
    """What one network task plans; the reports a real run fills in as it applies the plan."""

    name: str
    plan: Plan = field(default_factory=Plan)
    differences: t.List[Difference] = field(default_factory=list)
    before: t.Dict[str, t.Any] = field(default_factory=dict)
    after: t.Dict[str, t.Any] = field(default_factory=dict)
    # The network after the task: predicted while planned, the daemon's once applied.
    network: t.Optional[t.Dict[str, t.Any]] = None
    reconnected: t.List[t.Dict[str, t.Any]] = field(default_factory=list)
    dropped_addresses: t.List[t.Dict[str, t.Any]] = field(default_factory=list)
    # Running containers a recreate gave another MAC address: container, old, new (None while planned).
    changed_mac_addresses: t.List[t.Dict[str, t.Any]] = field(default_factory=list)
    # The network attachments are planned on: the looked-up one, or the predicted one when it is
    # created (Id None) or recreated (the old Id and members, the new settings).
    current: t.Optional[t.Mapping[str, t.Any]] = None

    def as_dict(self) -> t.Dict[str, t.Any]:
        return {
            "changed": self.changed, "actions": self.actions, "differences": [d.as_dict() for d in self.differences],
            "network": self.network, "reconnected": self.reconnected, "dropped_addresses": self.dropped_addresses,
            "changed_mac_addresses": self.changed_mac_addresses, "diff": {"before": self.before, "after": self.after},
        }


def check_subnet_conflicts(
    client: DockerClient, desired: NetworkState, own_id: t.Optional[str], known: t.Optional[t.Sequence[t.Mapping[str, t.Any]]] = None,
) -> None:
    """A subnet that overlaps another network fails here, naming it; known: a network list the caller holds already."""
    if not desired.ipam_config:
        return
    theirs = [
        (str(config.get("Subnet")), other.get("Name"))
        for other in (known if known is not None else client.get("/networks") or [])
        if other.get("Id") != own_id and other.get("Name") != desired.name
        for config in (other.get("IPAM") or {}).get("Config") or []
    ]
    overlap = first_overlap([(pool.subnet, None) for pool in desired.ipam_config], theirs)
    if overlap is not None:
        subnet, other, owner = overlap
        raise ValidationError("ipam_config", f"subnet {subnet} overlaps {other} of network {owner!r}; pick a free range or remove that network")


def explain_refusal(desired: NetworkState, error: DockerError) -> Exception:
    """Name the field behind a create the daemon refused, where its message allows; else keep the daemon's words."""
    text = str(error)
    if error.status == 404 and "plugin" in text and desired.driver:
        return ValidationError(
            "driver", f"{desired.driver!r} is not a network driver on this engine; use bridge, overlay, macvlan, ipvlan or an installed plugin"
        )
    if desired.enable_ipv6 and "IPv6 address pool" in text and not any(p.version == 6 for p in desired.ipam_config or ()):
        # Docker 27 and newer pick an IPv6 pool from a ULA prefix; older engines only from IPv6 ranges
        # configured in the daemon's default-address-pools, which most do not have.
        return ValidationError(
            "enable_ipv6",
            f"the engine has no IPv6 pool to pick from ({_daemon_words(text)}); give ipam_config an IPv6 pool, "
            "for example {subnet: fd00:10::/64}, or add an IPv6 range to the daemon's default-address-pools",
        )
    parent = (desired.driver_options or {}).get("parent")
    if parent and ("subinterface" in text or "parent interface" in text or "no such network interface" in text.lower()):
        return ValidationError(
            "driver_options.parent",
            f"interface {parent!r} does not exist on the engine's host ({_daemon_words(text)}); "
            "give an existing interface, or PARENT.VLAN for a VLAN sub-interface",
        )
    return error


def _daemon_words(text: str) -> str:
    return text.split("): ", 1)[-1]


def create_network(client: DockerClient, desired: NetworkState) -> t.Dict[str, t.Any]:
    """Create and return the inspect result; a create racing another run converges instead of duplicating."""
    try:
        created = client.post("/networks/create", create_body(desired))
    except DockerError as exc:
        # A run creating the same name at the same moment wins with 409 (name taken) or, when the
        # name check races too, 403 (its pool now overlaps ours): converge on its network, which
        # the daemon may show only a moment later.
        for attempt in range(RACE_WAIT_ATTEMPTS if exc.status in (403, 409) else 1):
            if attempt:
                time.sleep(RACE_WAIT_SECONDS)
            existing = inspect_network(client, desired.name)
            if existing is not None:
                return existing
        raise explain_refusal(desired, exc) from None
    created_id = str(created["Id"])
    # Older daemons can let two simultaneous creates with the same name both succeed. Inspecting by
    # name returns our network when it is the only one, and fails as ambiguous when it is not.
    try:
        found = client.get(f"/networks/{desired.name}")
    except DockerError as exc:
        if exc.not_found or not ("ambiguous" in str(exc) or "multiple" in str(exc)):
            raise
        found = None
    if found is not None and found.get("Id") == created_id:
        return allocated(client, t.cast(t.Dict[str, t.Any], found))
    same_name = [n for n in client.get("/networks", params={"filters": encode_filters({"name": [desired.name]})}) or []
                 if n.get("Name") == desired.name]
    if len(same_name) > 1:
        keeper = min(same_name, key=lambda n: (str(n.get("Created")), str(n.get("Id"))))
        if keeper["Id"] != created_id:
            client.delete(f"/networks/{created_id}")
            created_id = str(keeper["Id"])
    return allocated(client, t.cast(t.Dict[str, t.Any], client.get(f"/networks/{created_id}")))


def allocated(client: DockerClient, network: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    """A swarm network as the manager shows it once allocated: Docker 26.1, and 20.10 under load, answer an inspect
    right after the create with an empty driver, no pools and no options until then (28.5 answered allocated)."""
    attempts = ALLOCATION_WAIT_ATTEMPTS
    while attempts and network.get("Scope") == "swarm" and not network.get("Driver"):
        attempts -= 1
        time.sleep(RACE_WAIT_SECONDS)
        network = t.cast(t.Dict[str, t.Any], client.get(f"/networks/{network['Id']}"))
    return network


def reconnect_plan(attachment: Attachment, subnets: t.Sequence[str]) -> t.Tuple[Attachment, t.List[str]]:
    """The attachment as a recreate reconnects it, without the static addresses outside subnets; and those (pure)."""
    outside = addresses_outside(attachment.endpoint, subnets)
    kept = replace(attachment, endpoint=without_addresses(attachment.endpoint, outside)) if outside else attachment
    return kept, outside


def _reconnect(client: DockerClient, network: t.Mapping[str, t.Any], attachment: Attachment, result: NetworkResult) -> t.Optional[str]:
    """Reconnect one container to a recreated (or restored) network, reporting into result; the failure, if any."""
    subnets = [str(c["Subnet"]) for c in (network.get("IPAM") or {}).get("Config") or [] if c.get("Subnet")]
    kept, outside = reconnect_plan(attachment, subnets)
    if outside:
        result.dropped_addresses.append({"container": kept.container_name, "addresses": outside})
    pinned = api_at_least(client.api_version, MAC_ON_CONNECT_API)
    try:
        connect(client, str(network["Id"]), kept.container_id, replace(kept.endpoint, mac_address=kept.mac_address) if pinned else kept.endpoint)
    except DockerError as exc:
        return f"{kept.container_name}: {exc}"
    # Report the settings the container got back, without the addresses that were dropped.
    result.reconnected.append(kept.as_dict())
    if kept.running and kept.mac_address:
        try:
            container = client.get(f"/containers/{kept.container_id}/json")
        except DockerError:
            container = {}
        change = mac_change(kept.mac_address, (endpoint_settings(container, str(network["Name"]), str(network["Id"])) or {}).get("MacAddress"))
        if change is not None:
            result.changed_mac_addresses.append({"container": kept.container_name, **change})
    return None


def predict_reconnects(
    result: NetworkResult, attachments: t.Sequence[Attachment], subnets: t.Sequence[str], pinned: bool,
) -> None:
    """Report the reconnects a recreate would make as a real run does: the static addresses the new pools no longer
    hold, and the running containers that would get another MAC address (new: None; stopped ones get it on start)."""
    for kept, outside in (reconnect_plan(attachment, subnets) for attachment in attachments):
        if outside:
            result.dropped_addresses.append({"container": kept.container_name, "addresses": outside})
        result.reconnected.append(kept.as_dict())
        if kept.running and not mac_survives_reconnect(kept.mac_address, kept.endpoint.ipv4_address, pinned):
            result.changed_mac_addresses.append({"container": kept.container_name, "old": kept.mac_address, "new": None})


@dataclass
class Recreate:
    """What the steps of a lossless recreate share while a real run applies them."""

    result: NetworkResult
    old: t.Mapping[str, t.Any]
    target: NetworkState
    attachments: t.List[Attachment]
    failures: t.List[str] = field(default_factory=list)

    def create(self, client: DockerClient) -> None:
        try:
            self.result.network = create_network(client, self.target)
        except (DockerError, ValidationError) as exc:  # explain_refusal names the field of some refusals
            raise self.restore(client, exc) from None
        # The planned reports give way to what the reconnects really do.
        self.result.reconnected, self.result.dropped_addresses, self.result.changed_mac_addresses = [], [], []

    def reconnect(self, attachment: Attachment, client: DockerClient) -> None:
        network = t.cast(t.Dict[str, t.Any], self.result.network)
        self.failures += [f for f in [_reconnect(client, network, attachment, self.result)] if f is not None]
        if attachment is not self.attachments[-1]:
            return
        if self.failures:
            raise DockerError(f"network {self.result.name!r} was recreated but containers could not be reconnected: {'; '.join(self.failures)}")
        self.result.network = client.get(f"/networks/{network['Id']}")

    def restore(self, client: DockerClient, exc: t.Union[DockerError, ValidationError]) -> DockerError:
        """The undo of a failed create: the old network back, with its containers; the error to raise."""
        name, attachments = self.result.name, self.attachments
        try:
            restored = create_network(client, comparable_actual(actual_from_inspect(self.old), self.target))
        except (DockerError, ValidationError) as restore_exc:  # as for the create: explain_refusal may name a field
            return DockerError(
                f"recreating network {name!r} failed ({exc}), and restoring the old network failed too ({restore_exc}); "
                f"the network is gone and its container(s) {', '.join(a.container_name for a in attachments) or '(none)'} "
                "are disconnected. Create it again and reconnect them"
            )
        report = NetworkResult(name=name)
        failures = [f for f in (_reconnect(client, restored, kept, report) for kept in attachments) if f is not None]
        detail = f"; reconnecting failed for {'; '.join(failures)}" if failures else ""
        macs = "".join(
            f"; container {c['container']!r} came back with MAC address {c['new']} instead of {c['old']} "
            "(this engine does not apply a MAC address on connect)"
            for c in report.changed_mac_addresses
        )
        return DockerError(
            f"recreating network {name!r} failed ({exc}); the old network was restored with its "
            f"{len(attachments)} container(s){detail}{macs}",
            result={"dropped_addresses": report.dropped_addresses, "changed_mac_addresses": report.changed_mac_addresses},
        )


def plan_recreate(client: DockerClient, actual_raw: t.Mapping[str, t.Any], target: NetworkState, result: NetworkResult) -> None:
    name = str(actual_raw["Name"])
    services = swarm_services_using(client, actual_raw)
    if services:
        raise DockerError(
            f"network {name!r} must be recreated to apply the change, but swarm services use it: {', '.join(services)}. "
            "Remove those services from the network first, or leave the network as it is"
        )
    attachments = attached_containers(client, actual_raw)
    unknown = [a.container_name for a in attachments if a.endpoint.addresses_unknown]
    if unknown:
        raise ValidationError(
            "recreate",
            f"network {name!r} must be recreated to apply the change, but the engine reports no addresses for the stopped "
            f"container(s) {', '.join(unknown)} (Podman shows them only while a container runs), so their static addresses "
            "would be lost. Start those containers (or disconnect them) first",
        )
    steps, plan = Recreate(result, actual_raw, target, attachments), result.plan
    plan_removal(plan, name, actual_raw, attachments)
    plan.add(f"create network {name}", "/networks/create", create_body(target), perform=steps.create)
    for attachment in attachments:
        plan.add(f"connect container {attachment.container_name} to network {name}", f"/networks/{name}/connect",
                 connect_body(attachment.container_id, attachment.endpoint), perform=functools.partial(steps.reconnect, attachment))
    predicted = predicted_network(target, actual_raw, client.api_version)
    # Attachments are planned on the new settings with the old Id and members: their lookups still find the old network.
    result.current = {**predicted, "Id": actual_raw.get("Id"), "Containers": actual_raw.get("Containers") or {}}
    subnets = [pool.subnet for pool in target.ipam_config or ()]
    predict_reconnects(result, attachments, subnets, api_at_least(client.api_version, MAC_ON_CONNECT_API))
    losing = {change["container"] for change in result.changed_mac_addresses}
    rejoined = {a.container_id: member_entry(a.container_name, None if a.container_name in losing else a.mac_address) for a in attachments if a.running}
    result.network = with_members(predicted, rejoined, [])


def plan_removal(plan: Plan, name: str, network: t.Mapping[str, t.Any], attachments: t.Sequence[Attachment]) -> None:
    """The steps that remove a network (its inspect or list result): disconnect each container, then delete it."""
    for attachment in attachments:
        plan.add(f"disconnect container {attachment.container_name} from network {name}",
                 f"/networks/{network_ref(network, attachment.running)}/disconnect", {"Container": attachment.container_id, "Force": True})
    plan.add(f"remove network {name}", f"/networks/{network['Id']}", method="DELETE")


def plan_present(
    client: DockerClient, desired: NetworkState, *, recreate: str = "on_change", lookup: bool = True,
    listed: t.Optional[t.Dict[str, t.Any]] = None, known_networks: t.Optional[t.Sequence[t.Mapping[str, t.Any]]] = None,
) -> NetworkResult:
    """Plan converging one network. A caller that listed the networks passes this one as listed (None: absent)
    with lookup=False, and the whole list as known_networks (for the subnet-overlap check)."""
    for option, version in required_api_versions(desired):
        client.require_api(option, version)
    require_network_support(desired, client.version_info, client.settings.docker_host)
    result = NetworkResult(name=desired.name)
    actual_raw = inspect_network(client, desired.name) if lookup else listed
    if actual_raw is None:
        check_subnet_conflicts(client, desired, None, known_networks)
        source = None
        if desired.config_from is not None:
            source = inspect_network(client, desired.config_from)
            if source is None:
                raise ValidationError("config_from", f"network {desired.config_from!r} does not exist; create it first with config_only: true")
        predicted = predicted_state(desired, None)
        result.after = predicted.as_dict()
        result.current = result.network = predicted_network(predicted, None, client.api_version, source)

        def create(client: DockerClient) -> None:
            result.network = create_network(client, desired)

        result.plan.add(f"create network {desired.name}", "/networks/create", create_body(desired), perform=create)
        return result

    actual = comparable_actual(actual_from_inspect(actual_raw), desired)
    predefined = predefined_network(client, actual_raw)
    if predefined is not None and desired.driver_defaulted:
        desired = replace(desired, driver=None)  # `name: host` only says it exists
    result.differences = network_differences(desired, actual)
    if predefined is not None and (result.differences or recreate == "always"):
        raise refuse_change(predefined, desired.name, result.differences)
    target = predicted_state(desired, actual)
    result.before = actual.as_dict()
    result.after = target.as_dict()
    result.current = result.network = actual_raw
    if not result.differences and recreate != "always":
        return result
    if recreate == "never":
        raise ValidationError(
            "recreate",
            f"network {desired.name!r} differs and Docker cannot change it in place: "
            + "; ".join(d.describe() for d in result.differences)
            + ". Set recreate: on_change to recreate it (attached containers are reconnected)",
            result={"differences": [d.as_dict() for d in result.differences]},
        )
    if result.differences:
        check_subnet_conflicts(client, desired, str(actual_raw["Id"]), known_networks)
    plan_recreate(client, actual_raw, target, result)
    return result


def plan_absent(
    client: DockerClient, name: str, *, force: bool, listed: t.Optional[t.Mapping[str, t.Any]] = None,
    attachments: t.Optional[t.Sequence[Attachment]] = None,
) -> NetworkResult:
    """Plan removing one network, disconnecting its containers first when force allows. A caller that listed
    the network passes it as listed, and may pass its containers as attachments, saving their lookups."""
    result = NetworkResult(name=name)
    actual_raw = listed if listed is not None else inspect_network(client, name)
    if actual_raw is None:
        return result
    predefined = predefined_network(client, actual_raw)
    if predefined is not None:
        raise refuse_removal(predefined, name)
    result.before = comparable_actual(actual_from_inspect(actual_raw)).as_dict()
    if attachments is None:
        attachments = attached_containers(client, actual_raw)
    if attachments and not force:
        raise DockerError(
            f"network {name!r} has containers attached: {', '.join(a.container_name for a in attachments)}. "
            "Set force: true to disconnect them first, or disconnect them yourself"
        )
    plan_removal(result.plan, name, actual_raw, attachments)
    result.plan.steps = [replace(step, perform=functools.partial(_unless_removed, result, step)) for step in result.plan.steps]
    return result


def _unless_removed(result: NetworkResult, step: Step, client: DockerClient) -> None:
    """A network listed or inspected a moment ago may have been removed by someone else since: then nothing was done."""
    try:
        step.apply(client)
    except DockerError as exc:
        if not (exc.not_found and inspect_network(client, step.path.split("/")[2]) is None):
            raise
        result.plan.steps.clear()
        result.before = {}
