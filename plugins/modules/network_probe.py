#!/usr/bin/python
# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: network_probe
short_description: Prove with packets what a container can and cannot reach
version_added: 0.1.0
description:
  - From inside a running container (through the Engine API's exec endpoints), checks each target with
    ICMP (C(ping)), a TCP connect (C(nc)) or a name lookup (C(nslookup)), and compares what it saw with what
    was expected.
  - Never changes anything; runs in check mode too.
  - Fails when any expectation is not met, listing each such target with what was expected and seen.
  - Fails naming the tool when the container lacks the program a method needs.
options:
  container:
    description: Exact name or full ID of the running container to probe from.
    type: str
    required: true
  targets:
    description: What to probe.
    type: list
    elements: dict
    required: true
    suboptions:
      host:
        description: Name or address to probe.
        type: str
        required: true
      port:
        description: TCP port; required with O(method=tcp).
        type: int
      expect:
        description: What must be seen.
        type: str
        choices: [reachable, unreachable]
        default: reachable
      timeout:
        description: Seconds to wait for this target (1 to 60).
        type: int
        default: 2
  method:
    description:
      - V(ping) sends one ICMP echo request, V(tcp) connects to O(targets[].port), V(dns) resolves the name
        (V(reachable) means it resolves).
    type: str
    choices: [ping, tcp, dns]
    default: ping
extends_documentation_fragment:
  - dockernet.core._docker
  - dockernet.core._attributes
  - dockernet.core._attributes.INFO_MODULE
  - dockernet.core._attributes.ACTIONGROUP_DOCKER
author:
  - dockernet.core maintainers (@dockernet)
"""

EXAMPLES = r"""
- name: The web tier reaches the API by alias, but not the database
  dockernet.core.network_probe:
    container: example-web
    targets:
      - host: api
      - host: db
        expect: unreachable

- name: The database port is open from the API container
  dockernet.core.network_probe:
    container: example-api
    method: tcp
    targets:
      - host: db
        port: 5432

- name: The API container resolves the database's alias, waiting up to 5 seconds
  dockernet.core.network_probe:
    container: example-api
    method: dns
    targets:
      - host: db
        timeout: 5
"""

RETURN = r"""
results:
  description:
    - One entry per target, in the order given.
    - Probes only read, so check mode runs them too and returns the same.
  returned: always
  type: list
  elements: dict
  contains:
    target:
      description: The target as given, C(host) or C(host:port).
      type: str
    host:
      description: The name or address probed.
      type: str
    port:
      description: The TCP port probed; C(null) for O(method=ping) and O(method=dns).
      type: int
    method:
      description: The probe method.
      type: str
    expected:
      description: V(reachable) or V(unreachable), as asked.
      type: str
    observed:
      description: V(reachable) or V(unreachable), as probed.
      type: str
    ok:
      description: Whether C(observed) is C(expected).
      type: bool
    latency_ms:
      description: The round trip in milliseconds; C(null) when not reachable.
      type: float
    output:
      description: The probe's output, at most its last 500 characters.
      type: str
  sample:
    - target: api
      host: api
      port: null
      method: ping
      expected: reachable
      observed: reachable
      ok: true
      latency_ms: 0.08
      output: "1 packets transmitted, 1 packets received, 0% packet loss"
"""

import typing as t

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.dockernet.core.plugins.module_utils._client import DockerClient
from ansible_collections.dockernet.core.plugins.module_utils._common import argument_spec, run, validated
from ansible_collections.dockernet.core.plugins.module_utils._lookup import inspect_container
from ansible_collections.dockernet.core.plugins.module_utils._probe import (
    ToolMissing,
    exec_run,
    failure_message,
    parse_targets,
    ping_latency_ms,
    probe_command,
    verdict,
)
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError


def main() -> None:
    module = AnsibleModule(
        argument_spec=argument_spec(
            {
                "container": {"type": "str", "required": True},
                "targets": {
                    "type": "list",
                    "elements": "dict",
                    "required": True,
                    "options": {
                        "host": {"type": "str", "required": True},
                        "port": {"type": "int"},
                        "expect": {"type": "str", "choices": ["reachable", "unreachable"], "default": "reachable"},
                        "timeout": {"type": "int", "default": 2},
                    },
                },
                "method": {"type": "str", "choices": ["ping", "tcp", "dns"], "default": "ping"},
            }
        ),
        supports_check_mode=True,
    )
    params = module.params
    method = params["method"]
    targets = validated(module, lambda: parse_targets(method, params["targets"]))

    def task(client: DockerClient) -> t.Dict[str, t.Any]:
        container = inspect_container(client, params["container"])
        if container is None:
            raise ValidationError("container", f"no container named {params['container']!r}; start it first or fix the name")
        if not (container.get("State") or {}).get("Running"):
            raise ValidationError("container", f"container {params['container']!r} is not running; probes run inside a running container")
        results = []
        for target in targets:
            outcome = exec_run(client, str(container["Id"]), probe_command(method, target))
            output = (outcome.stdout + outcome.stderr).strip()
            try:
                observed = verdict(method, outcome.exit_code, output)
            except ToolMissing as missing:
                raise ValidationError(
                    "method", f"container {params['container']!r} has no {missing} program, which method {method} needs; use an image that has it"
                ) from None
            latency = ping_latency_ms(output) if method == "ping" else round(outcome.seconds * 1000, 2)
            results.append({
                "target": target.label(),
                "host": target.host,
                "port": target.port,
                "method": method,
                "expected": target.expect,
                "observed": observed,
                "ok": observed == target.expect,
                "latency_ms": latency if observed == "reachable" else None,
                "output": output[-500:],
            })
        if not all(r["ok"] for r in results):
            raise ValidationError("targets", failure_message(params["container"], method, results), result={"results": results})
        return {"changed": False, "results": results}

    run(module, task)


if __name__ == "__main__":
    main()
