# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Bring one network to its desired state: plan, then (outside check mode) apply.

Recreating is lossless: every attached container, running or stopped, is
reconnected with its endpoint settings; when the new network cannot be created,
the old one is restored with its containers before failing.
"""

from __future__ import annotations

import ipaddress
import time
import typing as t
from dataclasses import dataclass, field, replace

from ansible_collections.dockernet.core.plugins.module_utils._attach import (
    Attachment,
    attached_containers,
    connect,
    disconnect,
    network_ref,
)
from ansible_collections.dockernet.core.plugins.module_utils._client import DockerClient, DockerError, encode_filters
from ansible_collections.dockernet.core.plugins.module_utils._endpoint import (
    MAC_ON_CONNECT_API,
    addresses_outside,
    endpoint_settings,
    mac_survives_reconnect,
    normalised_mac,
    without_addresses,
)
from ansible_collections.dockernet.core.plugins.module_utils._engine import require_network_support
from ansible_collections.dockernet.core.plugins.module_utils._lookup import inspect_network, swarm_services_using
from ansible_collections.dockernet.core.plugins.module_utils._network_compare import (
    Difference,
    create_body,
    network_differences,
    pool_config,
    required_api_versions,
)
from ansible_collections.dockernet.core.plugins.module_utils._network_spec import (
    NetworkState,
    actual_from_inspect,
    comparable_actual,
    predicted_state,
)
from ansible_collections.dockernet.core.plugins.module_utils._options import api_at_least
from ansible_collections.dockernet.core.plugins.module_utils._prediction import member_entry, predicted_network, with_members
from ansible_collections.dockernet.core.plugins.module_utils._predefined import predefined_network, refuse_change, refuse_removal
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError

# How long a create that lost a race waits for the winner's network to show up.
RACE_WAIT_ATTEMPTS = 20
RACE_WAIT_SECONDS = 0.1
# How long a new swarm network may take to be allocated by a busy manager (seen: over 2 s on 20.10).
ALLOCATION_WAIT_ATTEMPTS = 100


@dataclass
class NetworkResult:
    """What one network task did (or would do in check mode)."""

    name: str
    changed: bool = False
    actions: t.List[str] = field(default_factory=list)
    differences: t.List[Difference] = field(default_factory=list)
    before: t.Dict[str, t.Any] = field(default_factory=dict)
    after: t.Dict[str, t.Any] = field(default_factory=dict)
    network: t.Optional[t.Dict[str, t.Any]] = None
    reconnected: t.List[t.Dict[str, t.Any]] = field(default_factory=list)
    dropped_addresses: t.List[t.Dict[str, t.Any]] = field(default_factory=list)
    # Running containers a recreate gave another MAC address: container, old, new (None in check mode).
    changed_mac_addresses: t.List[t.Dict[str, t.Any]] = field(default_factory=list)
    # The network attachments are planned on: the real one after the task, or in check mode the
    # one it predicts (None when it would be created, the recreated view when it would be recreated).
    current: t.Optional[t.Mapping[str, t.Any]] = None
    recreating: bool = False

    def act(self, action: str) -> None:
        self.actions.append(action)
        self.changed = True

    def as_dict(self) -> t.Dict[str, t.Any]:
        return {
            "changed": self.changed,
            "actions": self.actions,
            "differences": [d.as_dict() for d in self.differences],
            "network": self.network,
            "reconnected": self.reconnected,
            "dropped_addresses": self.dropped_addresses,
            "changed_mac_addresses": self.changed_mac_addresses,
            "diff": {"before": self.before, "after": self.after},
        }


def check_api(client: DockerClient, desired: NetworkState) -> None:
    for option, version in required_api_versions(desired):
        client.require_api(option, version)
    require_network_support(desired, client.version_info, client.settings.docker_host)


def check_subnet_conflicts(
    client: DockerClient, desired: NetworkState, own_id: t.Optional[str], known: t.Optional[t.Sequence[t.Mapping[str, t.Any]]] = None,
) -> None:
    """A subnet that overlaps another Docker network fails here, naming that network.

    known is a network list the caller already holds, saving one list call per network.
    """
    if not desired.ipam_config:
        return
    mine = [ipaddress.ip_network(pool.subnet) for pool in desired.ipam_config]
    for other in known if known is not None else client.get("/networks") or []:
        if other.get("Id") == own_id or other.get("Name") == desired.name:
            continue
        for config in (other.get("IPAM") or {}).get("Config") or []:
            try:
                theirs = ipaddress.ip_network(str(config.get("Subnet")), strict=False)
            except ValueError:
                continue
            for subnet in mine:
                if subnet.version == theirs.version and subnet.overlaps(theirs):
                    raise ValidationError(
                        "ipam_config",
                        f"subnet {subnet} overlaps {theirs} of network {other.get('Name')!r}; pick a free range or remove that network",
                    )


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
        attempts = RACE_WAIT_ATTEMPTS if exc.status in (403, 409) else 1
        for attempt in range(attempts):
            existing = inspect_network(client, desired.name)
            if existing is not None:
                return existing
            if attempt + 1 < attempts:
                time.sleep(RACE_WAIT_SECONDS)
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
    """A swarm network as the manager shows it once allocated.

    Docker 26.1, and 20.10 under load, answer an inspect right after the create with an empty driver,
    no pools and no options until the manager has allocated the network (28.5 answered allocated here).
    """
    attempts = ALLOCATION_WAIT_ATTEMPTS
    while attempts and network.get("Scope") == "swarm" and not network.get("Driver"):
        attempts -= 1
        time.sleep(RACE_WAIT_SECONDS)
        network = t.cast(t.Dict[str, t.Any], client.get(f"/networks/{network['Id']}"))
    return network


def reconnect_plan(attachments: t.Sequence[Attachment], subnets: t.Sequence[str]) -> t.List[t.Tuple[Attachment, t.List[str]]]:
    """Each attachment as a recreate reconnects it, without its static addresses outside subnets, and those addresses (pure)."""
    plan = []
    for attachment in attachments:
        outside = addresses_outside(attachment.endpoint, subnets)
        plan.append((replace(attachment, endpoint=without_addresses(attachment.endpoint, outside)) if outside else attachment, outside))
    return plan


def _reconnect(client: DockerClient, network: t.Mapping[str, t.Any], attachments: t.Sequence[Attachment], result: NetworkResult) -> t.List[str]:
    pinned = api_at_least(client.api_version, MAC_ON_CONNECT_API)
    failures = []
    for kept, outside in reconnect_plan(attachments, network_subnets(network)):
        endpoint = kept.endpoint
        if outside:
            result.dropped_addresses.append({"container": kept.container_name, "addresses": outside})
        try:
            connect(client, str(network["Id"]), kept.container_id, replace(endpoint, mac_address=kept.mac_address) if pinned else endpoint)
        except DockerError as exc:
            failures.append(f"{kept.container_name}: {exc}")
            continue
        # Report the settings the container got back, without the addresses that were dropped.
        result.reconnected.append(kept.as_dict())
        if kept.running and kept.mac_address:
            _note_mac_change(client, network, kept, result)
    return failures


def _note_mac_change(client: DockerClient, network: t.Mapping[str, t.Any], attachment: Attachment, result: NetworkResult) -> None:
    """Read the MAC address a reconnected running container got; report it when it is not the old one."""
    try:
        container = client.get(f"/containers/{attachment.container_id}/json")
    except DockerError:
        container = {}
    raw = endpoint_settings(container, str(network["Name"]), str(network["Id"])) or {}
    new_mac = normalised_mac(raw.get("MacAddress"))
    if new_mac != attachment.mac_address:
        result.changed_mac_addresses.append({"container": attachment.container_name, "old": attachment.mac_address, "new": new_mac})


def predicted_mac_changes(attachments: t.Sequence[Attachment], subnets: t.Sequence[str], pinned: bool) -> t.List[t.Dict[str, t.Any]]:
    """The running containers a recreate would give another MAC address, as check mode reports them (new: None)."""
    changes = []
    for attachment in attachments:
        if not attachment.running:
            continue  # a stopped container gets its MAC address when it starts, on every engine
        kept_ipv4 = attachment.endpoint.ipv4_address
        if kept_ipv4 in addresses_outside(attachment.endpoint, subnets):
            kept_ipv4 = None
        if not mac_survives_reconnect(attachment.mac_address, kept_ipv4, pinned):
            changes.append({"container": attachment.container_name, "old": attachment.mac_address, "new": None})
    return changes


def network_subnets(network: t.Mapping[str, t.Any]) -> t.List[str]:
    """The pools' subnets of a network inspect (or list) result."""
    return [str(c["Subnet"]) for c in (network.get("IPAM") or {}).get("Config") or [] if c.get("Subnet")]


def recreated_view(raw: t.Mapping[str, t.Any], target: NetworkState) -> t.Dict[str, t.Any]:
    """The network a recreate will leave, shaped like an inspect result, for planning attachments in check mode."""
    return {
        **raw,
        "IPAM": {**(raw.get("IPAM") or {}), "Config": [pool_config(pool) for pool in target.ipam_config or ()]},
        "Attachable": bool(target.attachable),
        "Internal": bool(target.internal),
        "Scope": target.scope or raw.get("Scope"),
    }


def recreate(client: DockerClient, actual_raw: t.Mapping[str, t.Any], target: NetworkState, result: NetworkResult, check_mode: bool) -> None:
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
    for attachment in attachments:
        result.act(f"disconnect container {attachment.container_name} from network {name}")
    result.act(f"remove network {name}")
    result.act(f"create network {name}")
    for attachment in attachments:
        result.act(f"connect container {attachment.container_name} to network {name}")
    result.recreating = True
    if check_mode:
        result.current = recreated_view(actual_raw, target)
        # Predict the reconnects and the static addresses the new pools no longer hold, as the real run reports them.
        subnets = [pool.subnet for pool in target.ipam_config or ()]
        for kept, outside in reconnect_plan(attachments, subnets):
            if outside:
                result.dropped_addresses.append({"container": kept.container_name, "addresses": outside})
            result.reconnected.append(kept.as_dict())
        result.changed_mac_addresses = predicted_mac_changes(attachments, subnets, api_at_least(client.api_version, MAC_ON_CONNECT_API))
        losing = {change["container"] for change in result.changed_mac_addresses}
        rejoined = {
            a.container_id: member_entry(a.container_name, None if a.container_name in losing else a.mac_address) for a in attachments if a.running
        }
        result.network = with_members(predicted_network(target, actual_raw, client.api_version), rejoined, [])
        return
    old_id = str(actual_raw["Id"])
    for attachment in attachments:
        disconnect(client, network_ref(actual_raw, attachment.running), attachment.container_id, force=True)
    client.delete(f"/networks/{old_id}")
    try:
        new_network = create_network(client, target)
    except DockerError as exc:
        try:
            restored = create_network(client, comparable_actual(actual_from_inspect(actual_raw), target))
        except DockerError as restore_exc:
            raise DockerError(
                f"recreating network {name!r} failed ({exc}), and restoring the old network failed too ({restore_exc}); "
                f"the network is gone and its container(s) {', '.join(a.container_name for a in attachments) or '(none)'} "
                "are disconnected. Create it again and reconnect them"
            ) from None
        restore = NetworkResult(name=name)
        failures = _reconnect(client, restored, attachments, restore)
        detail = f"; reconnecting failed for {'; '.join(failures)}" if failures else ""
        macs = "".join(
            f"; container {c['container']!r} came back with MAC address {c['new']} instead of {c['old']} "
            "(this engine does not apply a MAC address on connect)"
            for c in restore.changed_mac_addresses
        )
        raise DockerError(
            f"recreating network {name!r} failed ({exc}); the old network was restored with its "
            f"{len(attachments)} container(s){detail}{macs}",
            result={"dropped_addresses": restore.dropped_addresses, "changed_mac_addresses": restore.changed_mac_addresses},
        ) from None
    failures = _reconnect(client, new_network, attachments, result)
    if failures:
        raise DockerError(f"network {name!r} was recreated but containers could not be reconnected: {'; '.join(failures)}")
    result.network = client.get(f"/networks/{new_network['Id']}")


def ensure_present(
    client: DockerClient, desired: NetworkState, recreate_mode: str, check_mode: bool, actual_raw: t.Optional[t.Dict[str, t.Any]] = None,
    lookup: bool = True, known_networks: t.Optional[t.Sequence[t.Mapping[str, t.Any]]] = None,
) -> NetworkResult:
    """Converge one network.

    actual_raw may be given by a caller that already inspected it (lookup=False); known_networks by a
    caller that already listed every network (used for the subnet-overlap check).
    """
    check_api(client, desired)
    result = NetworkResult(name=desired.name)
    if lookup:
        actual_raw = inspect_network(client, desired.name)
    if actual_raw is None:
        check_subnet_conflicts(client, desired, None, known_networks)
        source = None
        if desired.config_from is not None:
            source = inspect_network(client, desired.config_from)
            if source is None:
                raise ValidationError("config_from", f"network {desired.config_from!r} does not exist; create it first with config_only: true")
        predicted = predicted_state(desired, None)
        result.after = predicted.as_dict()
        result.act(f"create network {desired.name}")
        result.network = predicted_network(predicted, None, client.api_version, source) if check_mode else create_network(client, desired)
        result.current = None if check_mode else result.network
        return result

    actual = comparable_actual(actual_from_inspect(actual_raw), desired)
    predefined = predefined_network(client, actual_raw)
    if predefined is not None and desired.driver_defaulted:
        desired = replace(desired, driver=None)  # `name: host` only says it exists
    result.differences = network_differences(desired, actual)
    if predefined is not None and (result.differences or recreate_mode == "always"):
        # Nothing has been sent yet: the daemon would refuse the delete after the containers were disconnected.
        raise refuse_change(predefined, desired.name, result.differences)
    target = predicted_state(desired, actual)
    result.before = actual.as_dict()
    result.after = target.as_dict()
    result.current = actual_raw
    if not result.differences and recreate_mode != "always":
        result.network = actual_raw
        return result
    if recreate_mode == "never":
        raise ValidationError(
            "recreate",
            f"network {desired.name!r} differs and Docker cannot change it in place: "
            + "; ".join(d.describe() for d in result.differences)
            + ". Set recreate: on_change to recreate it (attached containers are reconnected)",
            result={"differences": [d.as_dict() for d in result.differences]},
        )
    if result.differences:
        check_subnet_conflicts(client, desired, str(actual_raw["Id"]), known_networks)
    recreate(client, actual_raw, target, result, check_mode)
    if not check_mode:
        result.current = result.network
    return result


def ensure_absent(
    client: DockerClient, name: str, force: bool, check_mode: bool, actual_raw: t.Optional[t.Mapping[str, t.Any]] = None,
    attachments: t.Optional[t.Sequence[Attachment]] = None,
) -> NetworkResult:
    """Remove one network, disconnecting its containers first when force allows.

    A caller that already listed the network passes it as actual_raw, and may pass the containers
    still attached to it (attachments), saving the inspect and the container list of the network.
    """
    result = NetworkResult(name=name)
    if actual_raw is None:
        actual_raw = inspect_network(client, name)
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
    for attachment in attachments:
        result.act(f"disconnect container {attachment.container_name} from network {name}")
    result.act(f"remove network {name}")
    if not check_mode:
        try:
            for attachment in attachments:
                disconnect(client, network_ref(actual_raw, attachment.running), attachment.container_id, force=True)
            client.delete(f"/networks/{actual_raw['Id']}")
        except DockerError as exc:
            # A network listed or inspected a moment ago may have been removed by someone else since.
            if exc.not_found and inspect_network(client, str(actual_raw["Id"])) is None:
                return NetworkResult(name=name)
            raise
    return result
