# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""What network_info returns: one network or a listing, with members, as a summary, and the engine's facts."""

from __future__ import annotations

import typing as t

from ansible_collections.dockernet.core.plugins.module_utils._attach import attached_containers
from ansible_collections.dockernet.core.plugins.module_utils._client import DockerClient
from ansible_collections.dockernet.core.plugins.module_utils._engine import engine_facts
from ansible_collections.dockernet.core.plugins.module_utils._lookup import (
    inspect_network,
    list_networks,
    network_summaries,
)


def with_member_list(client: DockerClient, network: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    """Every container on the network, stopped ones too (the daemon's inspect lists running ones only)."""
    return {**network, "members": [attachment.as_member() for attachment in attached_containers(client, network)]}


def network_info(client: DockerClient, params: t.Mapping[str, t.Any], filters: t.Mapping[str, t.List[str]]) -> t.Dict[str, t.Any]:
    """The module's result for its validated parameters (filters already in the Engine API's form)."""
    result: t.Dict[str, t.Any] = {"changed": False}
    if params["engine_info"]:
        result["engine"] = engine_facts(client.get("/info") or {}, client.version_info(), client.api_version)
    if params["name"] is not None:
        found = inspect_network(client, params["name"], verbose=params["verbose"])
        if found is not None and params["members"]:
            found = with_member_list(client, found)
        result.update(exists=found is not None, network=found)
    elif params["summary"]:
        result["networks"] = network_summaries(client, filters)
    else:
        networks = list_networks(client, filters, verbose=params["verbose"])
        result["networks"] = [with_member_list(client, n) for n in networks] if params["members"] else networks
    return result
