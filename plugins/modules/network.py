#!/usr/bin/python
# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: network
short_description: Manage one Docker network as an idempotent state
version_added: 0.1.0
description:
  - Creates, compares, recreates and removes one Docker network, like C(docker network create) and
    C(docker network rm), idempotently and with check mode and diff support.
  - Every option is compared only when given. Docker cannot change a network in place, so a difference
    recreates the network (see O(recreate)). Recreating reconnects every attached container, running or
    stopped, with its aliases, static addresses, links and driver options.
  - What a recreate cannot keep is reported, never lost silently - a static address the new pools no longer
    hold (RV(dropped_addresses)), and the MAC address of a running container where the engine cannot give
    it back (RV(changed_mac_addresses)). Docker 28 gives every new endpoint a random MAC address and applies
    a MAC address on connect only from Engine API 1.54; older engines derive it from a static IPv4 address,
    which comes back with it.
  - If the new network cannot be created, the old one is restored with its containers and the task fails;
    the failure lists the MAC addresses the restore could not keep in RV(changed_mac_addresses).
  - The networks the daemon creates by itself (C(bridge), C(host), C(none); on a swarm node the ingress
    network, recognised by its C(Ingress) flag, and C(docker_gwbridge); on Podman its default network) are
    never removed or recreated. A task that only names one (O(name=host), or O(name=bridge) with options it
    already has) is ok and unchanged; O(driver) is then not held to its default V(bridge). A task that asks
    one for a difference, for O(recreate=always) or for O(state=absent) fails before anything is sent, in
    check mode too, naming the network and the options; create a user-defined network instead.
  - O(containers) cannot attach to C(host) or C(none), nor attach containers created with the network mode
    C(host), C(none) or C(container:<name>) (see M(dockernet.core.network_attachment)).
options:
  name:
    description:
      - Exact name of the network. Never matched by ID prefix or substring.
      - The alias C(network_name) is community.docker.docker_network's spelling.
    type: str
    required: true
    aliases: [network_name]
  state:
    description:
      - V(present) creates the network or brings it to the given settings; V(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
  driver:
    description:
      - Network driver such as V(bridge), V(overlay), V(macvlan), V(ipvlan), or a plugin's name.
      - Defaults to V(bridge), except with O(config_from), where the daemon takes it from the task or the
        config-only network.
      - Ignored with O(config_only=true), because the daemon stores every config-only network with the driver C(null).
    type: str
  driver_options:
    description:
      - Driver options (C(docker network create --opt)), for example C(com.docker.network.driver.mtu) or C(parent).
      - Values may be strings, numbers or booleans; they are compared as the strings the daemon stores.
      - When given, the network's options must be exactly these. An option the daemon adds by itself (the
        overlay VXLAN ID C(com.docker.network.driver.overlay.vxlanid_list)) is ignored when not listed here
        and compared when listed.
    type: dict
    aliases: [options]
  ipam_driver:
    description:
      - IPAM driver. The daemon uses V(default) when this is not given.
    type: str
  ipam_options:
    description:
      - IPAM driver options. When given, they must be exactly these.
      - The alias C(ipam_driver_options) is community.docker.docker_network's spelling.
    type: dict
    aliases: [ipam_driver_options]
  ipam_config:
    description:
      - Address pools. IPv4 and IPv6 pools may be mixed. Pools are matched by subnet, not by list position;
        a key left out of a pool (such as the gateway) is the daemon's choice and is not compared.
      - When given, the network's pools must be exactly these subnets, per IP family the list has a pool for,
        so a pool the network has and the list leaves out is a difference (community.docker.docker_network
        treats such a subset as unchanged).
        A family without a pool in the list is left to the daemon, which adds a pool of its own (for example
        the IPv4 pool every network gets before Engine API 1.48).
      - Each pool is a dict with C(subnet) (CIDR without host bits set, required), C(ip_range) (alias
        C(iprange), a CIDR inside the subnet from which container addresses are allocated), C(gateway)
        (an address inside the subnet) and C(aux_addresses) (a dict of name to an address inside the subnet
        that the daemon must not hand out). Each pool is checked here, so a malformed item fails naming it.
    type: list
    elements: raw
  enable_ipv6:
    description:
      - Enable IPv6. Required when O(ipam_config) has an IPv6 pool.
      - Without an IPv6 pool in O(ipam_config), the daemon picks one - Docker 27 and newer from its ULA prefix
        (C(fd00::/8)), older engines only from IPv6 ranges in their C(default-address-pools); an engine with none
        fails, naming this option. A pool the daemon picked is never a difference, and a recreate keeps it.
    type: bool
  enable_ipv4:
    description:
      - Enable IPv4. Needs Engine API 1.48 or newer; on older daemons the task fails before sending anything.
      - V(false) with O(enable_ipv6=true) makes an IPv6-only network; a recreate that turns IPv4 (or IPv6) off
        does not carry the daemon's pool of that family over.
    type: bool
  internal:
    description: Restrict external access to the network.
    type: bool
  attachable:
    description: Let standalone containers attach to a swarm-scoped network.
    type: bool
  ingress:
    description: Create the swarm routing-mesh network.
    type: bool
  scope:
    description: Scope of the network.
    type: str
    choices: [local, swarm, global]
  config_only:
    description: Create a configuration-only network, used as O(config_from) by other networks.
    type: bool
  config_from:
    description:
      - Name of a config-only network to take the configuration from.
      - Cannot be combined with O(driver_options), O(ipam_driver), O(ipam_options), O(ipam_config),
        O(enable_ipv6) or O(enable_ipv4); set those on the config-only network.
    type: str
  labels:
    description:
      - Labels of the network. By default these labels must be present with these values and other labels
        are left alone; with O(purge_labels=true) the network's labels must be exactly these.
    type: dict
  purge_labels:
    description: Remove labels that are not in O(labels).
    type: bool
    default: false
  recreate:
    description:
      - V(on_change) recreates the network when it differs from the task.
      - V(never) fails instead, listing every difference, and leaves the network untouched.
      - V(always) recreates it on every run (its containers are reconnected).
      - A pre-defined network (C(bridge), C(host), C(none), ...) is never recreated; a difference or V(always)
        fails before anything is sent.
    type: str
    choices: [on_change, never, always]
    default: on_change
  force:
    description:
      - With O(state=absent), disconnect attached containers before removing the network. Without it,
        removing a network that has containers attached fails and names them.
      - V(true) with O(state=present) fails before anything is sent, in check mode too. community.docker.docker_network
        reads it as "recreate the network on every run"; here write O(recreate=always) for that, or leave it out,
        since a network that differs is recreated anyway (O(recreate=on_change)).
    type: bool
    default: false
  containers:
    description:
      - Containers that must be attached to the network, each a name (or full ID) or a dict with C(name)
        and the endpoint settings of M(dockernet.core.network_attachment) (C(aliases), C(ipv4_address),
        C(ipv6_address), C(links), C(link_local_ips), C(driver_opts), C(gw_priority), C(mac_address),
        C(purge_aliases)).
      - Left out, attachments are not touched. With O(containers_mode=exact), V([]) disconnects every container.
    type: list
    elements: raw
  containers_mode:
    description:
      - V(exact) disconnects attached containers that O(containers) does not list; V(append) leaves them alone.
    type: str
    choices: [exact, append]
    default: exact
  connected:
    description:
      - Not supported. Declared only to explain the migration from community.docker.docker_network, where it
        lists the containers to attach and ignores their endpoint settings.
      - Any value fails before anything is sent, in check mode too, with the equivalent to write - O(containers)
        with the same names, and O(containers_mode=append) for C(appends=true). A missing or empty C(connected)
        changes no attachment there; leave O(containers) out for that here, because O(containers=[]) disconnects
        every container.
    type: list
    elements: raw
  appends:
    description:
      - Not supported. Declared only to explain the migration from community.docker.docker_network, where
        V(true) leaves containers that C(connected) does not list attached.
      - Any value fails before anything is sent, in check mode too, with the equivalent to write -
        O(containers_mode=append) (for V(true)) or O(containers_mode=exact) (for V(false), the default).
    type: bool
    aliases: [incremental]
extends_documentation_fragment:
  - dockernet.core._docker
  - dockernet.core._attributes
  - dockernet.core._attributes.ACTIONGROUP_DOCKER
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
  idempotent:
    support: partial
    details: Idempotent except with O(recreate=always).
author:
  - dockernet.core maintainers (@dockernet)
"""

EXAMPLES = r"""
- name: A user-defined bridge with the daemon's defaults
  dockernet.core.network:
    name: example_frontend

- name: An internal network with its own pool, gateway, allocation range and a reserved address
  dockernet.core.network:
    name: example_backend
    internal: true
    ipam_config:
      - subnet: 10.131.1.0/24
        gateway: 10.131.1.1
        ip_range: 10.131.1.128/25
        aux_addresses:
          router: 10.131.1.2
    driver_options:
      com.docker.network.driver.mtu: 1400
    labels:
      tier: back

- name: Exactly these containers on it, the database at a fixed address outside the allocation range
  dockernet.core.network:
    name: example_backend
    containers:
      - name: example-api
        aliases: [api]
      - name: example-db
        aliases: [db]
        ipv4_address: 10.131.1.10

- name: Change the MTU; Docker cannot change a network in place, so it is recreated and its containers reconnected
  dockernet.core.network:
    name: example_backend
    driver_options:
      com.docker.network.driver.mtu: 1450

- name: Make sure the pool stays; a difference fails the task, listing it, instead of recreating the network
  dockernet.core.network:
    name: example_backend
    ipam_config:
      - subnet: 10.131.1.0/24
    recreate: never

- name: Dual stack, with a unique local IPv6 range
  dockernet.core.network:
    name: example_dual
    enable_ipv6: true
    ipam_config:
      - subnet: 10.131.2.0/24
      - subnet: fd00:131:2::/64

- name: A macvlan network that puts containers on the LAN behind the host interface lan0
  dockernet.core.network:
    name: example_lan
    driver: macvlan
    driver_options:
      parent: lan0
    ipam_config:
      - subnet: 10.131.10.0/24
        gateway: 10.131.10.1
        ip_range: 10.131.10.192/27

- name: Remove the networks, disconnecting their containers first
  dockernet.core.network:
    name: "{{ item }}"
    state: absent
    force: true
  loop: [example_frontend, example_backend, example_dual, example_lan]
"""

RETURN = r"""
network:
  description:
    - Inspect result of the network after the task, as the daemon reports it (C(docker network inspect)).
    - In check mode, the predicted inspect result, with the same keys and structure. Values the daemon picks
      when it acts are C(null) - C(Id) and C(Created) of a network it would create or recreate, the C(Subnet)
      and C(Gateway) of a pool it would choose, and the endpoint IDs and addresses of the containers it would
      connect.
    - A network created with O(config_from) reports the pools and driver options of the config-only network, in
      check mode too.
    - C(null) after O(state=absent).
  returned: always
  type: dict
  contains:
    Name:
      description: The network's name.
      type: str
    Id:
      description: The network's ID; C(null) in check mode for a network that would be created or recreated.
      type: str
    Created:
      description: When the daemon created the network; C(null) in check mode for a network that would be created or recreated.
      type: str
    Scope:
      description: V(local), V(swarm) or V(global).
      type: str
    Driver:
      description: The network driver (V(null) for a config-only network).
      type: str
    EnableIPv4:
      description: Whether IPv4 is on. Reported by engines with Engine API 1.48 and newer only.
      type: bool
    EnableIPv6:
      description: Whether IPv6 is on.
      type: bool
    IPAM:
      description: The address management.
      type: dict
      contains:
        Driver:
          description: The IPAM driver.
          type: str
        Options:
          description: The IPAM driver options.
          type: dict
        Config:
          description:
            - The pools. A key not set for a pool is left out, as the daemon does.
            - In check mode, a pool the daemon would pick has C(Subnet) and C(Gateway) C(null).
          type: list
          elements: dict
          contains:
            Subnet:
              description: The pool's CIDR.
              type: str
            IPRange:
              description: The range container addresses are allocated from.
              type: str
            Gateway:
              description: The gateway address.
              type: str
            AuxiliaryAddresses:
              description: Addresses the daemon does not hand out, by name.
              type: dict
    Internal:
      description: Whether external access is restricted.
      type: bool
    Attachable:
      description: Whether standalone containers may attach to the swarm-scoped network.
      type: bool
    Ingress:
      description: Whether this is the swarm routing-mesh network.
      type: bool
    ConfigFrom:
      description: The config-only network the configuration comes from.
      type: dict
      contains:
        Network:
          description: Its name; empty when none.
          type: str
    ConfigOnly:
      description: Whether this is a config-only network.
      type: bool
    Containers:
      description:
        - The running containers on the network, by container ID, each with C(Name), C(EndpointID), C(MacAddress),
          C(IPv4Address) and C(IPv6Address).
        - In check mode, the containers a connect or a recreate would leave there, with the values the daemon
          would pick C(null).
      type: dict
    Options:
      description:
        - The driver options.
        - In check mode, an option the daemon adds by itself to a new network (the overlay VXLAN ID) is C(null).
      type: dict
    Labels:
      description: The labels.
      type: dict
  sample:
    Name: backend
    Id: 0c7f2d8e6b5a4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d
    Created: "2026-01-01T12:00:00.000000000Z"
    Scope: local
    Driver: bridge
    EnableIPv4: true
    EnableIPv6: false
    IPAM:
      Driver: default
      Options: {}
      Config:
        - Subnet: 10.30.0.0/24
          Gateway: 10.30.0.1
    Internal: true
    Attachable: false
    Ingress: false
    ConfigFrom:
      Network: ""
    ConfigOnly: false
    Containers: {}
    Options: {}
    Labels: {}
actions:
  description: What was done (or would be done in check mode), in order.
  returned: always
  type: list
  elements: str
  sample:
    - disconnect container web from network backend
    - remove network backend
    - create network backend
    - connect container web to network backend
differences:
  description: Each setting that differed, with its value before and the value asked for.
  returned: always
  type: list
  elements: dict
  contains:
    field:
      description: The setting, as V(internal) or V(ipam_config.subnets).
      type: str
    before:
      description: Its value before.
      type: raw
    after:
      description: The value asked for.
      type: raw
  sample:
    - field: ipam_config.subnets
      before: [10.30.0.0/24]
      after: [10.32.0.0/24]
reconnected:
  description:
    - Containers reconnected after a recreate, with the endpoint settings they got back (settings not set are left out).
    - In check mode, the reconnects the recreate would make.
  returned: always
  type: list
  elements: dict
  contains:
    container:
      description: The container's name.
      type: str
    id:
      description: The container's ID.
      type: str
    running:
      description: Whether the container was running.
      type: bool
  sample:
    - container: web
      running: true
      aliases: [api]
      ipv4_address: 10.30.0.10
attachments:
  description:
    - Per container of O(containers) (and, with O(containers_mode=exact), per container disconnected), what was
      done and the endpoint after the task, as M(dockernet.core.network_attachment) returns them.
  returned: when O(containers) is given
  type: list
  elements: dict
  contains:
    container:
      description: The container.
      type: str
    network:
      description: The network.
      type: str
    changed:
      description: Whether the attachment changed (or would in check mode).
      type: bool
    actions:
      description: What was done (or would be done in check mode).
      type: list
      elements: str
    differences:
      description: Each endpoint setting that differed.
      type: list
      elements: dict
    attachment:
      description: The endpoint after the task (see M(dockernet.core.network_attachment)); C(null) when disconnected.
      type: dict
    changed_mac_address:
      description: The MAC address a reconnect changed, C(old) and C(new) (see M(dockernet.core.network_attachment)).
      type: dict
  sample:
    - container: web
      changed: true
      actions: [connect container web to network backend]
      attachment:
        network: backend
        container: web
        ipv4_address: 10.30.0.10
        aliases: [api]
dropped_addresses:
  description: Static addresses that no longer fit the recreated network, per container; those containers were reconnected without them.
  returned: always
  type: list
  elements: dict
  contains:
    container:
      description: The container.
      type: str
    addresses:
      description: The static addresses it lost.
      type: list
      elements: str
  sample:
    - container: web
      addresses: [10.30.0.10]
changed_mac_addresses:
  description:
    - Running containers that a recreate gave another MAC address than they had, with the old and the new one.
    - Empty where the engine keeps them (a MAC address it derives from a static IPv4 address that stays, or
      a MAC address it applies on connect, Engine API 1.54 and newer). Stopped containers are not listed - they
      get their MAC address when they start.
    - In check mode, the containers predicted to get another one, with C(new) null. The prediction errs on the
      side of listing - on an engine that derives the MAC address from the IPv4 address, a container without a
      static IPv4 address is listed, since its address may change too (the real run lists only real changes).
  returned: always
  type: list
  elements: dict
  contains:
    container:
      description: The container.
      type: str
    old:
      description: The MAC address before the recreate.
      type: str
    new:
      description: The MAC address after it; C(null) in check mode.
      type: str
  sample:
    - container: web
      old: "02:42:0a:1e:00:0a"
      new: "6e:9a:21:d4:0f:3b"
"""

import typing as t

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.dockernet.core.plugins.module_utils._argspec import CONTAINERS_MODES, NETWORK_SPEC, spec
from ansible_collections.dockernet.core.plugins.module_utils._client import DockerClient
from ansible_collections.dockernet.core.plugins.module_utils._common import argument_spec, run, validated
from ansible_collections.dockernet.core.plugins.module_utils._migration import MIGRATION_SPEC, check_migration
from ansible_collections.dockernet.core.plugins.module_utils._network_spec import check_name, desired_from_params
from ansible_collections.dockernet.core.plugins.module_utils._network_state import plan_absent, plan_present
from ansible_collections.dockernet.core.plugins.module_utils._plan import apply
from ansible_collections.dockernet.core.plugins.module_utils._prediction import with_members


def main() -> None:
    module = AnsibleModule(
        argument_spec=argument_spec(
            spec(
                NETWORK_SPEC,
                MIGRATION_SPEC,
                state={"type": "str", "choices": ["present", "absent"], "default": "present"},
                force={"type": "bool", "default": False},
                containers={"type": "list", "elements": "raw"},
                containers_mode={"type": "str", "choices": list(CONTAINERS_MODES), "default": "exact"},
            )
        ),
        supports_check_mode=True,
    )

    params = module.params
    validated(module, lambda: check_migration(params))
    absent = params["state"] == "absent"
    name = validated(module, lambda: check_name("name", params["name"]))
    desired = None if absent else validated(module, lambda: desired_from_params(params))
    members = None
    if params["containers"] is not None and not absent:
        # the attachment code is loaded only by tasks that manage containers
        from ansible_collections.dockernet.core.plugins.module_utils._attachment_state import member_requests

        members = validated(module, lambda: member_requests(name, params["containers"]))

    def task(client: DockerClient) -> t.Dict[str, t.Any]:
        # Plan first, from one look at the daemon; check mode returns the plan, a real run applies it.
        if desired is None:
            result = plan_absent(client, name, force=params["force"])
            if not module.check_mode:
                apply(client, [result.plan])
            return result.as_dict()
        result = plan_present(client, desired, recreate=params["recreate"])
        attachments = []
        if members is not None:
            from ansible_collections.dockernet.core.plugins.module_utils._attachment_state import converge_members

            def applied() -> t.Mapping[str, t.Any]:
                return t.cast(t.Mapping[str, t.Any], result.network)  # the network as it really is once the plan ran

            network = t.cast(t.Mapping[str, t.Any], result.current)  # the network as this task leaves it, planned on
            attachments = converge_members(client, members, mode=params["containers_mode"], network=network, applied=applied)
        if not module.check_mode:
            apply(client, [result.plan] + [a.plan for a in attachments])
        outcome = result.as_dict()
        if members is None:
            return outcome
        outcome["attachments"] = [a.as_dict() for a in attachments]
        outcome["actions"] += [action for a in attachments for action in a.actions]
        outcome["changed"] = outcome["changed"] or any(a.changed for a in attachments)
        outcome["diff"]["before"]["containers"] = {a.container: a.before for a in attachments if a.before}
        outcome["diff"]["after"]["containers"] = {a.container: a.after for a in attachments if a.after}
        if any(a.changed for a in attachments):
            if module.check_mode:
                # the running containers it connects join the predicted network; those it disconnects leave
                joined = {a.member[0]: a.member[1] for a in attachments if a.member is not None}
                left = [a.container for a in attachments if a.changed and a.attachment is None]
                outcome["network"] = with_members(outcome["network"], joined, left)
            else:
                outcome["network"] = client.get(f"/networks/{(result.network or {})['Id']}")
        return outcome

    run(module, task)


if __name__ == "__main__":
    main()
