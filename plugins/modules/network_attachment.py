#!/usr/bin/python
# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: network_attachment
short_description: Manage one container's endpoint on one Docker network
version_added: 0.1.0
description:
  - C(docker network connect) and C(docker network disconnect) as an idempotent state, for running and
    stopped containers, with check mode and diff support.
  - Each endpoint setting is compared only when given. When the endpoint exists with other settings, the
    container is disconnected and connected again with them (see O(reconnect)).
  - Input the daemon would refuse or silently ignore fails before anything changes, naming the option.
  - A container gets the networks C(host) and C(none), and the network modes C(host), C(none) and
    C(container:<name>), only when it is created (C(docker run --network ...)), so it cannot be connected to
    or disconnected from networks. Connecting to C(host) or C(none), connecting such a container anywhere, or
    changing its endpoint fails before anything is sent, in check mode too. A container created with
    C(--network host) is already connected to C(host), so that task is ok and unchanged, and
    O(state=disconnected) is ok and unchanged where the container simply is not on the network;
    disconnecting it from the network its mode gave it fails.
options:
  container:
    description: Exact name or full ID of the container.
    type: str
    required: true
  network:
    description: Exact name or full ID of the network.
    type: str
    required: true
  state:
    description: V(connected) attaches the container with the given settings; V(disconnected) detaches it.
    type: str
    choices: [connected, disconnected]
    default: connected
  aliases:
    description:
      - DNS aliases of the container on this network. By default these must be among its aliases; with
        O(purge_aliases=true) they must be exactly its aliases.
      - Names the daemon adds by itself (the container's name, short ID and hostname) never count. Before
        Engine API 1.45 the daemon lists the short ID and the hostname among the aliases; from 1.45 on it
        lists only the asked aliases, and every name in C(DNSNames) (RV(attachment.dns_names)).
    type: list
    elements: str
  purge_aliases:
    description: Remove aliases not listed in O(aliases).
    type: bool
    default: false
  ipv4_address:
    description: Static IPv4 address. The network needs a user-configured IPv4 pool that contains it.
    type: str
  ipv6_address:
    description: Static IPv6 address. The network needs a user-configured IPv6 pool that contains it.
    type: str
  links:
    description: Links to other containers on the network, as C(name) or C(name:alias).
    type: list
    elements: str
  link_local_ips:
    description: Link-local addresses of the endpoint.
    type: list
    elements: str
  driver_opts:
    description: Endpoint driver options.
    type: dict
  gw_priority:
    description: Gateway priority of this endpoint. Needs Engine API 1.48 or newer.
    type: int
  mac_address:
    description:
      - MAC address of the endpoint. The daemon accepts it on connect from Engine API 1.44 but ignores it
        before 1.54 (measured on Docker 28.5.2, API 1.51, at every API version from 1.41 to 1.51, for running
        and stopped containers), so on older daemons the task fails instead of pretending.
    type: str
  reconnect:
    description:
      - When the endpoint exists with other settings, disconnect and connect again with the new ones.
        With V(false), fail and list the differences instead.
    type: bool
    default: true
  force:
    description:
      - With O(state=disconnected), force the disconnect. Also removes a stale endpoint whose container
        no longer exists.
    type: bool
    default: false
extends_documentation_fragment:
  - dockernet.core._docker
  - dockernet.core._attributes
  - dockernet.core._attributes.ACTIONGROUP_DOCKER
  - dockernet.core._attributes.STATE_MODULE
author:
  - dockernet.core maintainers (@dockernet)
"""

EXAMPLES = r"""
- name: Attach a container with an alias and a static address
  dockernet.core.network_attachment:
    container: example-api
    network: example_backend
    aliases: [api]
    ipv4_address: 10.131.1.20

- name: Make api its only alias
  dockernet.core.network_attachment:
    container: example-api
    network: example_backend
    aliases: [api]
    purge_aliases: true

- name: Move it to another address; the container is disconnected and connected again
  dockernet.core.network_attachment:
    container: example-api
    network: example_backend
    ipv4_address: 10.131.1.21

- name: Fail, listing the differences, instead of reconnecting when the settings differ
  dockernet.core.network_attachment:
    container: example-api
    network: example_backend
    ipv4_address: 10.131.1.21
    reconnect: false

- name: Detach it
  dockernet.core.network_attachment:
    container: example-api
    network: example_backend
    state: disconnected
"""

RETURN = r"""
attachment:
  description:
    - The endpoint after the task. C(null) when disconnected.
    - In check mode, the endpoint a connect would leave, with the same keys. Values the daemon picks when it
      connects are C(null) - the network's C(network_id) when the network would be created first, the addresses
      that are not static, a MAC address it would pick, and C(dns_names).
  returned: always
  type: dict
  contains:
    network:
      description: The network's name.
      type: str
    network_id:
      description: The network's ID.
      type: str
    container:
      description: The container's name.
      type: str
    container_id:
      description: The container's ID.
      type: str
    ipv4_address:
      description: The container's IPv4 address on the network; C(null) when it has none.
      type: str
    ipv6_address:
      description: The container's IPv6 address on the network; C(null) when it has none.
      type: str
    mac_address:
      description: The endpoint's MAC address; C(null) when the engine reports none (a stopped container on Docker 28).
      type: str
    settings:
      description:
        - The endpoint settings as they are compared - C(aliases), C(links), C(link_local_ips), C(driver_opts),
          C(gw_priority), and C(ipv4_address), C(ipv6_address) and C(mac_address) where set.
      type: dict
    aliases:
      description: The asked aliases, without the names the daemon adds by itself.
      type: list
      elements: str
    dns_names:
      description:
        - Every name the engine's DNS answers to on this network (the daemon's C(DNSNames)), sorted - the container
          name, aliases, short ID and hostname. Not compared; not part of the diff.
        - C(null) where the engine does not report them - Docker before Engine API 1.44, Podman, a container that
          is not running - and when the container was read from the container list only (an unchanged
          M(dockernet.core.topology) attachment), and in check mode for a connect it plans.
      type: list
      elements: str
  sample:
    network: backend
    network_id: 0c7f2d8e6b5a4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d
    container: web
    container_id: 3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a
    ipv4_address: 10.30.0.10
    ipv6_address: null
    mac_address: "02:42:0a:1e:00:0a"
    aliases: [api]
    dns_names: [3f2a1b0c9d8e, api, web]
    settings:
      aliases: [api]
      ipv4_address: 10.30.0.10
actions:
  description: What was done (or would be done in check mode), in order.
  returned: always
  type: list
  elements: str
  sample:
    - disconnect container web from network backend
    - connect container web to network backend
changed_mac_address:
  description:
    - When a reconnect (to change aliases, addresses or other settings) gave a running container another MAC
      address on this network, the old one and the new one. Docker 28 gives every new endpoint a random MAC
      address and ignores the old one on connect; Docker 20.10 and 26.1 derive it from the IPv4 address, so it
      comes back with a static or re-assigned address. A MAC address the task asks for (O(mac_address)) is
      not reported here.
    - In check mode, the prediction, with C(new) set to C(null) - a running container whose MAC address is not
      the one derived from the IPv4 address it keeps, on an engine before Engine API 1.54.
    - C(null) when the MAC address was kept, or nothing was reconnected.
  returned: always
  type: dict
  contains:
    old:
      description: The MAC address before the reconnect.
      type: str
    new:
      description: The MAC address after it; C(null) in check mode.
      type: str
  sample:
    old: "02:42:0a:1e:00:0a"
    new: "6a:1f:3c:88:02:d1"
differences:
  description: Each endpoint setting that differed, with its value before and the value asked for.
  returned: always
  type: list
  elements: dict
  contains:
    field:
      description: The setting, as V(aliases) or V(ipv4_address).
      type: str
    before:
      description: Its value before.
      type: raw
    after:
      description: The value asked for.
      type: raw
  sample:
    - field: aliases
      before: [app]
      after: [api, app]
container:
  description: The container as given in the task.
  returned: always
  type: str
  sample: web
network:
  description: The network as given in the task.
  returned: always
  type: str
  sample: backend
"""

import typing as t

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.dockernet.core.plugins.module_utils._argspec import spec
from ansible_collections.dockernet.core.plugins.module_utils._attachment_state import ATTACHMENT_SPEC, plan_attachment, request_from_params
from ansible_collections.dockernet.core.plugins.module_utils._client import DockerClient
from ansible_collections.dockernet.core.plugins.module_utils._common import argument_spec, run, validated
from ansible_collections.dockernet.core.plugins.module_utils._plan import apply


def main() -> None:
    module = AnsibleModule(argument_spec=argument_spec(spec(ATTACHMENT_SPEC)), supports_check_mode=True)
    request = validated(module, lambda: request_from_params(module.params))

    def task(client: DockerClient) -> t.Dict[str, t.Any]:
        result = plan_attachment(client, request)
        if not module.check_mode:
            apply(client, [result.plan])
        return result.as_dict()

    run(module, task)


if __name__ == "__main__":
    main()
