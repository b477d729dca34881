# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""What check mode returns (pure): the inspect results a real run would return, with their keys and structure; values
the daemon picks when it acts (IDs, creation time, assigned addresses and MAC addresses, pools it chooses) are None.
"""

from __future__ import annotations

import copy
import typing as t

from ansible_collections.dockernet.core.plugins.module_utils._compare import put
from ansible_collections.dockernet.core.plugins.module_utils._network_compare import pool_config
from ansible_collections.dockernet.core.plugins.module_utils._network_spec import NETWORK_FIELDS, NetworkState
from ansible_collections.dockernet.core.plugins.module_utils._options import api_at_least

# Driver options the daemon adds by itself to a new network of a driver, with values it picks.
DAEMON_OPTIONS_BY_DRIVER = {"overlay": ("com.docker.network.driver.overlay.vxlanid_list",)}


def predicted_pools(state: NetworkState) -> t.List[t.Dict[str, t.Any]]:
    """IPAM.Config after a create: the given pools, and one the daemon picks (unknown yet) per enabled family without one."""
    pools = [pool_config(pool) for pool in state.ipam_config or ()]
    if state.config_only or state.config_from is not None:
        return pools  # a config-only network gets no pool of its own; a config_from one takes its pools from there
    families = {pool.version for pool in state.ipam_config or ()}
    for version, enabled in ((4, state.enable_ipv4 is not False), (6, bool(state.enable_ipv6))):
        if enabled and version not in families:
            pools.append({"Subnet": None, "Gateway": None})
    return pools


def _reported(kind: str, value: t.Any) -> t.Any:
    """A setting as inspect reports it: booleans and dicts always, an unset string as empty."""
    if kind == "bool":
        return bool(value)
    if kind == "dict":
        return dict(value or {})
    return "" if value is None else value


def predicted_network(
    state: NetworkState, actual: t.Optional[t.Mapping[str, t.Any]], api_version: str, config_source: t.Optional[t.Mapping[str, t.Any]] = None,
) -> t.Dict[str, t.Any]:
    """The inspect result a create (actual None) or a recreate of actual with the predicted settings state would leave:
    a recreate reports actual's keys again, a create those of api_version; no containers yet (the connects add theirs:
    with_members); with config_from, pools, IP families and driver options are config_source's.
    """
    predicted: t.Dict[str, t.Any] = dict(actual) if actual is not None else {}
    reported: t.Dict[str, t.Any] = {"Id": None, "Created": None, "Containers": {}}
    for field in NETWORK_FIELDS:
        key = field.option.api.partition(".")[0]
        # A key newer than the oldest API: reported again by the engine that reported it, or by a new enough one.
        if field.option.min_api is None or key in predicted or (actual is None and api_at_least(api_version, field.option.min_api)):
            put(reported, field.option.api, predicted_pools(state) if field.option.type == "list"
                else _reported(field.option.type, getattr(state, field.name)))
    reported["Options"] = {**dict.fromkeys(DAEMON_OPTIONS_BY_DRIVER.get(str(state.driver), ())), **reported["Options"]}
    predicted.update(reported)
    if config_source is not None:
        for key in {f.option.api.partition(".")[0] for f in NETWORK_FIELDS if f.from_config}:
            if key in predicted and config_source.get(key) is not None:
                predicted[key] = copy.deepcopy(config_source[key])
    return predicted


def member_entry(container_name: str, mac_address: t.Optional[str]) -> t.Dict[str, t.Any]:
    """A running container's entry in its network's Containers after a connect (addresses with their prefix are the daemon's)."""
    return {"Name": container_name, "EndpointID": None, "MacAddress": mac_address,
            "IPv4Address": None, "IPv6Address": None}


def with_members(network: t.Mapping[str, t.Any], joined: t.Mapping[str, t.Dict[str, t.Any]], left: t.Iterable[str]) -> t.Dict[str, t.Any]:
    """A network inspect result with containers joined (ID -> entry) and left (IDs or names)."""
    gone = set(left)
    members = (network.get("Containers") or {}).items()
    kept = {key: entry for key, entry in members if key not in gone and (entry or {}).get("Name") not in gone}
    return {**network, "Containers": {**kept, **joined}}
