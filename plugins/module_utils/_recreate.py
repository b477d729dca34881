# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""A network's containers when it is removed or recreated (the attachment code a plain network task does not load).

A recreate is lossless: every attached container is reconnected with its endpoint settings, and
when the new network cannot be created the old one is restored with its containers."""

from __future__ import annotations

import functools
import typing as t
from dataclasses import dataclass, field, replace

from ansible_collections.dockernet.core.plugins.module_utils._attach import Attachment, attached_containers, connect, network_ref
from ansible_collections.dockernet.core.plugins.module_utils._client import DockerClient, DockerError
from ansible_collections.dockernet.core.plugins.module_utils._endpoint import (
    MAC_ON_CONNECT_API,
    addresses_outside,
    connect_body,
    endpoint_settings,
    mac_change,
    mac_survives_reconnect,
    without_addresses,
)
from ansible_collections.dockernet.core.plugins.module_utils._lookup import inspect_network, swarm_services_using
from ansible_collections.dockernet.core.plugins.module_utils._network_compare import create_body
from ansible_collections.dockernet.core.plugins.module_utils._network_create import NetworkResult, create_network
from ansible_collections.dockernet.core.plugins.module_utils._network_spec import NetworkState, actual_from_inspect, comparable_actual
from ansible_collections.dockernet.core.plugins.module_utils._options import api_at_least
from ansible_collections.dockernet.core.plugins.module_utils._plan import Plan, Step
from ansible_collections.dockernet.core.plugins.module_utils._prediction import member_entry, predicted_network, with_members
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError


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
    _removal_steps(plan, name, actual_raw, attachments)
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


def plan_removal(
    client: DockerClient, result: NetworkResult, network: t.Mapping[str, t.Any], attachments: t.Optional[t.Sequence[Attachment]], force: bool,
) -> None:
    """Plan removing a network (its inspect or list result), its containers (looked up unless given) disconnected first
    when force allows; a network someone else removes meanwhile is no error."""
    if attachments is None:
        attachments = attached_containers(client, network)
    if attachments and not force:
        raise DockerError(
            f"network {result.name!r} has containers attached: {', '.join(a.container_name for a in attachments)}. "
            "Set force: true to disconnect them first, or disconnect them yourself"
        )
    _removal_steps(result.plan, result.name, network, attachments)
    result.plan.steps = [replace(step, perform=functools.partial(_unless_removed, result, step)) for step in result.plan.steps]


def _removal_steps(plan: Plan, name: str, network: t.Mapping[str, t.Any], attachments: t.Sequence[Attachment]) -> None:
    """The steps that remove a network (its inspect or list result): disconnect each container, then delete it."""
    for attachment in attachments:
        plan.add(f"disconnect container {attachment.container_name} from network {name}",
                 f"/networks/{network_ref(network, attachment.running)}/disconnect", {"Container": attachment.container_id, "Force": True})
    plan.add(f"remove network {name}", f"/networks/{network['Id']}", method="DELETE")


def _unless_removed(result: NetworkResult, step: Step, client: DockerClient) -> None:
    """A network listed or inspected a moment ago may have been removed by someone else since: then nothing was done."""
    try:
        step.apply(client)
    except DockerError as exc:
        if not (exc.not_found and inspect_network(client, step.path.split("/")[2]) is None):
            raise
        result.plan.steps.clear()
        result.before = {}
