#!/usr/bin/python
# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: network_info
short_description: Inspect one Docker network, or list networks with filters
version_added: 0.1.0
description:
  - Returns the full inspect result of one network found by exact name or full ID, or of every
    network matching C(docker network ls) style filters, including the attached containers.
  - Each result also lists the network's members, stopped containers included (the daemon's own
    inspect result lists running containers only), each with its container state; see O(members).
  - With O(summary=true), a listing returns only name, ID, driver and scope of each network, from one
    request, for hosts with many networks.
  - With O(engine_info=true), also returns the engine's version and its swarm node state, read through
    the same connection options (so no C(docker) CLI is needed, as in an execution environment).
  - A name never matches by ID prefix or substring, so O(name=db) does not find C(dbbackup).
options:
  name:
    description:
      - Exact name or full 64-character ID of one network.
      - When left out, networks are listed (see O(filters)).
    type: str
  filters:
    description:
      - Filters as C(docker network ls --filter) takes them, used when O(name) is not given.
      - Keys are C(driver), C(id), C(label) (C(key) or C(key=value)), C(name), C(scope)
        (C(local), C(swarm), C(global)), C(type) (C(custom) or C(builtin)) and C(dangling) (boolean).
      - A value may be a list, meaning any of them (for C(label), all of them).
      - As with the CLI, C(name) and C(id) filters match substrings and prefixes.
    type: dict
  verbose:
    description:
      - Ask the daemon for swarm-scoped details (services and tasks on overlay networks).
      - Not with O(summary=true).
    type: bool
    default: false
  members:
    description:
      - Add the key C(members) to each returned network, listing every container attached to it on this
        engine, running or not, with its container state.
      - Each member has C(container) (name), C(id), C(state) (as the daemon names it, such as V(running),
        V(exited) or V(created)), C(running), the endpoint's settings as M(dockernet.core.network_attachment)
        takes them (C(aliases), a static C(ipv4_address) or C(ipv6_address), C(links), C(link_local_ips),
        C(driver_opts), C(gw_priority)) and the C(mac_address) the engine reports, if any. The addresses
        running containers hold are in C(Containers).
      - Costs one container list and one container inspect per member for each network; turn it off
        for large listings that do not need it.
      - Ignored with O(summary=true).
    type: bool
    default: true
    version_added: 0.2.0
  summary:
    description:
      - List networks with only C(Name), C(Id), C(Driver) and C(Scope), answered from the daemon's network
        list alone, without inspecting each network (and without members).
      - Used when O(name) is not given. The C(dangling) filter needs each network's inspect result and
        cannot be combined with it.
    type: bool
    default: false
    version_added: 0.2.0
  engine_info:
    description:
      - Also return RV(engine), with the engine's version, the API version in use and its swarm node
        state (from the daemon's C(/info)), for example to check that a host is an active swarm manager
        without the C(docker) CLI.
    type: bool
    default: false
    version_added: 0.2.0
extends_documentation_fragment:
  - dockernet.core._docker
  - dockernet.core._attributes
  - dockernet.core._attributes.INFO_MODULE
  - dockernet.core._attributes.ACTIONGROUP_DOCKER
author:
  - dockernet.core maintainers (@dockernet)
"""

EXAMPLES = r"""
- name: Look up one network by its exact name
  dockernet.core.network_info:
    name: example_backend
  register: backend

- name: Fail when it does not exist
  ansible.builtin.assert:
    that: backend.exists

- name: Show its subnets
  ansible.builtin.debug:
    msg: "{{ backend.network.IPAM.Config | map(attribute='Subnet') | list }}"

- name: List every user-defined bridge network carrying a label
  dockernet.core.network_info:
    filters:
      type: custom
      driver: bridge
      label: tier=back
  register: back_tier

- name: Show their names
  ansible.builtin.debug:
    msg: "{{ back_tier.networks | map(attribute='Name') | list }}"

- name: Networks no container uses
  dockernet.core.network_info:
    filters:
      dangling: true
  register: unused

- name: Containers on the backend network, stopped ones included
  dockernet.core.network_info:
    name: example_backend
  register: backend_members

- name: Show each member's state
  ansible.builtin.debug:
    msg: "{{ backend_members.network.members | items2dict(key_name='container', value_name='state') }}"

- name: Names and drivers of every network, without inspecting each one
  dockernet.core.network_info:
    summary: true
  register: all_networks

- name: Is this engine an active swarm manager?
  dockernet.core.network_info:
    name: example_backend
    engine_info: true
  register: engine

- name: Say whether it can create swarm-scoped (overlay) networks
  ansible.builtin.debug:
    msg: >-
      {{ 'an active swarm manager' if engine.engine.swarm.control_available
         else 'not a swarm manager (node state: ' ~ engine.engine.swarm.local_node_state ~ ')' }}
"""

RETURN = r"""
exists:
  description: Whether the network named in O(name) exists. Only returned when O(name) is given.
  returned: when name is given
  type: bool
  sample: true
network:
  description:
    - The network's inspect result, or C(null) when it does not exist. The same in check mode.
    - Its keys are those of the C(network) result of M(dockernet.core.network).
  returned: when name is given
  type: dict
  contains:
    Name:
      description: The network's name.
      type: str
    Id:
      description: The network's ID.
      type: str
    Driver:
      description: The network driver.
      type: str
    IPAM:
      description: The address management, with C(Driver), C(Options) and the pools in C(Config).
      type: dict
    Containers:
      description: The running containers on the network, by container ID (with O(verbose=true) on a swarm manager, also C(Services)).
      type: dict
    members:
      description:
        - Every container attached to the network on this engine, stopped ones included, with C(container), C(id),
          C(state), C(running) and its endpoint settings as M(dockernet.core.network_attachment) takes them.
        - Only with O(members=true).
      type: list
      elements: dict
  sample:
    Name: backend
    Id: 6f1d0c8e5a3b4f2a9c7e1d0b8a6f4e2c0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d
    Driver: bridge
    Scope: local
    EnableIPv6: false
    Internal: true
    Attachable: false
    IPAM:
      Driver: default
      Options: {}
      Config:
        - Subnet: 10.20.0.0/24
          Gateway: 10.20.0.1
    Containers:
      9b1c7e2f...:
        Name: db
        IPv4Address: 10.20.0.2/24
        IPv6Address: ""
        MacAddress: "02:42:0a:14:00:02"
    Options: {}
    Labels:
      tier: back
    members:
      - container: db
        id: 9b1c7e2f0a4d4c6e8f1a3b5c7d9e0f2a4b6c8d0e1f3a5b7c9d1e3f5a7b9c1d3e
        state: running
        running: true
        aliases: [db]
        ipv4_address: 10.20.0.2
        driver_opts: {}
        gw_priority: 0
        links: []
        link_local_ips: []
        mac_address: "02:42:0a:14:00:02"
      - container: backup
        id: 4e6f8a0b2c4d6e8f0a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f
        state: exited
        running: false
        aliases: [backup]
        driver_opts: {}
        gw_priority: 0
        links: []
        link_local_ips: []
networks:
  description:
    - Inspect results of every matching network, sorted by name, each with C(members) as in RV(network).
      The same in check mode.
    - With O(summary=true), only C(Name), C(Id), C(Driver) and C(Scope) of each.
    - Only returned when O(name) is not given.
  returned: when name is not given
  type: list
  elements: dict
  sample:
    - Name: bridge
      Id: 0c9e7e6b5f8d4a3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c
      Driver: bridge
      Scope: local
engine:
  description: The engine and its swarm node. Only returned with O(engine_info=true).
  returned: when engine_info is true
  type: dict
  contains:
    product:
      description: C(Docker Engine) or C(Podman).
      type: str
    version:
      description: The engine's version.
      type: str
    api_version:
      description: The Engine API version the module spoke.
      type: str
    max_api_version:
      description: The newest Engine API version the engine speaks.
      type: str
    swarm:
      description:
        - The engine's swarm node. C(local_node_state) is V(inactive), V(pending), V(active), V(error) or
          V(locked) (V(inactive) on an engine without swarm mode); C(control_available) is true on a manager.
      type: dict
  sample:
    product: Docker Engine
    version: 28.5.2
    api_version: "1.51"
    max_api_version: "1.51"
    swarm:
      local_node_state: active
      control_available: true
      node_id: k3v1q0r8x2m7z5c4b6n9p0s1d
      node_addr: 198.18.100.2
      error: ""
"""

import typing as t

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.dockernet.core.plugins.module_utils._common import argument_spec, run, validated
from ansible_collections.dockernet.core.plugins.module_utils._lookup import check_summary_options, network_filters
from ansible_collections.dockernet.core.plugins.module_utils._network_info import network_info


def main() -> None:
    module = AnsibleModule(
        argument_spec=argument_spec(
            {
                "name": {"type": "str"},
                "filters": {"type": "dict"},
                "verbose": {"type": "bool", "default": False},
                "members": {"type": "bool", "default": True},
                "summary": {"type": "bool", "default": False},
                "engine_info": {"type": "bool", "default": False},
            }
        ),
        mutually_exclusive=[("name", "filters")],
        supports_check_mode=True,
    )

    def parse() -> t.Dict[str, t.List[str]]:
        filters = network_filters(module.params["filters"])
        if module.params["summary"] and module.params["name"] is None:
            check_summary_options(filters, module.params["verbose"])
        return filters

    filters = validated(module, parse)
    run(module, lambda client: network_info(client, module.params, filters))


if __name__ == "__main__":
    main()
