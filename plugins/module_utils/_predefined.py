# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""The one table of the networks an engine creates by itself (never removed, recreated or pruned),
and the containers whose network mode is fixed. Pure except predefined_network(), which asks the
daemon only about the names that are its own on some engines and ordinary names elsewhere.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from ansible_collections.dockernet.core.plugins.module_utils._compare import Difference
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError

if t.TYPE_CHECKING:
    from ansible_collections.dockernet.core.plugins.module_utils._client import DockerClient

DEFAULT_BRIDGE_OPTION = "com.docker.network.bridge.default_bridge"
MODE_FIX = "a container gets such a network mode only when it is created (docker run --network ...), so it cannot be connected to or disconnected from networks"

ALWAYS = ""
ON_SWARM = "swarm"
ON_PODMAN = "podman"


@dataclass(frozen=True)
class Predefined:
    name: str
    what: str
    # Where the name is the daemon's own: everywhere, on a swarm node, or on Podman.
    only_on: str = ALWAYS
    # `--filter type=builtin` lists it (the Engine's definition).
    builtin: bool = False
    # The daemon never counts it as dangling, even with no containers.
    never_dangling: bool = False
    # A container gets it only as its network mode at creation: no connect, no disconnect.
    mode_only: bool = False


PREDEFINED = (
    Predefined("bridge", "the default bridge network", builtin=True, never_dangling=True),
    Predefined("host", "the host's own network stack", builtin=True, never_dangling=True, mode_only=True),
    Predefined("none", "the network mode without networking", builtin=True, never_dangling=True, mode_only=True),
    Predefined("default", "the daemon's default network mode", builtin=True, never_dangling=True),
    Predefined("ingress", "the swarm routing-mesh network", never_dangling=True),
    Predefined("docker_gwbridge", "the bridge that connects swarm networks to the host", only_on=ON_SWARM),
    Predefined("podman", "Podman's default network (listed as bridge)", only_on=ON_PODMAN),
)
PREDEFINED_BY_NAME: t.Mapping[str, Predefined] = {entry.name: entry for entry in PREDEFINED}
BUILTIN_NETWORKS = frozenset(entry.name for entry in PREDEFINED if entry.builtin)
NEVER_DANGLING = frozenset(entry.name for entry in PREDEFINED if entry.never_dangling)
# Names that are the daemon's own on every engine: refused in a declaration without asking the daemon.
ALWAYS_PREDEFINED = frozenset(entry.name for entry in PREDEFINED if entry.only_on == ALWAYS)
MODE_ONLY_NETWORKS = frozenset(entry.name for entry in PREDEFINED if entry.mode_only)


def predefined_entry(network: t.Mapping[str, t.Any]) -> t.Optional[Predefined]:
    """The table entry a network inspect (or list) result may be, before asking where it runs (pure). The default
    bridge is known by its option too (Podman lists its own as bridge), the routing mesh by its Ingress flag."""
    if str((network.get("Options") or {}).get(DEFAULT_BRIDGE_OPTION)) == "true":
        return PREDEFINED_BY_NAME["bridge"]
    if network.get("Ingress") is True:
        return PREDEFINED_BY_NAME["ingress"]
    return PREDEFINED_BY_NAME.get(str(network.get("Name") or ""))


def predefined_network(client: DockerClient, network: t.Mapping[str, t.Any]) -> t.Optional[Predefined]:
    """The entry when the network is the daemon's own; asks the daemon only for docker_gwbridge and podman."""
    entry = predefined_entry(network)
    if entry is None or entry.only_on == ALWAYS:
        return entry
    if entry.only_on == ON_SWARM:
        return entry if ((client.get("/info") or {}).get("Swarm") or {}).get("LocalNodeState") == "active" else None
    from ansible_collections.dockernet.core.plugins.module_utils._engine import PODMAN, identify

    return entry if identify(client.version_info()).flavour == PODMAN else None


def refusal(entry: Predefined, name: str, asked: str) -> str:
    """Why a task cannot have what it asks of a pre-defined network (pure)."""
    return (
        f"network {name!r} is {entry.what}, which the daemon creates by itself and never lets anyone remove or recreate, "
        f"so {asked} cannot be applied; leave it out, or create a user-defined network instead "
        "(dockernet.core.network with a name of your own) and attach the containers to it"
    )


def refuse_change(entry: Predefined, name: str, differences: t.Sequence[Difference]) -> ValidationError:
    """The error for a task whose options differ from a pre-defined network, or that asks for recreate: always (pure)."""
    if differences:
        asked = f"the task's {'; '.join(d.describe() for d in differences)} (Docker applies a change only by recreating the network)"
        return ValidationError(differences[0].field, refusal(entry, name, asked), result={"differences": [d.as_dict() for d in differences]})
    return ValidationError("recreate", refusal(entry, name, "recreate: always"))


def refuse_removal(entry: Predefined, name: str) -> ValidationError:
    return ValidationError("state", refusal(entry, name, "state: absent"))


def check_attachable(
    container_name: str, container: t.Mapping[str, t.Any], network: t.Optional[t.Mapping[str, t.Any]], network_name: str,
) -> None:
    """Refuse what the daemon refuses for the network mode (pure); network is None for one not created yet."""
    # host, none and container:<other> are modes that only docker run (create) can give a container.
    mode = str((container.get("HostConfig") or {}).get("NetworkMode") or "")
    if mode in MODE_ONLY_NETWORKS or mode.startswith("container:"):
        raise ValidationError(
            "container",
            f"container {container_name!r} has the network mode {mode!r}: {MODE_FIX}. "
            "Recreate the container without --network host/none/container:... to manage its networks",
        )
    entry = predefined_entry(network) if network is not None else None
    if entry is not None and entry.mode_only:
        raise ValidationError(
            "network",
            f"network {network_name!r} is {entry.what}, which a container can only be created with (docker run --network {network_name}): "
            f"{MODE_FIX}. Attach the container to a user-defined network instead",
        )
