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
    type: bool
    default: false
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
networks:
  description:
    - Inspect results of every matching network, sorted by name, each like RV(network). The same in check mode.
    - Only returned when O(name) is not given.
  returned: when name is not given
  type: list
  elements: dict
  sample:
    - Name: bridge
      Driver: bridge
      Scope: local
"""

import typing as t

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.dockernet.core.plugins.module_utils._client import DockerClient
from ansible_collections.dockernet.core.plugins.module_utils._common import argument_spec, run
from ansible_collections.dockernet.core.plugins.module_utils._lookup import (
    inspect_network,
    list_networks,
    network_filters,
)


def main() -> None:
    module = AnsibleModule(
        argument_spec=argument_spec(
            {
                "name": {"type": "str"},
                "filters": {"type": "dict"},
                "verbose": {"type": "bool", "default": False},
            }
        ),
        mutually_exclusive=[("name", "filters")],
        supports_check_mode=True,
    )

    def task(client: DockerClient) -> t.Dict[str, t.Any]:
        params = module.params
        if params["name"] is not None:
            found = inspect_network(client, params["name"], verbose=params["verbose"])
            return {"changed": False, "exists": found is not None, "network": found}
        filters = network_filters(params["filters"])
        return {"changed": False, "networks": list_networks(client, filters, verbose=params["verbose"])}

    run(module, task)


if __name__ == "__main__":
    main()
