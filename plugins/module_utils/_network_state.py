# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""Plan one network's way to its desired state; _plan.apply sends it. Creating is in _network_create; removing and
recreating a network with containers on it in _recreate, loaded only when a task does either."""

from __future__ import annotations

import typing as t
from dataclasses import replace

from ansible_collections.dockernet.core.plugins.module_utils._client import DockerClient
from ansible_collections.dockernet.core.plugins.module_utils._compare import first_overlap
from ansible_collections.dockernet.core.plugins.module_utils._engine import require_network_support
from ansible_collections.dockernet.core.plugins.module_utils._lookup import inspect_network
from ansible_collections.dockernet.core.plugins.module_utils._network_compare import create_body, network_differences, required_api_versions
from ansible_collections.dockernet.core.plugins.module_utils._network_create import NetworkResult, create_network
from ansible_collections.dockernet.core.plugins.module_utils._network_spec import NetworkState, actual_from_inspect, comparable_actual, predicted_state
from ansible_collections.dockernet.core.plugins.module_utils._predefined import predefined_network, refuse_change, refuse_removal
from ansible_collections.dockernet.core.plugins.module_utils._prediction import predicted_network
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError

if t.TYPE_CHECKING:
    from ansible_collections.dockernet.core.plugins.module_utils._attach import Attachment


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
    # The attachment code is loaded only when a network is recreated or removed: a plain network task does not need it.
    from ansible_collections.dockernet.core.plugins.module_utils._recreate import plan_recreate

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
    from ansible_collections.dockernet.core.plugins.module_utils._recreate import plan_removal  # as for plan_recreate

    plan_removal(client, result, actual_raw, attachments, force)
    return result
