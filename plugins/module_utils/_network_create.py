# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""Creating one network: what a network task reports, a create that races another run, a refusal explained."""

from __future__ import annotations

import time
import typing as t
from dataclasses import dataclass, field

from ansible_collections.dockernet.core.plugins.module_utils._client import DockerClient, DockerError, encode_filters
from ansible_collections.dockernet.core.plugins.module_utils._compare import Difference
from ansible_collections.dockernet.core.plugins.module_utils._lookup import inspect_network
from ansible_collections.dockernet.core.plugins.module_utils._network_compare import create_body
from ansible_collections.dockernet.core.plugins.module_utils._network_spec import NetworkState
from ansible_collections.dockernet.core.plugins.module_utils._plan import Plan, Planned
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
