# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""Plan one container's endpoint on one network (for network_attachment, network's `containers` and topology)."""

from __future__ import annotations

import functools
import ipaddress
import typing as t
from dataclasses import dataclass, field, replace

from ansible_collections.dockernet.core.plugins.module_utils._attach import attached_containers, connect, disconnect, network_ref
from ansible_collections.dockernet.core.plugins.module_utils._client import DockerClient, DockerError, encode_filters
from ansible_collections.dockernet.core.plugins.module_utils._compare import Difference, Spec, argument_spec
from ansible_collections.dockernet.core.plugins.module_utils._endpoint import (
    ENDPOINT_API_REQUIREMENTS,
    ENDPOINT_FIELDS,
    ENDPOINT_TASK_OPTIONS,
    MAC_ON_CONNECT_API,
    MEMBER_KEYS,
    Endpoint,
    actual_endpoint,
    connect_body,
    container_name,
    daemon_names,
    desired_endpoint,
    endpoint_differences,
    endpoint_on,
    endpoint_settings,
    is_running,
    mac_change,
    mac_survives_reconnect,
    merged_endpoint,
    reported_dns_names,
    without_daemon_names,
)
from ansible_collections.dockernet.core.plugins.module_utils._engine import PODMAN, Gap, refuse_gaps
from ansible_collections.dockernet.core.plugins.module_utils._lookup import container_from_summary, inspect_container, inspect_network
from ansible_collections.dockernet.core.plugins.module_utils._options import api_at_least
from ansible_collections.dockernet.core.plugins.module_utils._plan import Plan, Planned
from ansible_collections.dockernet.core.plugins.module_utils._predefined import DEFAULT_BRIDGE_OPTION, check_attachable
from ansible_collections.dockernet.core.plugins.module_utils._prediction import member_entry
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError, normalise_address

ATTACHMENT_STATES = ("connected", "disconnected")
ATTACHMENT_SPEC: Spec = {
    "container": {"type": "str", "required": True},
    "network": {"type": "str", "required": True},
    "state": {"type": "str", "choices": list(ATTACHMENT_STATES), "default": "connected"},
    "reconnect": {"type": "bool", "default": True},
    "force": {"type": "bool", "default": False},
    **argument_spec(ENDPOINT_TASK_OPTIONS),
}
NO_CONTAINER = "no container named {!r} (names and full IDs only); create it first or fix the name"
NO_SUBNET = "network {!r} has no user-configured subnet, so the daemon refuses static addresses; give the network an ipam_config"
Network = t.Mapping[str, t.Any]


@dataclass(frozen=True)
class AttachmentRequest:
    container: str
    network: str
    state: str = "connected"
    endpoint: Endpoint = field(default_factory=Endpoint)
    purge_aliases: bool = False
    reconnect: bool = True
    force: bool = False


@dataclass
class AttachmentResult(Planned):
    container: str
    network: str
    plan: Plan = field(default_factory=Plan)
    differences: t.List[Difference] = field(default_factory=list)
    before: t.Dict[str, t.Any] = field(default_factory=dict)
    after: t.Dict[str, t.Any] = field(default_factory=dict)
    # The endpoint after the task: predicted while planned, read back once applied.
    attachment: t.Optional[t.Dict[str, t.Any]] = None
    # A running container's MAC address a reconnect did not give back (Docker 28 gives every new endpoint
    # a random one): {old, new}; new is None while planned.
    changed_mac_address: t.Optional[t.Dict[str, t.Optional[str]]] = None
    # A running container's predicted entry in the network's Containers: (container ID, entry).
    member: t.Optional[t.Tuple[str, t.Dict[str, t.Any]]] = None

    def as_dict(self) -> t.Dict[str, t.Any]:
        return {
            "container": self.container, "network": self.network, "changed": self.changed, "actions": self.actions,
            "differences": [d.as_dict() for d in self.differences], "attachment": self.attachment,
            "changed_mac_address": self.changed_mac_address, "diff": {"before": self.before, "after": self.after},
        }


def request_from_params(params: t.Mapping[str, t.Any], prefix: str = "", network: t.Optional[str] = None) -> AttachmentRequest:
    """Validate one attachment's options (pure). prefix names the list item in messages."""
    container = params.get("container") if network is None else params.get("name")
    if not isinstance(container, str) or not container.strip():
        raise ValidationError(f"{prefix}{'container' if network is None else 'name'}", "is empty; give a container name or full ID")
    network_name = network if network is not None else params.get("network")
    if not isinstance(network_name, str) or not network_name.strip():
        raise ValidationError(f"{prefix}network", "is empty; give a network name or full ID")
    state = params.get("state") or "connected"
    if state not in ATTACHMENT_STATES:
        raise ValidationError(f"{prefix}state", f"{state!r} is not a state; use connected or disconnected")
    return AttachmentRequest(
        container=container, network=network_name, state=state, endpoint=desired_endpoint(params, prefix),
        purge_aliases=bool(params.get("purge_aliases")), reconnect=params.get("reconnect", True) is not False,
        force=bool(params.get("force")),
    )


def check_endpoint_fits(client: DockerClient, request: AttachmentRequest, network: t.Mapping[str, t.Any], container_id: str) -> None:
    """Everything the daemon would refuse (or silently ignore), refused here first, naming the field."""
    endpoint = request.endpoint
    for option, version in ENDPOINT_API_REQUIREMENTS.items():
        if getattr(endpoint, option) is not None:
            client.require_api(option, version)
    refuse_gaps(podman_endpoint_gaps(endpoint), client.version_info, client.settings.docker_host)
    name = str(network.get("Name"))
    if network.get("Scope") == "swarm" and not network.get("Attachable"):
        raise ValidationError("network", f"{name!r} is a swarm-scoped network that is not attachable; recreate it with attachable: true")
    default_bridge = (network.get("Options") or {}).get(DEFAULT_BRIDGE_OPTION) == "true" or (
        network.get("Name") == "bridge" and network.get("Driver") == "bridge"
    )
    if default_bridge and endpoint.aliases:
        raise ValidationError("aliases", f"the default bridge network {name!r} ignores aliases; use a user-defined network for DNS aliases")
    pools = [c for c in (network.get("IPAM") or {}).get("Config") or [] if c.get("Subnet")]
    for key in ("ipv4_address", "ipv6_address"):
        address = getattr(endpoint, key)
        if not address:
            continue
        if default_bridge or not pools:
            raise ValidationError(key, NO_SUBNET.format(name))
        parsed = ipaddress.ip_address(address)
        for config in pools:
            aux = {f"the reserved aux address {k!r}": v for k, v in (config.get("AuxiliaryAddresses") or {}).items()}
            reserved = {"the network's gateway": config.get("Gateway"), **aux}
            for what, taken in reserved.items():
                if taken and normalise_address(str(taken)) == str(parsed):
                    raise ValidationError(key, f"{address} is {what} of network {name!r}; pick another address")
        family = [ipaddress.ip_network(c["Subnet"], strict=False) for c in pools]
        if not any(parsed in net for net in family if net.version == parsed.version):
            subnets = ", ".join(str(n) for n in family if n.version == parsed.version) or "none"
            raise ValidationError(key, f"{address} is outside every IPv{parsed.version} pool of network {name!r} ({subnets}); pick an address inside one")
        for other_id, other in (network.get("Containers") or {}).items():
            used = {str(other.get("IPv4Address", "")).split("/", maxsplit=1)[0], str(other.get("IPv6Address", "")).split("/", maxsplit=1)[0]}
            if other_id != container_id and address in {str(ipaddress.ip_address(u)) for u in used if u}:
                raise ValidationError(key, f"{address} is already used by container {other.get('Name')!r} on network {name!r}; pick a free address")
        holder = static_addresses_held(client, network, container_id).get(address)
        if holder is not None:
            raise ValidationError(key, f"{address} is already used by container {holder!r} on network {name!r}; pick a free address")
    for link in (endpoint.links or ()) if network.get("Id") is not None else ():  # on a network the plan creates, earlier items connect first
        target = link.split(":", 1)[0]
        linked = inspect_container(client, target)
        if linked is None or endpoint_settings(linked, name, str(network.get("Id"))) is None:
            raise ValidationError("links", f"container {target!r} is not on network {name!r}; connect it first or drop the link")


def podman_endpoint_gaps(endpoint: Endpoint) -> t.List[Gap]:
    """The endpoint settings the task gives that Podman lacks, from the lacking of their table entries."""
    given = endpoint.as_dict()
    return [Gap(spec.name, repr(given[spec.name]), reason, fix)
            for spec in ENDPOINT_FIELDS if given.get(spec.name)
            for engine, reason, fix in spec.lacking if engine == PODMAN]


def static_addresses_held(client: DockerClient, network: t.Mapping[str, t.Any], container_id: str) -> t.Dict[str, str]:
    """Static addresses other containers on the network hold, running or not (address -> container name): the network
    lists running ones only, and the daemon lets a stopped container take a held address, failing when it starts.
    """
    name, net_id = str(network.get("Name")), str(network.get("Id"))
    if network.get("Id") is None:
        return {}  # a network the plan creates holds nothing yet
    listing = client.get("/containers/json", params={"all": "true", "filters": encode_filters({"network": [net_id, name]})}) or []
    held: t.Dict[str, str] = {}
    for summary in listing:
        if str(summary.get("Id")) == container_id:
            continue
        container = container_from_summary(summary)
        ipam = (endpoint_settings(container, name, net_id) or {}).get("IPAMConfig") or {}
        for field_name in ("IPv4Address", "IPv6Address"):
            address = normalise_address(ipam.get(field_name))
            if address:
                held[address] = container_name(container)
    return held


def attachment_view(container: t.Mapping[str, t.Any], network: t.Mapping[str, t.Any]) -> t.Optional[t.Dict[str, t.Any]]:
    raw = endpoint_settings(container, str(network.get("Name")), str(network.get("Id")))
    if raw is None:
        return None
    return {
        "network": network.get("Name"),
        "network_id": network.get("Id"),
        "container": container_name(container),
        "container_id": container.get("Id"),
        "ipv4_address": raw.get("IPAddress") or None,
        "ipv6_address": raw.get("GlobalIPv6Address") or None,
        "mac_address": raw.get("MacAddress") or None,
        "aliases": sorted(set(raw.get("Aliases") or []) - daemon_names(container)),
        "dns_names": reported_dns_names(raw),
        "settings": actual_endpoint(container, raw).as_dict(),
    }


def predicted_attachment(
    container: t.Mapping[str, t.Any], network_name: str, network_id: t.Optional[str], target: Endpoint, mac_address: t.Optional[str],
) -> t.Dict[str, t.Any]:
    """The `attachment` a connect with target would leave (attachment_view's once it ran): mac_address is the one it
    keeps (None: the daemon picks one), addresses the static ones (the daemon picks the others).
    """
    settings = replace(target.reported(), mac_address=mac_address).as_dict()
    if is_running(container):
        settings.setdefault("mac_address", None)  # a running endpoint always has one, picked by the daemon
    return {
        "network": network_name,
        "network_id": network_id,
        "container": container_name(container),
        "container_id": container.get("Id"),
        "ipv4_address": target.ipv4_address,
        "ipv6_address": target.ipv6_address,
        "mac_address": mac_address,
        "aliases": sorted(target.aliases or ()),
        "dns_names": None,
        "settings": settings,
    }


def _find_container(client: DockerClient, reference: str, field_name: str = "container") -> t.Dict[str, t.Any]:
    container = inspect_container(client, reference)
    if container is None:
        raise ValidationError(field_name, NO_CONTAINER.format(reference))
    return container


def plan_connect(
    client: DockerClient, request: AttachmentRequest, *, network: t.Optional[Network] = None, container: t.Optional[t.Mapping[str, t.Any]] = None,
    applied: t.Optional[t.Callable[[], Network]] = None, read_back: t.Callable[[DockerClient, str], t.Optional[t.Dict[str, t.Any]]] = inspect_container,
) -> AttachmentResult:
    """Plan connecting (or reconnecting with new settings). A caller may pass network and container looked up already
    (Id None: a network the plan creates first); applied gives the network once the plans before ran.
    """
    result = AttachmentResult(container=request.container, network=request.network)
    if container is None:
        container = _find_container(client, request.container)
    if network is None:
        network = inspect_network(client, request.network)
        if network is None and not is_swarm_worker(client):
            raise ValidationError("network", f"no network named {request.network!r}; create it first (dockernet.core.network)")
    # A swarm worker neither lists nor inspects a swarm-scoped network until one of its containers is attached,
    # but the daemon connects by name, asking a manager for it: such a network is planned unseen, by name.
    unseen, looked_up = network is None, network or {"Name": request.network, "Id": request.network}
    resolve = applied or ((lambda: inspect_network(client, request.network) or looked_up) if unseen else (lambda: looked_up))
    cname, net_name, net_id = container_name(container), str(looked_up["Name"]), None if unseen else looked_up.get("Id")
    container_id, running, found = str(container["Id"]), is_running(container), container
    replaced_mac = None  # the MAC address a reconnect may not give back

    def settle(client: DockerClient) -> None:
        """Record the endpoint a real connect left, and the MAC address the reconnect did not keep."""
        result.attachment = attachment_view(read_back(client, container_id) or found, resolve())
        result.changed_mac_address = mac_change(replaced_mac, (result.attachment or {}).get("mac_address"))

    actual = None if network is None else endpoint_on(container, net_name, str(net_id or ""))
    request = replace(request, endpoint=without_daemon_names(request.endpoint, container))
    if actual is not None:
        result.differences = endpoint_differences(request.endpoint, actual, request.purge_aliases)
        result.before = actual.as_dict()
        if not result.differences:
            result.after = result.before
            result.attachment = attachment_view(container, looked_up)
            # On a network the plan recreates, the endpoint is read again once the network has its new ID.
            result.plan.settle.append(lambda client: None if resolve().get("Id") == net_id else settle(client))
            return result
        if not request.reconnect:
            raise ValidationError(
                "reconnect",
                f"container {cname!r} is on network {net_name!r} with other settings: "
                + "; ".join(d.describe() for d in result.differences)
                + ". Set reconnect: true to reconnect it with the new settings",
                result={"differences": [d.as_dict() for d in result.differences]},
            )
    target = merged_endpoint(request.endpoint, actual, request.purge_aliases)
    # Only a change is refused: a container created with --network host is on host as asked.
    check_attachable(cname, container, network, net_name)
    if network is not None:
        check_endpoint_fits(client, request, network, container_id)
    result.after = target.as_dict()
    if actual is not None:
        # A running container's MAC address a reconnect may lose (one the task asks for is a change it wants).
        if running and actual.mac_address and request.endpoint.mac_address is None:
            replaced_mac = actual.mac_address
            if not mac_survives_reconnect(actual.mac_address, target.ipv4_address, api_at_least(client.api_version, MAC_ON_CONNECT_API)):
                result.changed_mac_address = {"old": actual.mac_address, "new": None}
        result.plan.add(f"disconnect container {cname} from network {net_name}", f"/networks/{network_ref(looked_up, running)}/disconnect",
                        {"Container": container_id, "Force": True},
                        perform=lambda client: disconnect(client, network_ref(resolve(), running), container_id, force=True))
    send = functools.partial(_connect, request=request, container=container, network=resolve, actual=actual, target=target, unseen=unseen)
    result.plan.add(f"connect container {cname} to network {net_name}", f"/networks/{net_id or net_name}/connect",
                    connect_body(container_id, target), perform=send)
    # A running container keeps the MAC address it is connected with unless a change is predicted (then the daemon
    # picks one); a stopped one gets its MAC address when it starts, unless the task asks for one.
    mac = (None if result.changed_mac_address is not None else target.mac_address) if running else request.endpoint.mac_address
    result.attachment = predicted_attachment(container, net_name, net_id, target, mac)
    if running:
        result.member = (container_id, member_entry(cname, mac))
    result.plan.settle.append(settle)
    return result


def _connect(
    client: DockerClient, *, request: AttachmentRequest, container: t.Mapping[str, t.Any], network: t.Callable[[], Network],
    actual: t.Optional[Endpoint], target: Endpoint, unseen: bool,
) -> None:
    """A real connect: a run that raced it to the same endpoint converges; a refused reconnect puts the old endpoint back."""
    on = network()
    cname, net_name, net_id, container_id = container_name(container), str(on["Name"]), str(on["Id"]), str(container["Id"])
    try:
        connect(client, net_id, container_id, target)
    except DockerError as exc:
        if actual is None and exc.status == 403 and "already exists" in str(exc) and _connected_meanwhile(client, request, container, on):
            return  # another run connected the container at the same moment: its endpoint is ours
        if actual is not None:
            try:
                connect(client, net_id, container_id, merged_endpoint(Endpoint(), actual))
            except DockerError as restore_exc:
                if not (exc.not_found or restore_exc.not_found):
                    raise DockerError(
                        f"{exc}; putting back the old settings of container {cname!r} on network {net_name!r} failed too: {restore_exc}",
                        status=exc.status,
                    ) from None
                exc = restore_exc if restore_exc.not_found else exc
        if exc.not_found and unseen:
            raise ValidationError(
                "network", f"no network named {net_name!r} on this swarm worker or its managers; create it first (dockernet.core.network)"
            ) from None
        if exc.not_found:
            raise DockerError(f"container {cname!r} or network {net_name!r} disappeared during the task: {exc}") from None
        if "user configured subnets" in str(exc):
            # A pool the daemon picked by itself looks like a configured one in the network's inspect.
            key = "ipv4_address" if request.endpoint.ipv4_address else "ipv6_address"
            raise ValidationError(key, NO_SUBNET.format(net_name)) from None
        raise


def _connected_meanwhile(client: DockerClient, request: AttachmentRequest, container: t.Mapping[str, t.Any], network: Network) -> bool:
    """Whether a concurrent run made the requested endpoint; raises when it has other settings (reconnecting would race again)."""
    refreshed = inspect_container(client, str(container["Id"])) or {}
    now = endpoint_on(refreshed, str(network["Name"]), str(network["Id"]))
    if now is None:
        return False
    differences = endpoint_differences(request.endpoint, now, request.purge_aliases)
    if differences:
        raise DockerError(
            f"container {container_name(refreshed)!r} was connected to network {network['Name']!r} by someone else during the task, "
            "with other settings: " + "; ".join(d.describe() for d in differences) + ". Run the task again to reconnect it",
            status=409,
        )
    return True


def is_swarm_worker(client: DockerClient) -> bool:
    swarm = (client.get("/info") or {}).get("Swarm") or {}
    return swarm.get("LocalNodeState") == "active" and not swarm.get("ControlAvailable")


def plan_disconnect(
    client: DockerClient, request: AttachmentRequest, *, network: t.Optional[Network] = None, container: t.Optional[t.Mapping[str, t.Any]] = None,
    lookup_container: bool = True, applied: t.Optional[t.Callable[[], Network]] = None,
) -> AttachmentResult:
    """Plan disconnecting one container; a caller that inspected it passes it with lookup_container=False (None: it is gone)."""
    result = AttachmentResult(container=request.container, network=request.network)
    if network is None:
        network = inspect_network(client, request.network)
    if network is None or network.get("Id") is None:
        return result
    looked_up = network
    net_name, net_id = str(network["Name"]), str(network["Id"])
    if lookup_container:
        container = inspect_container(client, request.container)
    if container is None:
        # A stale endpoint: the container is gone but the network still holds it.
        stale = [cid for cid, ep in (network.get("Containers") or {}).items() if ep.get("Name") == request.container or cid == request.container]
        if stale and not request.force:
            raise ValidationError(
                "force", f"container {request.container!r} is gone but network {net_name!r} still holds its endpoint; set force: true to remove it"
            )
        action, container_id, force = f"force-disconnect stale endpoint {request.container} from network {net_name}", stale[0] if stale else "", True
        running = True  # a stale endpoint is taken off by ID, as the daemon lists it
    else:
        actual = endpoint_on(container, net_name, net_id)
        if actual is None:
            return result  # not there, whatever its network mode: nothing to refuse
        check_attachable(container_name(container), container, network, net_name)
        result.before = actual.as_dict()
        action, container_id, force = f"disconnect container {container_name(container)} from network {net_name}", str(container["Id"]), request.force
        running = is_running(container)
    if container_id:
        resolve = applied or (lambda: looked_up)
        result.plan.add(action, f"/networks/{network_ref(network, running)}/disconnect", {"Container": container_id, "Force": force},
                        perform=lambda client: disconnect(client, network_ref(resolve(), running), container_id, force=force))
    return result


def plan_attachment(client: DockerClient, request: AttachmentRequest, **looked_up: t.Any) -> AttachmentResult:
    if request.state == "disconnected":
        looked_up.pop("read_back", None)
        return plan_disconnect(client, request, **looked_up)
    return plan_connect(client, request, **looked_up)


def member_requests(network: str, items: t.Sequence[t.Any]) -> t.List[AttachmentRequest]:
    """Validate a network's `containers` list: names, or dicts with `name` and endpoint settings (pure)."""
    requests = []
    seen: t.Set[str] = set()
    for index, item in enumerate(items):
        prefix = f"containers[{index}]."
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict):
            raise ValidationError(f"containers[{index}]", f"{item!r} is neither a container name nor a dict with name and endpoint settings")
        unknown = sorted(set(item) - set(MEMBER_KEYS))
        if unknown:
            raise ValidationError(f"{prefix}{unknown[0]}", f"is not an endpoint setting; use {', '.join(MEMBER_KEYS)}")
        for key in (spec.name for spec in ENDPOINT_FIELDS if spec.option.type == "list"):
            if item.get(key) is not None and not isinstance(item[key], list):
                raise ValidationError(f"{prefix}{key}", f"{item[key]!r} is not a list; write it as a YAML list")
        request = request_from_params(item, prefix, network=network)
        if request.container in seen:
            raise ValidationError(f"{prefix}name", f"container {request.container!r} is listed twice; list each container once")
        seen.add(request.container)
        requests.append(request)
    return requests


def converge_members(
    client: DockerClient, requests: t.Sequence[AttachmentRequest], *, mode: str, network: Network, applied: t.Callable[[], Network],
) -> t.List[AttachmentResult]:
    """Plan attaching every listed container, and with mode exact disconnecting the others; all before anything is sent."""
    containers = [_find_container(client, request.container, f"containers[{index}].name") for index, request in enumerate(requests)]
    results = []
    for index, (request, container) in enumerate(zip(requests, containers)):
        try:
            results.append(plan_connect(client, request, network=network, container=container, applied=applied))
        except ValidationError as exc:
            raise exc.within(f"containers[{index}]") from None
    if mode != "exact" or network.get("Id") is None:
        return results
    listed = {request.container for request in requests}
    for attachment in attached_containers(client, network):
        if attachment.container_name in listed or attachment.container_id in listed:
            continue
        extra = AttachmentRequest(container=attachment.container_id, network=str(network["Name"]), state="disconnected")
        outcome = plan_disconnect(client, extra, network=network, applied=applied)
        outcome.container = attachment.container_name
        results.append(outcome)
    return results
