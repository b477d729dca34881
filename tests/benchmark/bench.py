# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark of dockernet.core against the Docker SDK floor and community.docker.

Run it through ``bash tests/benchmark/run`` (it prepares the engine, the image,
the collection copy and the benchmark's own virtual environment). See
docs/dev/benchmark.md for what is measured and how to read the table.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import typing as t
import zipfile
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import floor  # noqa: E402  (next to this file)
from proxy import CountingProxy  # noqa: E402

# Every name starts with bench- (cleanup() removes them all); every range is a /16 of its own.
PER_TASK = {  # impl -> (name prefix, 10.B.0.0/16, module): the two collections loop over disjoint networks
    "dn-network": ("bench-dn", 200, "dockernet.core.network"),
    "cd-network": ("bench-cd", 201, "community.docker.docker_network"),
}
IMPORT_BASE = 202  # 10.202.0.0/16: the converged networks of the import profile (bench-imp-N)
TOPOLOGY_BASE = 220  # 10.220.0.0/16: topology and its floor
LOAD_BASE = 240  # 10.240.0.0/15: the load run (the load integration test uses 10.230.0.0/15)
TOPOLOGY_NAME = "bench-topo"
POOL_SIZE = 20
BLOCK = 10  # loop items per task when the per-task loops of the two collections alternate
PHASES = ("create", "no-change", "remove")
LOAD = "load"  # the size key of the load rows
DEFAULT_LOAD, QUICK_LOAD = "300,600,50", "20,40,10"
MODULE_PATHS = {
    "dockernet.core.network": "ansible_collections.dockernet.core.plugins.modules.network",
    "dockernet.core.topology": "ansible_collections.dockernet.core.plugins.modules.topology",
    "community.docker.docker_network": "ansible_collections.community.docker.plugins.modules.docker_network",
}
DOCKER_STACK = ("docker", "requests", "urllib3")

# implementation keys -> label in the table
LABELS = {
    "floor-net": "floor: Docker SDK, in-process (networks)",
    "dn-network": "dockernet.core.network loop",
    "cd-network": "community.docker.docker_network loop",
    "ping-loop": "ansible.builtin.ping loop (Ansible's own cost)",
    "dn-network-direct": "dockernet.core.network, module process only",
    "cd-network-direct": "community.docker.docker_network, module process only",
    "floor-topo": "floor: Docker SDK, in-process (networks + attachments)",
    "floor-topo-proc": "floor: Docker SDK, fresh process (networks + attachments)",
    "dn-topology": "dockernet.core.topology, 1 task",
    "dn-topology-direct": "dockernet.core.topology, module process only",
    "load-topology": "load: dockernet.core.topology, 1 task",
}


def log(message: str) -> None:
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def subnet(base: int, index: int) -> str:
    return f"10.{base + index // 256}.{index % 256}.0/24"


def network_args(net: t.Mapping[str, str]) -> t.Dict[str, t.Any]:
    return {"name": net["name"], "ipam_config": [{"subnet": net["subnet"]}]}


class Workload:
    """The networks, containers and attachments of one size N (2N attachments, network k gets containers 2k and 2k+1).

    Each collection's per-task loop has N networks of its own (PER_TASK); the networks-only floor uses
    dockernet.core's names, at a time when the loops' networks do not exist."""

    def __init__(self, size: int, pool: int, topo_prefix: str = "bench-topo", topo_base: int = TOPOLOGY_BASE,
                 attachments: t.Optional[int] = None) -> None:
        self.size = size
        self.networks = {impl: [{"name": f"{prefix}-{i:03d}", "subnet": subnet(base, i)} for i in range(size)]
                         for impl, (prefix, base, _module) in PER_TASK.items()}
        self.topo_networks = [{"name": f"{topo_prefix}-{i:03d}", "subnet": subnet(topo_base, i)} for i in range(size)]
        count = 2 * size if attachments is None else attachments
        self.containers = [f"bench-c{j:02d}" for j in range(min(pool, count))]
        self.attachments = []
        for index in range(count):
            network = self.topo_networks[index * size // count]["name"]
            container = self.containers[index % len(self.containers)]
            self.attachments.append({"container": container, "network": network, "aliases": [f"svc{index}"]})

    def topology_args(self) -> t.Dict[str, t.Any]:
        networks = [network_args(x) for x in self.topo_networks]
        return {"bench_topology_networks": networks, "bench_attachments": self.attachments}


# --------------------------------------------------------------------------
# running things
# --------------------------------------------------------------------------

class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.docker_host = os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"
        self.python = sys.executable
        self.bindir = os.path.dirname(sys.executable)
        self.collections = os.path.abspath(args.collections)
        self.workdir = os.path.abspath(args.workdir)
        os.makedirs(os.path.join(self.workdir, "logs"), exist_ok=True)
        # One counting proxy per channel (an implementation and a phase, e.g. "cd-network-remove"), so one
        # playbook can run several implementations and phases and still count each apart.
        self.counting = not args.no_count
        self.proxies: t.Dict[str, CountingProxy] = {}
        # (size, impl, phase) -> seconds of each run; per-task seconds of loops; requests of one run; tasks per run
        self.times: t.Dict[t.Tuple[t.Any, str, str], t.List[float]] = defaultdict(list)
        self.items: t.Dict[t.Tuple[t.Any, str, str], t.List[float]] = defaultdict(list)
        self.requests: t.Dict[t.Tuple[t.Any, str, str], t.List[str]] = {}
        self.tasks: t.Dict[t.Tuple[t.Any, str, str], int] = {}
        self.env = dict(os.environ)
        self.env.update({
            "ANSIBLE_COLLECTIONS_PATH": self.collections,
            "ANSIBLE_PIPELINING": "True",
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_FORCE_COLOR": "0",
            "ANSIBLE_RETRY_FILES_ENABLED": "False",
            "ANSIBLE_LOCALHOST_WARNING": "False",
            "ANSIBLE_DEPRECATION_WARNINGS": "False",
            "ANSIBLE_PYTHON_INTERPRETER": self.python,
            "ANSIBLE_CALLBACK_PLUGINS": os.path.join(HERE, "callback_plugins"),
            "ANSIBLE_CALLBACKS_ENABLED": "bench_timing",
        })
        self.env.pop("ANSIBLE_CONFIG", None)
        self.cli_env = dict(os.environ, DOCKER_HOST=self.docker_host)
        self.playbook_seconds = 0.0  # wall time of every ansible-playbook process, start-up included

    def stop_proxies(self) -> None:
        for proxy in self.proxies.values():
            proxy.stop()

    def host(self, channel: str) -> str:
        """Where a run counted as `channel` connects: its counting proxy (started on first use), or the daemon with --no-count."""
        if not self.counting:
            return self.docker_host
        if channel not in self.proxies:
            path = os.path.join(self.workdir, f"proxy-{channel}.sock")
            self.proxies[channel] = CountingProxy(path, self.docker_host).start()
        return self.proxies[channel].url

    def take(self, channel: str) -> t.Optional[t.List[str]]:
        """The requests of `channel` since the last take (None with --no-count)."""
        if not self.counting:
            return None
        proxy = self.proxies.get(channel)
        return proxy.take() if proxy is not None else []

    # ---- docker CLI (setup/teardown only) ----------------------------------

    def docker_cli(self, *argv: str, check: bool = True) -> str:
        proc = subprocess.run(["docker", *argv], env=self.cli_env, capture_output=True, text=True, check=False)
        if check and proc.returncode != 0:
            raise RuntimeError(f"docker {' '.join(argv)} failed: {proc.stderr.strip()}")
        return proc.stdout

    def cleanup(self, containers: bool = True) -> None:
        """Remove every bench- network, and with `containers` every bench- container (the prefix is reserved for the benchmark).

        Without `containers` the pool keeps running for the next size; should a network still have a
        container on it (a run that stopped half-way), the containers go too."""
        nets = [n for n in self.docker_cli("network", "ls", "--filter", "name=^bench-", "--format", "{{.Name}}", check=False).split()
                if n.startswith("bench-")]
        if not containers:
            try:
                if nets:
                    self.docker_cli("network", "rm", *nets)
                return
            except RuntimeError:
                pass
        listed = self.docker_cli("container", "ls", "-a", "--filter", "name=^bench-", "--format", "{{.Names}}", check=False)
        names = [n for n in listed.split() if n.startswith("bench-")]
        if names:
            self.docker_cli("rm", "-f", *names, check=False)
        if nets:
            self.docker_cli("network", "rm", *nets, check=False)

    def start_pool(self, containers: t.Sequence[str]) -> None:
        running = set(self.docker_cli("container", "ls", "--filter", "name=^bench-c", "--format", "{{.Names}}", check=False).split())
        for name in containers:
            if name not in running:
                self.docker_cli("rm", "-f", name, check=False)  # a stopped one left by an interrupted run
                self.docker_cli("run", "-d", "--name", name, "--label", "dockernet.bench=1", self.args.image, "sleep", "86400")

    # ---- recording ----------------------------------------------------------------

    def record(self, key: t.Tuple[t.Any, str, str], seconds: float, tasks: int, requests: t.Optional[t.List[str]] = None,
               items: t.Optional[t.List[float]] = None) -> None:
        self.times[key].append(seconds)
        self.tasks[key] = tasks
        if items:
            self.items[key].extend(items)
        if requests is not None and key not in self.requests:
            self.requests[key] = requests
        per = f" ({statistics.median(items) * 1000:.0f} ms/task median)" if items else ""
        counted = f", {len(requests)} requests" if requests is not None else ""
        log(f"{key[0]!s:>4} {key[1]:<19} {key[2]:<9} {seconds:8.3f} s{per}{counted}")

    def timed(self, key: t.Tuple[t.Any, str, str], tasks: int, run: t.Callable[[], None], channel: t.Optional[str] = None) -> float:
        """Time one run; with `channel`, the run goes through that counting proxy and its requests are recorded."""
        if channel is not None:
            self.take(channel)
        start = time.perf_counter()
        run()
        elapsed = time.perf_counter() - start
        self.record(key, elapsed, tasks, self.take(channel) if channel is not None else None)
        return elapsed

    def counted(self, key: t.Tuple[t.Any, str, str], run: t.Callable[[str], None]) -> None:
        """One extra, untimed run through the counting proxy (for runs too short to time through it)."""
        if not self.counting:
            return
        self.take("floor")
        run(self.host("floor"))
        self.requests.setdefault(key, self.take("floor") or [])

    # ---- ansible-playbook -------------------------------------------------------------

    def write_json(self, name: str, data: t.Any) -> str:
        path = os.path.join(self.workdir, name)
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        return path

    def playbook(self, name: str, tasks: t.Sequence[t.Tuple[str, str, t.Mapping[str, str], t.Optional[str]]]) -> str:
        """A one-play playbook; each task is (name, module, args as raw YAML scalars, loop expression or None)."""
        lines = ["---", f"- name: bench {name}", "  hosts: localhost", "  connection: local", "  gather_facts: false", "  tasks:"]
        for task_name, module, body, loop in tasks:
            lines += [f"    - name: {task_name}", f"      {module}:" + ("" if body else " {}")]
            lines += [f"        {key}: {value}" for key, value in body.items()]
            if loop:
                lines.append(f"      loop: \"{{{{ {loop} }}}}\"")
        path = os.path.join(self.workdir, f"{name}.yml")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        return path

    def host_arg(self, channel: str) -> str:
        """The docker_host option of a playbook task counted as `channel`, as a YAML scalar."""
        return json.dumps(self.host(channel))

    def ansible(self, playbook: str, extra: t.Mapping[str, t.Any], tag: str) -> t.List[t.Dict[str, t.Any]]:
        """Run one playbook; return the bench_timing record of each task (name, start, end, items, changed, failed)."""
        vars_file = self.write_json(f"vars-{tag}.json", extra)
        timing = os.path.join(self.workdir, f"timing-{tag}.json")
        if os.path.exists(timing):
            os.unlink(timing)
        cmd = [os.path.join(self.bindir, "ansible-playbook"), "-i", "localhost,", playbook, "-e", "@" + vars_file]
        logfile = os.path.join(self.workdir, "logs", f"{tag}.log")
        start = time.perf_counter()
        with open(logfile, "w", encoding="utf-8") as out:
            proc = subprocess.run(cmd, env=dict(self.env, BENCH_TIMING_FILE=timing), stdout=out, stderr=subprocess.STDOUT, check=False)
        self.playbook_seconds += time.perf_counter() - start
        with open(logfile, encoding="utf-8") as handle:
            text = handle.read()
        if proc.returncode != 0 or not os.path.exists(timing):
            raise RuntimeError(f"ansible-playbook failed ({tag}, exit {proc.returncode}); see {logfile}:\n{text[-3000:]}")
        with open(timing, encoding="utf-8") as handle:
            records: t.List[t.Dict[str, t.Any]] = json.load(handle)
        for record in records:
            if record["failed"]:
                raise RuntimeError(f"{tag}: task {record['name']!r} failed; see {logfile}:\n{text[-3000:]}")
        return records

    @staticmethod
    def check_changed(key: t.Tuple[t.Any, str, str], record: t.Mapping[str, t.Any], tasks: int, expect_changed: bool) -> None:
        want = tasks if expect_changed else 0
        if record["changed"] != want:
            raise RuntimeError(f"{key}: task {record['name']!r} reported {record['changed']} changed of {tasks}, expected {want}")

    @staticmethod
    def item_times(record: t.Mapping[str, t.Any]) -> t.List[float]:
        """Each loop item's time: the gap between its result and the one before; the first item's from its own task's start."""
        stamps = [record["start"], *record["items"]]
        return [b - a for a, b in zip(stamps, stamps[1:])]

    def record_task(self, key: t.Tuple[t.Any, str, str], record: t.Mapping[str, t.Any], tasks: int, expect_changed: bool,
                    requests: t.Optional[t.List[str]]) -> None:
        """One task of a playbook as one run: its time from start to last result."""
        self.check_changed(key, record, tasks, expect_changed)
        self.record(key, record["end"] - record["start"], tasks, requests, self.item_times(record) or None)

    def direct(self, module: str, args: t.Mapping[str, t.Any], tag: str, expect_changed: bool) -> t.Callable[[], None]:
        """Run a module's file as a plain Python process (no controller, no AnsiballZ), straight at the daemon."""
        def run() -> None:
            self.run_module(module, args, tag, expect_changed, self.module_env())
        return run

    def module_env(self, path: t.Optional[str] = None) -> t.Dict[str, str]:
        """The environment of a module process: the collection and site-packages (bytecode cached), or `path` first."""
        return dict(self.env, PYTHONPATH=path or os.pathsep.join([self.collections, self.site_packages()]))

    def run_module(self, module: str, args: t.Mapping[str, t.Any], tag: str, expect_changed: bool, env: t.Mapping[str, str],
                   python_options: t.Sequence[str] = ()) -> str:
        """`python [options] -m module args.json`; checks the result, returns stderr."""
        path = self.write_json(f"args-{tag}.json", {"ANSIBLE_MODULE_ARGS": {**args, "docker_host": self.docker_host}})
        proc = subprocess.run([self.python, *python_options, "-m", module, path], env=env, capture_output=True, text=True, check=False)
        try:
            result = json.loads(proc.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            raise RuntimeError(f"{tag}: module printed no result (exit {proc.returncode}): {proc.stdout[-2000:]} {proc.stderr[-2000:]}") from None
        if result.get("failed") or bool(result.get("changed")) != expect_changed:
            raise RuntimeError(f"{tag}: unexpected result: {json.dumps(result)[:2000]}")
        return proc.stderr

    def fresh_floor(self, phase: str, spec: t.Mapping[str, t.Any], tag: str) -> t.Callable[[str], None]:
        def run(docker_host: str) -> None:
            path = self.write_json(f"spec-{tag}.json", {**spec, "docker_host": docker_host})
            subprocess.run([self.python, os.path.join(HERE, "floor.py"), phase, path], check=True)
        return run

    @staticmethod
    def site_packages() -> str:
        import sysconfig

        return sysconfig.get_paths()["purelib"]

    # ---- how often ---------------------------------------------------------------------

    def cycles(self) -> t.Iterator[int]:
        """Repeat a create / no-change / remove cycle up to --repeat times while the cycles so far fit --budget seconds."""
        spent, index = 0.0, 0
        while index < self.args.repeat:
            start = time.perf_counter()
            yield index
            index += 1
            spent += time.perf_counter() - start
            if spent + spent / index > self.args.budget:
                return

    # ---- the measurements ----------------------------------------------------------------

    def floor_networks(self, workload: Workload, count: bool) -> None:
        """With `count`, the first create and remove go through a counting proxy (a proxy hop is well under 1 % of
        a create or a removal); the no-change run is too short for that and is counted in one extra run."""
        n, nets = workload.size, workload.networks["dn-network"]
        for cycle in self.cycles():
            channel = "floor" if count and cycle == 0 and self.counting else None
            host = self.host("floor") if channel else self.docker_host
            self.timed((n, "floor-net", "create"), n, functools.partial(floor.networks_create, host, nets), channel)
            if channel:
                self.counted((n, "floor-net", "no-change"), lambda h: floor.networks_check(h, nets))
            for _run in range(self.args.noop_runs):
                self.timed((n, "floor-net", "no-change"), n, lambda: floor.networks_check(self.docker_host, nets))
            self.timed((n, "floor-net", "remove"), n, functools.partial(floor.networks_remove, host, nets), channel)

    def per_task(self, workload: Workload, tag: str, phases: t.Sequence[str], ping: bool) -> None:
        """The per-task loops of `phases` in ONE ansible-playbook: for each phase, tasks of --block loop items that
        alternate the implementations (dn 1-10, cd 1-10, cd 11-20, dn 11-20, ...), so a swing of the machine's load
        hits both; with `ping`, the ping loop joins the no-change phase the same way."""
        n, block = workload.size, self.args.block
        body = {"name": '"{{ item.name }}"', "ipam_config": '"{{ [{\'subnet\': item.subnet}] }}"'}
        tasks: t.List[t.Tuple[str, str, t.Mapping[str, str], t.Optional[str]]] = []
        plan: t.List[t.Tuple[str, str, int]] = []  # (impl, phase, loop items) of each task
        for phase in phases:
            impls = [*PER_TASK, *(["ping-loop"] if ping and phase == "no-change" else [])]
            for number, first in enumerate(range(0, n, block)):
                last = min(n, first + block)
                for impl in impls if number % 2 == 0 else reversed(impls):
                    if impl == "ping-loop":
                        module, args, var = "ansible.builtin.ping", {}, "bench_networks['dn-network']"
                    else:
                        module, var = PER_TASK[impl][2], f"bench_networks['{impl}']"
                        args = {**body} if phase != "remove" else {"name": '"{{ item.name }}"', "state": "absent"}
                        args["docker_host"] = self.host_arg(f"{impl}-{phase}")
                    tasks.append((f"{phase} {impl} {first + 1}-{last}", module, args, f"{var}[{first}:{last}]"))
                    plan.append((impl, phase, last - first))
        playbook = self.playbook(f"per-task-{tag}", tasks)
        for impl in PER_TASK:
            for phase in phases:
                self.take(f"{impl}-{phase}")
        records = self.ansible(playbook, {"bench_networks": workload.networks}, f"per-task-{n}-{tag}")
        if len(records) != len(plan):
            raise RuntimeError(f"per-task-{n}-{tag}: {len(records)} task records for {len(plan)} tasks")
        runs: t.Dict[t.Tuple[str, str], t.List[t.Mapping[str, t.Any]]] = defaultdict(list)
        for (impl, phase, items), record in zip(plan, records):
            self.check_changed((n, impl, phase), record, items, phase != "no-change")
            runs[(impl, phase)].append(record)
        for (impl, phase), blocks in runs.items():
            seconds = sum(r["end"] - r["start"] for r in blocks)
            items_seen = [gap for r in blocks for gap in self.item_times(r)]
            requests = None if impl == "ping-loop" else self.take(f"{impl}-{phase}")
            self.record((n, impl, phase), seconds, n, requests, items_seen)

    def direct_networks(self, workload: Workload) -> None:
        """Each collection's module process alone, one converged network of its own, runs alternating."""
        n, runs = workload.size, []
        for impl, (_prefix, _base, module) in PER_TASK.items():
            net = workload.networks[impl][0]
            runs.append((impl, self.direct(MODULE_PATHS[module], network_args(net), f"{impl}-{n}-direct", False)))
        for _run in range(self.args.noop_runs):
            for impl, run in runs:
                self.timed((n, f"{impl}-direct", "no-change"), 1, run)

    def floor_topology(self, workload: Workload, count: bool) -> None:
        """As floor_networks: with `count`, the first create and remove are timed through a counting proxy."""
        n, tnets, attachments = workload.size, workload.topo_networks, workload.attachments
        spec = {"networks": tnets, "attachments": attachments}
        fresh = self.fresh_floor("topology-check", spec, f"floor-topo-{n}")
        for cycle in self.cycles():
            channel = "floor" if count and cycle == 0 and self.counting else None
            host = self.host("floor") if channel else self.docker_host
            self.timed((n, "floor-topo", "create"), 1, functools.partial(floor.topology_create, host, tnets, attachments), channel)
            if channel:
                self.counted((n, "floor-topo", "no-change"), lambda h: floor.topology_check(h, tnets, attachments))
                self.counted((n, "floor-topo-proc", "no-change"), fresh)
            for _run in range(self.args.noop_runs):
                self.timed((n, "floor-topo", "no-change"), 1, lambda: floor.topology_check(self.docker_host, tnets, attachments))
                self.timed((n, "floor-topo-proc", "no-change"), 1, lambda: fresh(self.docker_host))
            self.timed((n, "floor-topo", "remove"), 1, functools.partial(floor.topology_remove, host, tnets, attachments), channel)

    def topology(self, workload: Workload, size_key: t.Any, impl: str, direct: bool) -> None:
        """create and --noop-runs no-change tasks in one ansible-playbook, the module process alone, then remove."""
        body = {
            "name": TOPOLOGY_NAME,
            "networks": '"{{ bench_topology_networks }}"',
            "attachments": '"{{ bench_attachments }}"',
        }
        runs = self.args.noop_runs
        present = self.playbook(f"{impl}-present", [
            ("create", "dockernet.core.topology", {**body, "docker_host": self.host_arg(f"{impl}-create")}, None),
            *[(f"no-change {i + 1}", "dockernet.core.topology", {**body, "docker_host": self.host_arg(f"{impl}-no-change")}, None)
              for i in range(runs)],
        ])
        absent = self.playbook(f"{impl}-absent", [
            ("remove", "dockernet.core.topology", {**body, "state": "absent", "docker_host": self.host_arg(f"{impl}-remove")}, None),
        ])
        extra = workload.topology_args()
        for phase in PHASES:
            self.take(f"{impl}-{phase}")
        create, *noops = self.ansible(present, extra, f"{impl}-{size_key}-present")
        self.record_task((size_key, impl, "create"), create, 1, True, self.take(f"{impl}-create"))
        seen = self.take(f"{impl}-no-change")
        for record in noops:
            self.record_task((size_key, impl, "no-change"), record, 1, False, seen[: len(seen) // runs] if seen is not None else None)
        if direct:
            args = {"name": TOPOLOGY_NAME, "networks": extra["bench_topology_networks"], "attachments": workload.attachments}
            run = self.direct(MODULE_PATHS["dockernet.core.topology"], args, f"{impl}-{size_key}-direct", False)
            for _run in range(runs):
                self.timed((size_key, f"{impl}-direct", "no-change"), 1, run)
        (remove,) = self.ansible(absent, extra, f"{impl}-{size_key}-absent")
        self.record_task((size_key, impl, "remove"), remove, 1, True, self.take(f"{impl}-remove"))

    def run_size(self, size: int) -> None:
        workload = Workload(size, POOL_SIZE)
        first = size == min(self.args.sizes)
        self.cleanup(containers=False)
        self.start_pool(workload.containers)
        log(f"N={size}: floor, networks")
        self.floor_networks(workload, count=first)
        log(f"N={size}: per-task loops, the two collections alternating in blocks of {self.args.block} (ms/task is the median task)")
        self.per_task(workload, "present", ("create", "no-change"), ping=first)
        self.direct_networks(workload)
        self.per_task(workload, "absent", ("remove",), ping=False)
        log(f"N={size}: floor, networks + attachments")
        self.floor_topology(workload, count=first)
        log(f"N={size}: dockernet.core.topology")
        for cycle in self.cycles():
            self.topology(workload, size, "dn-topology", direct=cycle == 0)
        self.cleanup(containers=False)

    def run_load(self) -> None:
        networks, attachments, containers = self.args.load
        workload = Workload(networks, containers, topo_prefix="bench-load", topo_base=LOAD_BASE, attachments=attachments)
        self.cleanup(containers=False)
        self.start_pool(workload.containers)
        log(f"load: {networks} networks, {attachments} attachments over {len(workload.containers)} containers")
        self.topology(workload, LOAD, "load-topology", direct=False)
        self.cleanup(containers=False)


# --------------------------------------------------------------------------
# imports of a real no-change task
# --------------------------------------------------------------------------

def _importtime_rows(stderr: str) -> t.List[t.Tuple[int, int, int, str]]:
    """(self us, cumulative us, depth, name) of each line `python -X importtime` wrote to stderr."""
    rows = []
    for line in stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            rows.append((int(match.group(1)), int(match.group(2)), (len(match.group(3)) - 1) // 2, match.group(4)))
    return rows


def _payload_zip(path: str, collections: str, collection_dirs: t.Sequence[t.Tuple[str, str]], site: str) -> None:
    """A zip laid out like an AnsiballZ payload: sources only, so every run compiles what it imports."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("ansible/__init__.py", "from pkgutil import extend_path\n__path__=extend_path(__path__,__name__)\n")
        zf.writestr("ansible/module_utils/__init__.py", "from pkgutil import extend_path\n__path__=extend_path(__path__,__name__)\n")
        mu_root = os.path.join(site, "ansible", "module_utils")
        for root, _dirs, files in os.walk(mu_root):
            for name in files:
                if name.endswith(".py") and os.path.join(root, name) != os.path.join(mu_root, "__init__.py"):
                    full = os.path.join(root, name)
                    zf.write(full, os.path.relpath(full, site))
        written = set()
        for base, coll in collection_dirs:
            coll_root = os.path.join(base, *coll.split("/"))
            parts = ["ansible_collections", *coll.split("/")[1:]]
            for idx in range(1, len(parts) + 1):
                init = "/".join(parts[:idx]) + "/__init__.py"
                if init not in written:
                    zf.writestr(init, "")
                    written.add(init)
            for sub in ("plugins/modules", "plugins/module_utils"):
                src = os.path.join(coll_root, sub)
                for root, _dirs, files in os.walk(src):
                    rel_dir = os.path.relpath(root, base).replace(os.sep, "/")
                    for pkg_idx in range(len(rel_dir.split("/"))):
                        init = "/".join(rel_dir.split("/")[: pkg_idx + 1]) + "/__init__.py"
                        if init not in written and not os.path.exists(os.path.join(base, init)):
                            zf.writestr(init, "")
                            written.add(init)
                    for name in files:
                        if name.endswith(".py"):
                            arc = f"{rel_dir}/{name}"
                            if arc not in written:
                                zf.write(os.path.join(root, name), arc)
                                written.add(arc)


def import_profile(bench: Bench, runs: int) -> t.Dict[str, t.Any]:
    """What a real no-change task of each module imports.

    Each module file runs as `python -X importtime -m <module> args.json` against the daemon, on a small state it
    converged itself first (a network each for the two network modules; 2 networks and 2 attachments for
    topology). Two layouts: the collection on PYTHONPATH with bytecode caches (as after a first run), and a zip
    laid out like the AnsiballZ payload (sources only: AnsiballZ extracts nothing and caches no bytecode, so a
    task compiles every module_utils file it imports). Whatever the task imports on its way, connecting
    included, is counted: the imports the interpreter makes to start and to run `-m` are left out.
    """
    site = bench.site_packages()
    payload = os.path.join(bench.workdir, "payload.zip")
    _payload_zip(payload, bench.collections, [(bench.collections, "ansible_collections/dockernet/core"),
                                              (site, "ansible_collections/community/docker")], site)
    nets = [{"name": f"bench-imp-{i}", "subnet": subnet(IMPORT_BASE, i)} for i in range(4)]
    containers = ["bench-c00", "bench-c01"]
    topology = {
        "name": "bench-imp",
        "networks": [network_args(net) for net in nets[2:]],
        "attachments": [{"container": c, "network": net["name"], "aliases": [f"imp{i}"]} for i, (c, net) in enumerate(zip(containers, nets[2:]))],
    }
    cases = {
        "dockernet.core.network": network_args(nets[0]),
        "dockernet.core.topology": topology,
        "community.docker.docker_network": network_args(nets[1]),
    }
    layouts = {"cached": bench.module_env(), "payload": bench.module_env(payload)}
    layouts_of = {label: layouts for label in cases}
    if bench.args.baseline:  # the same network task with the collection before a change (--baseline)
        label = "dockernet.core.network (baseline)"
        cases[label] = cases["dockernet.core.network"]
        base_payload = os.path.join(bench.workdir, "payload-baseline.zip")
        _payload_zip(base_payload, bench.args.baseline, [(bench.args.baseline, "ansible_collections/dockernet/core")], site)
        layouts_of[label] = {"cached": dict(bench.env, PYTHONPATH=os.pathsep.join([bench.args.baseline, site])),
                             "payload": bench.module_env(base_payload)}
    # The interpreter's own imports, and those of running `-m` (runpy), are no part of the task.
    launcher = {
        layout: {name for _self, _cum, _depth, name in _importtime_rows(
            subprocess.run([bench.python, "-X", "importtime", "-c", "import runpy"], env=env, capture_output=True, text=True, check=True).stderr)}
        for layout, env in layouts.items()
    }
    bench.start_pool(containers)
    result: t.Dict[str, t.Any] = {}
    try:
        for label, args in cases.items():
            base = label.split(" ", maxsplit=1)[0]  # "... (baseline)" runs the same module
            module, tag = MODULE_PATHS[base], f"imports-{base.rsplit('.', 1)[-1]}"
            bench.run_module(module, args, tag, True, layouts_of[label]["cached"])
            entry: t.Dict[str, t.Any] = {}
            for layout, env in layouts_of[label].items():
                totals: t.List[int] = []
                basic: t.List[int] = []
                loaded: t.Set[str] = set()
                rows: t.List[t.Tuple[int, int, int, str]] = []
                for index in range(runs + 1):
                    rows = _importtime_rows(bench.run_module(module, args, tag, False, env, ("-X", "importtime")))
                    if index == 0:
                        continue  # warm-up (writes the bytecode caches where it can)
                    totals.append(sum(cum for _self, cum, depth, name in rows if depth == 0 and name not in launcher[layout]))
                    basic.append(max((cum for _self, cum, _depth, name in rows if name == "ansible.module_utils.basic"), default=0))
                    loaded |= {name.split(".", 1)[0] for _self, _cum, _depth, name in rows if name.split(".", 1)[0] in DOCKER_STACK}
                by_package: t.Counter[str] = Counter()
                for self_us, _cum, _depth, name in rows:
                    if name not in launcher[layout]:
                        by_package[name.split(".", 1)[0] if not name.startswith("ansible_collections") else ".".join(name.split(".")[:3])] += self_us
                entry[layout] = {
                    "total_ms": statistics.median(totals) / 1000,
                    "basic_ms": statistics.median(basic) / 1000,
                    "docker_stack": [name for name in DOCKER_STACK if name in loaded],
                    "top": [(name, us / 1000) for name, us in by_package.most_common(8)],
                }
            result[label] = entry
            bench.run_module(module, {**args, "state": "absent"}, tag, True, layouts_of[label]["cached"])
    finally:
        bench.cleanup(containers=False)
    return result


# --------------------------------------------------------------------------
# machine description and report
# --------------------------------------------------------------------------

def machine(bench: Bench) -> t.Dict[str, str]:
    info: t.Dict[str, str] = {}
    info["date"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    info["cpus (nproc)"] = str(os.cpu_count())
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            models = [line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")]
        info["cpu"] = models[0] if models else platform.processor()
    except OSError:
        info["cpu"] = platform.processor()
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            mem_kib = int(next(line for line in handle if line.startswith("MemTotal")).split()[1])
        info["memory"] = f"{mem_kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    info["kernel"] = platform.release()
    info["python"] = platform.python_version()
    import ansible.release
    import docker
    import requests

    info["ansible-core"] = ansible.release.__version__
    manifest = os.path.join(bench.site_packages(), "ansible_collections", "community", "docker", "MANIFEST.json")
    try:
        with open(manifest, encoding="utf-8") as handle:
            info["community.docker"] = json.load(handle)["collection_info"]["version"]
    except (OSError, KeyError, ValueError):
        info["community.docker"] = "?"
    info["docker SDK / requests"] = f"{docker.__version__} / {requests.__version__}"
    api = docker.APIClient(base_url=bench.docker_host, version="auto")
    try:
        version = api.version()
        info["docker engine"] = f"{version.get('Version')} (API {version.get('ApiVersion')}) at {bench.docker_host}"
        others = [c for c in api.containers() if not any(n.startswith("/bench-") for n in c.get("Names") or [])]
        info["other containers running on the engine"] = str(len(others))
    finally:
        api.close()
    info["load average at start"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return info


def fmt_ratio(value: t.Optional[float]) -> str:
    return "—" if value is None else (f"{value:.2f}" if value >= 0.1 else f"{value:.3f}")


class Report:
    def __init__(self, bench: Bench, machine_info: t.Dict[str, str], imports: t.Dict[str, t.Any], sizes: t.Sequence[int]) -> None:
        self.bench = bench
        self.machine = machine_info
        self.imports = imports
        self.sizes = sizes

    def median(self, size: t.Any, impl: str, phase: str) -> t.Optional[float]:
        samples = self.bench.times.get((size, impl, phase))
        return statistics.median(samples) if samples else None

    def work(self, size: t.Any, impl: t.Optional[str], phase: str) -> t.Optional[float]:
        """Seconds for the whole phase; for a loop, N times its median task (robust to a burst of load)."""
        if impl is None:
            return None
        items = self.bench.items.get((size, impl, phase))
        if items:
            return statistics.median(items) * self.bench.tasks[(size, impl, phase)]
        return self.median(size, impl, phase)

    def reqs_per_task(self, size: t.Any, impl: str, phase: str) -> t.Optional[float]:
        seen = self.bench.requests.get((size, impl, phase))
        if seen is None:
            return None
        return len(seen) / max(1, self.bench.tasks.get((size, impl, phase), 1))

    ROWS = (
        # impl, phase, floor impl, community impl
        ("floor-net", "create", "floor-net", "cd-network"),
        ("floor-net", "no-change", "floor-net", "cd-network"),
        ("floor-net", "remove", "floor-net", "cd-network"),
        ("dn-network", "create", "floor-net", "cd-network"),
        ("dn-network", "no-change", "floor-net", "cd-network"),
        ("dn-network", "remove", "floor-net", "cd-network"),
        ("cd-network", "create", "floor-net", "cd-network"),
        ("cd-network", "no-change", "floor-net", "cd-network"),
        ("cd-network", "remove", "floor-net", "cd-network"),
        ("ping-loop", "no-change", "floor-net", "cd-network"),
        ("dn-network-direct", "no-change", None, "cd-network-direct"),
        ("cd-network-direct", "no-change", None, "cd-network-direct"),
        ("floor-topo", "create", "floor-topo", "cd-network"),
        ("floor-topo", "no-change", "floor-topo", "cd-network"),
        ("floor-topo", "remove", "floor-topo", "cd-network"),
        ("floor-topo-proc", "no-change", "floor-topo", None),
        ("dn-topology", "create", "floor-topo", "cd-network"),
        ("dn-topology", "no-change", "floor-topo", "cd-network"),
        ("dn-topology", "remove", "floor-topo", "cd-network"),
        ("dn-topology-direct", "no-change", "floor-topo-proc", None),
        ("load-topology", "create", None, None),
        ("load-topology", "no-change", None, None),
        ("load-topology", "remove", None, None),
    )

    def table(self) -> str:
        header = ["N", "what", "phase", "tasks", "runs", "time s", "ms/task", "× floor", "× c.docker", "API req/task"]
        rows = []
        for size in [*self.sizes, LOAD]:
            for impl, phase, floor_impl, cd_impl in self.ROWS:
                value = self.median(size, impl, phase)
                if value is None:
                    continue
                key = (size, impl, phase)
                tasks = self.bench.tasks.get(key, 1)
                items = self.bench.items.get(key)
                per_task = statistics.median(items) if items else value / tasks
                work = self.work(size, impl, phase)
                floor_value = self.work(size, floor_impl, phase)
                cd_value = self.work(size, cd_impl, phase)
                reqs = self.reqs_per_task(size, impl, phase)
                label = str(size) if size != LOAD else str(self.bench.args.load[0])
                rows.append([
                    label, LABELS[impl], phase, str(tasks), str(len(self.bench.times[key])), f"{value:.3f}", f"{per_task * 1000:.1f}",
                    fmt_ratio(work / floor_value if floor_value and work else None),
                    fmt_ratio(work / cd_value if cd_value and work else None),
                    "—" if reqs is None else (f"{reqs:.0f}" if reqs == int(reqs) else f"{reqs:.2f}"),
                ])
        widths = [max(len(header[i]), *(len(r[i]) for r in rows)) if rows else len(header[i]) for i in range(len(header))]
        right = {0, 3, 4, 5, 6, 7, 8, 9}

        def line(cells: t.Sequence[str]) -> str:
            return "| " + " | ".join(c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(cells)) + " |"

        sep = "|" + "|".join(("-" * (w + 1) + ":") if i in right else ("-" * (w + 2)) for i, w in enumerate(widths)) + "|"
        return "\n".join([line(header), sep] + [line(r) for r in rows])

    def breakdown(self) -> str:
        """Which requests each implementation sends, per phase, at the largest size counted."""
        out = []
        for impl in ("floor-net", "dn-network", "cd-network", "floor-topo", "dn-topology", "load-topology"):
            for phase in PHASES:
                sizes = [s for s in [*self.sizes, LOAD] if (s, impl, phase) in self.bench.requests]
                if not sizes:
                    continue
                size = sizes[-1]
                seen = self.bench.requests[(size, impl, phase)]
                counts = Counter(seen)
                parts = ", ".join(f"{req} ×{count}" for req, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
                where = f"N={size}" if size != LOAD else "load run"
                out.append(f"- {LABELS[impl]}, {phase}, {where} ({len(seen)} requests): {parts}")
        return "\n".join(out)

    def targets(self) -> str:
        out = []
        big = max(self.sizes)
        for size in self.sizes:
            for phase in PHASES:
                dn, cd = self.work(size, "dn-network", phase), self.work(size, "cd-network", phase)
                if dn and cd:
                    ratio = dn / cd
                    out.append(f"- {'MET   ' if ratio <= 1.0 else 'MISSED'} per-task network vs community.docker, N={size}, {phase}: "
                               f"ratio {ratio:.2f} of the median task (target <= 1.00)")
            dn, ping = self.work(size, "dn-network", "no-change"), self.work(size, "ping-loop", "no-change")
            if dn and ping:
                out.append(f"- {'MET   ' if dn / ping <= 1.2 else 'MISSED'} per-task network no-change vs ansible.builtin.ping in the same loop, "
                           f"N={size}: ratio {dn / ping:.2f} of the median task (target <= 1.20)")
        for size in self.sizes:
            reqs = self.reqs_per_task(size, "dn-network", "no-change")
            if reqs is not None:
                out.append(f"- {'MET   ' if reqs <= 2 else 'MISSED'} dockernet.core.network no-change requests, N={size}: "
                           f"{reqs:.2f} per task (target <= 2: version + one network inspect)")
            reqs = self.reqs_per_task(size, "dn-topology", "no-change")
            if reqs is not None:
                workload = Workload(size, POOL_SIZE)
                allowed = 1 + size + len(workload.containers)
                out.append(f"- {'MET   ' if reqs <= allowed else 'MISSED'} dockernet.core.topology no-change requests, N={size}: "
                           f"{reqs:.0f} (target <= {allowed}: version + {size} network inspects + {len(workload.containers)} container inspects)")
        if big != 100:
            out.append(f"- NOTE   the topology targets are defined for N=100 (200 attachments); this run's largest N is {big}")
        topo, floor_value = self.median(big, "dn-topology", "no-change"), self.median(big, "floor-topo", "no-change")
        if topo and floor_value:
            ratio = topo / floor_value
            out.append(f"- {'MET   ' if ratio <= 2.0 else 'MISSED'} converged topology N={big} (+{2 * big} attachments), whole task vs the SDK floor "
                       f"(in-process): {ratio:.1f}x (target <= 2x)")
        direct, proc = self.median(big, "dn-topology-direct", "no-change"), self.median(big, "floor-topo-proc", "no-change")
        if direct and proc:
            ratio = direct / proc
            out.append(f"- {'MET   ' if ratio <= 2.0 else 'MISSED'} converged topology N={big}, module process vs the SDK floor "
                       f"in a fresh process: {ratio:.1f}x (target <= 2x)")
        cd = self.work(big, "cd-network", "no-change")
        if topo and cd:
            speedup = cd / topo
            out.append(f"- {'MET   ' if speedup >= 15 else 'MISSED'} converged topology N={big} vs the community.docker loop "
                       f"(no-change): {speedup:.1f}x faster (target >= 15x)")
        for label in ("dockernet.core.network", "dockernet.core.topology"):
            entry = self.imports.get(label)
            if entry:
                loaded = self.docker_stack(entry)
                out.append(f"- {'MET   ' if not loaded else 'NOTE  '} {label}: a no-change task imports "
                           f"{', '.join(loaded) if loaded else 'none of ' + ', '.join(DOCKER_STACK)} "
                           f"({entry['cached']['total_ms']:.0f} ms of imports with bytecode caches, "
                           f"{entry['payload']['total_ms']:.0f} ms from a payload zip)")
        return "\n".join(out)

    def load_text(self) -> str:
        if not self.bench.times.get((LOAD, "load-topology", "create")):
            return "(not run: pass --load)"
        networks, attachments, containers = self.bench.args.load
        out = [f"{networks} networks (explicit /24s in 10.240.0.0/15) and {attachments} attachments over {containers} containers, "
               "declared in one dockernet.core.topology task:", ""]
        for phase in PHASES:
            value = self.median(LOAD, "load-topology", phase)
            if value is None:
                continue
            runs = len(self.bench.times[(LOAD, "load-topology", phase)])
            seen = self.bench.requests.get((LOAD, "load-topology", phase))
            requests = f", {len(seen)} API requests" if seen is not None else ""
            out.append(f"- {phase}: {value:.1f} s ({'median of ' + str(runs) + ' runs' if runs > 1 else '1 run'}{requests})")
        return "\n".join(out)

    @staticmethod
    def docker_stack(entry: t.Mapping[str, t.Any]) -> t.List[str]:
        seen = set(entry["cached"]["docker_stack"]) | set(entry["payload"]["docker_stack"])
        return [name for name in DOCKER_STACK if name in seen]

    def imports_text(self) -> str:
        out = ["| module | all imports of a no-change task, bytecode cached (ms) | the same, from a payload zip (ms) "
               "| of which ansible.module_utils.basic, payload zip (ms) | docker / requests / urllib3 imported by the task |",
               "|---|---:|---:|---:|---|"]
        for label, entry in self.imports.items():
            cached, payload = entry["cached"], entry["payload"]
            out.append(f"| {label} | {cached['total_ms']:.0f} | {payload['total_ms']:.0f} | {payload['basic_ms']:.0f} | "
                       f"{', '.join(self.docker_stack(entry)) or 'none'} |")
        out.append("")
        for label, entry in self.imports.items():
            top = ", ".join(f"{name} {ms:.0f}" for name, ms in entry["payload"]["top"])
            out.append(f"- {label}, self time of the task's imports by package (payload zip, ms): {top}")
        return "\n".join(out)

    def machine_text(self) -> str:
        return "\n".join(f"- {key}: {value}" for key, value in self.machine.items())

    def render(self, elapsed: float) -> str:
        args = self.bench.args
        settings = (f"sizes {','.join(map(str, self.sizes))}; create/no-change/remove cycles repeated up to {args.repeat} times within "
                    f"{args.budget:.0f} s each; {args.noop_runs} no-change runs per cycle; the per-task loops run once, the two collections "
                    f"alternating in blocks of {args.block} loop items; container pool {POOL_SIZE}")
        return "\n".join([
            "## Results",
            "",
            "Command: `" + " ".join(["bash tests/benchmark/run", *args.original_argv]) + "`",
            f"({settings}; whole run {elapsed / 60:.1f} min, of which ansible-playbook processes {self.bench.playbook_seconds / 60:.1f} min; "
            f"load average at end {' '.join(f'{x:.2f}' for x in os.getloadavg())})",
            "",
            "### Machine",
            "",
            self.machine_text(),
            "",
            "### Times (median) and API requests",
            "",
            self.table(),
            "",
            "### Targets",
            "",
            self.targets(),
            "",
            "### Load (issue #8)",
            "",
            self.load_text(),
            "",
            "### Requests sent (at the transport)",
            "",
            self.breakdown(),
            "",
            "### Imports of a no-change task",
            "",
            self.imports_text(),
            "",
        ])


def update_doc(doc: str, text: str) -> None:
    begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
    with open(doc, encoding="utf-8") as handle:
        current = handle.read()
    if begin not in current or end not in current:
        raise RuntimeError(f"{doc} has no {begin} ... {end} section to replace")
    head, rest = current.split(begin, 1)
    _head, tail = rest.split(end, 1)
    with open(doc, "w", encoding="utf-8") as handle:
        handle.write(head + begin + "\n" + text + end + tail)


def main(argv: t.Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="30,100", help="network counts N, comma-separated (default 30,100)")
    parser.add_argument("--repeat", type=int, default=3, help="most create/no-change/remove cycles per measurement (default 3)")
    parser.add_argument("--budget", type=float, default=25.0, help="seconds after which a measurement's cycles stop repeating (default 25)")
    parser.add_argument("--noop-runs", type=int, default=5, help="no-change runs per cycle, except the per-task loops (default 5)")
    parser.add_argument("--block", type=int, default=BLOCK, help=f"loop items per task when the collections alternate (default {BLOCK})")
    parser.add_argument("--load", nargs="?", const="", metavar="N,A,C",
                        help=f"also the load run (issue #8): networks,attachments,containers (default {DEFAULT_LOAD}; {QUICK_LOAD} with --quick)")
    parser.add_argument("--no-load", action="store_true", help="no load run (the default; kept for old command lines)")
    parser.add_argument("--quick", action="store_true", help="smoke run: N=5 in blocks of 2, one cycle, 2 no-change runs")
    parser.add_argument("--no-count", action="store_true", help="do not count requests (no counting proxies)")
    parser.add_argument("--collections", required=True, help="directory holding ansible_collections/dockernet/core")
    parser.add_argument("--image", default="dockernet-test/busybox:latest", help="image of the attachment containers")
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "dockernet-bench"))
    parser.add_argument("--report", help="also write the report (markdown) to this file")
    parser.add_argument("--baseline", help="directory holding ansible_collections/dockernet/core as before a change: "
                                           "its network task's imports are measured too")
    parser.add_argument("--update-doc", help="replace the bench:begin/end section of this markdown file with the report")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeat, args.noop_runs, args.block = "5", 1, 2, 2
    args.sizes = sorted({int(s) for s in str(args.sizes).split(",") if s.strip()})
    if args.load is not None:
        args.load = tuple(int(x) for x in (args.load or (QUICK_LOAD if args.quick else DEFAULT_LOAD)).split(","))
    if not args.sizes or min(args.sizes) < 1 or max(args.sizes) > 250 or args.repeat < 1 or args.noop_runs < 1 or args.block < 1:
        parser.error("sizes must be 1..250, --repeat, --noop-runs and --block at least 1")
    if args.load is not None and (len(args.load) != 3 or not 1 <= args.load[0] <= 512 or args.load[1] < 1 or not 1 <= args.load[2] <= 99):
        parser.error("--load is NETWORKS,ATTACHMENTS,CONTAINERS with at most 512 networks and 99 containers")
    # the command line as the user typed it, without the paths the wrapper adds
    cleaned, skip = [], False
    for item in argv:
        if skip:
            skip = False
            continue
        if item in ("--collections", "--workdir", "--report", "--update-doc", "--image", "--baseline"):
            skip = True
            continue
        if item.startswith(("--collections=", "--workdir=", "--report=", "--update-doc=", "--image=", "--baseline=")):
            continue
        cleaned.append(item)
    args.original_argv = cleaned

    started = time.time()
    bench = Bench(args)
    machine_info = machine(bench)
    log("machine: " + "; ".join(f"{k}={v}" for k, v in machine_info.items()))
    try:
        bench.cleanup()
        log("imports of a real no-change task of each module (python -X importtime)")
        imports = import_profile(bench, runs=3 if args.quick else 5)
        log("warm-up: one ansible-playbook run (not timed)")
        bench.ansible(bench.playbook("warm-up", [("ping", "ansible.builtin.ping", {}, None)]), {}, "warm-up")
        for size in args.sizes:
            bench.run_size(size)
        if args.load is not None:
            bench.run_load()
    finally:
        bench.cleanup()
        bench.stop_proxies()
    report = Report(bench, machine_info, imports, args.sizes).render(time.time() - started)
    print(report)
    if args.report:
        with open(args.report, "w", encoding="utf-8") as handle:
            handle.write(report)
    if args.update_doc:
        update_doc(args.update_doc, report)
        log(f"updated {args.update_doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
