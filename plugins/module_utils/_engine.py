# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""Which engine answers at docker_host, and what it cannot do.

Podman serves the Engine API but refuses, drops or never reports back some options (a raw daemon
error, or a change on every run): a task giving one fails before sending anything, naming the fix."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from ansible_collections.dockernet.core.plugins.module_utils._network_spec import ENGINE_IPAM_OPTIONS, NETWORK_FIELDS, NetworkState
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError, option_string

DOCKER = "docker"
PODMAN = "podman"


@dataclass(frozen=True)
class Engine:
    product: str
    version: str

    @property
    def flavour(self) -> str:
        return PODMAN if self.product == "Podman" else DOCKER

    def describe(self) -> str:
        return f"{self.product} {self.version}"


def identify(version_info: t.Mapping[str, t.Any]) -> Engine:
    """The engine behind a GET /version answer. Podman names itself in Components; Docker does not say 'Podman'."""
    for component in version_info.get("Components") or []:
        if str(component.get("Name")) == "Podman Engine":
            return Engine("Podman", str(component.get("Version") or version_info.get("Version") or "unknown"))
    return Engine("Docker Engine", str(version_info.get("Version") or "unknown"))


@dataclass(frozen=True)
class Gap:
    """One option an engine cannot honour, as the task gives it."""

    option: str
    value: str
    reason: str
    fix: str


# Podman 4.3.1 creates bridge and macvlan networks; ipvlan is refused, overlay needs a swarm.
PODMAN_DRIVERS = ("bridge", "macvlan")
# Driver options Podman stores and reports back (it reports the Docker MTU option as "mtu").
PODMAN_DRIVER_OPTIONS = frozenset({"mtu", "com.docker.network.driver.mtu"})


def podman_network_gaps(desired: NetworkState) -> t.List[Gap]:
    gaps = [Gap(f.name, option_string(getattr(desired, f.name)), reason, fix)
            for f in NETWORK_FIELDS if getattr(desired, f.name) not in (None, f.missing)
            for engine, reason, fix in f.lacking if engine == PODMAN]
    if desired.driver is not None and desired.driver not in PODMAN_DRIVERS:
        reason = ("overlay networks need a swarm, which Podman does not have" if desired.driver == "overlay"
                  else f"Podman creates only {' and '.join(PODMAN_DRIVERS)} networks")
        gaps.append(Gap("driver", desired.driver, reason, f"Use driver: {' or '.join(PODMAN_DRIVERS)}, or a Docker engine"))
    extra_ipam = sorted(k for k, v in (desired.ipam_options or {}).items() if ENGINE_IPAM_OPTIONS.get(k) != v)
    if extra_ipam:
        key = extra_ipam[0]
        gaps.append(Gap(f"ipam_options.{key}", repr((desired.ipam_options or {})[key]), "Podman drops IPAM options", "Leave ipam_options out"))
    for pool in desired.ipam_config or ():
        prefix = f"ipam_config[{pool.subnet}]"
        if pool.ip_range is not None:
            gaps.append(Gap(f"{prefix}.ip_range", pool.ip_range, "Podman does not report an IP range back, so it can never be compared",
                            "Leave ip_range out (containers get addresses from the whole subnet)"))
        if pool.aux_addresses:
            gaps.append(Gap(f"{prefix}.aux_addresses", repr(pool.aux_addresses), "Podman drops auxiliary addresses",
                            "Leave aux_addresses out and keep those addresses out of static assignments"))
    unknown = sorted(set(desired.driver_options or {}) - PODMAN_DRIVER_OPTIONS)
    if unknown:
        gaps.append(Gap(
            f"driver_options.{unknown[0]}", repr((desired.driver_options or {})[unknown[0]]),
            "Podman drops driver options other than the MTU, or applies them without reporting them back (parent, bridge name)",
            f"Use only {', '.join(sorted(PODMAN_DRIVER_OPTIONS))}, or a Docker engine",
        ))
    return gaps


def refuse_gaps(gaps: t.Sequence[Gap], version_info: t.Callable[[], t.Mapping[str, t.Any]], host: str) -> None:
    """Fail before sending anything when Podman cannot honour what the task gives (/version is asked only for gaps)."""
    if gaps:
        engine = identify(version_info())
        if engine.flavour == PODMAN:
            gap = gaps[0]
            raise ValidationError(gap.option, f"{gap.value} is not supported by {engine.describe()} (the engine at {host}); "
                                              f"{gap.reason}. {gap.fix}")


def require_network_support(desired: NetworkState, version_info: t.Callable[[], t.Mapping[str, t.Any]], host: str) -> None:
    refuse_gaps(podman_network_gaps(desired), version_info, host)


def engine_facts(info: t.Mapping[str, t.Any], version_info: t.Mapping[str, t.Any], api_version: str) -> t.Dict[str, t.Any]:
    """network_info's engine_info: the engine and its swarm node, from GET /info and GET /version."""
    swarm = info.get("Swarm") or {}  # none on an engine without swarm mode (Podman): an inactive node
    return {
        "product": identify(version_info).product,
        "version": str(info.get("ServerVersion") or version_info.get("Version") or ""),
        "api_version": api_version,
        "max_api_version": str(version_info.get("ApiVersion") or ""),
        "swarm": {
            "local_node_state": str(swarm.get("LocalNodeState") or "inactive"),
            "control_available": bool(swarm.get("ControlAvailable")),
            "node_id": str(swarm.get("NodeID") or ""),
            "node_addr": str(swarm.get("NodeAddr") or ""),
            "error": str(swarm.get("Error") or ""),
        },
    }
