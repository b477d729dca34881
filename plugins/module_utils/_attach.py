# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""Daemon calls for container attachments: who is attached, connect, disconnect."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass, replace

from ansible_collections.dockernet.core.plugins.module_utils._client import DockerClient, DockerError, encode_filters
from ansible_collections.dockernet.core.plugins.module_utils._endpoint import (
    Endpoint,
    connect_body,
    container_name,
    endpoint_on,
    is_running,
)


@dataclass(frozen=True)
class Attachment:
    """One container's endpoint on one network, as recorded before a change."""
    container_id: str
    container_name: str
    running: bool
    endpoint: Endpoint
    # The MAC address the endpoint had (None when the engine reports none, as for a stopped container
    # on Docker 28). Kept apart from the endpoint: a reconnect sends it only where the daemon applies it.
    mac_address: t.Optional[str] = None
    # The container's state as the daemon names it (running, exited, created, paused, ...).
    state: str = ""

    def as_dict(self) -> t.Dict[str, t.Any]:
        return {"container": self.container_name, "id": self.container_id, "running": self.running, **self.endpoint.as_dict()}

    def as_member(self) -> t.Dict[str, t.Any]:
        """How network_info shows the container: as_dict with its state and the MAC address it has."""
        return {**self.as_dict(), "state": self.state, **({"mac_address": self.mac_address} if self.mac_address else {})}


def attachment_of(container: t.Mapping[str, t.Any], network_name: str, network_id: str) -> t.Optional[Attachment]:
    endpoint = endpoint_on(container, network_name, network_id)
    if endpoint is None:
        return None
    running = is_running(container)
    state = str((container.get("State") or {}).get("Status") or ("running" if running else ""))
    return Attachment(container_id=str(container["Id"]), container_name=container_name(container), running=running,
                      endpoint=replace(endpoint, mac_address=None), mac_address=endpoint.mac_address, state=state)


def attached_containers(client: DockerClient, network: t.Mapping[str, t.Any]) -> t.List[Attachment]:
    """Running and stopped containers on a network: its inspect lists running ones, and the container list
    finds the others by network ID or, for those never started, by name."""
    ids = {cid for cid in (network.get("Containers") or {}) if not cid.startswith(("ep-", "lb-"))}
    listing = client.get("/containers/json", params={"all": "true", "filters": encode_filters({"network": [network["Id"], network["Name"]]})}) or []
    result = []
    for cid in sorted(ids | {str(c["Id"]) for c in listing}):
        try:
            container = client.get(f"/containers/{cid}/json")
        except DockerError as exc:
            if exc.not_found:
                continue  # removed meanwhile
            raise
        attachment = attachment_of(container, str(network["Name"]), str(network["Id"]))
        if attachment is not None:
            result.append(attachment)
    return sorted(result, key=lambda a: a.container_name)


def connect(client: DockerClient, network_id: str, container_id: str, endpoint: Endpoint) -> None:
    client.post(f"/networks/{network_id}/connect", connect_body(container_id, endpoint))


def network_ref(network: t.Mapping[str, t.Any], running: bool) -> str:
    """By ID, but by name for a stopped container: the daemon resolves an ID only among the networks instantiated on
    this node, and a swarm network no running container uses here is not ("is not connected").
    """
    return str(network["Id"] if running else network["Name"])


def disconnect(client: DockerClient, network_id: str, container_id: str, force: bool = False) -> None:
    client.post(f"/networks/{network_id}/disconnect", {"Container": container_id, "Force": force})
