# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark of dockernet.core against the Docker SDK floor and community.docker.

Run it through ``bash tests/benchmark/run`` (it prepares the engine, the image,
the collection copy and the benchmark's own virtual environment). See
docs/performance.md for what is measured and how to read the table.
"""

from __future__ import annotations

import argparse
import datetime
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

PER_TASK_BASE = 200  # 10.200.0.0/16: per-task loops and their floor
TOPOLOGY_BASE = 220  # 10.220.0.0/16: topology and its floor
LOAD_BASE = 240  # 10.240.0.0/15: the load run (the load integration test uses 10.230.0.0/15)
TOPOLOGY_NAME = "bench-topo"
POOL_SIZE = 20
PHASES = ("create", "no-change", "remove")
LOAD = "load"  # the size key of the load rows

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
LOOPS = ("dn-network", "cd-network", "ping-loop")


def log(message: str) -> None:
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def subnet(base: int, index: int) -> str:
    return f"10.{base + index // 256}.{index % 256}.0/24"


class Workload:
    """The networks, containers and attachments of one size N (2N attachments, network k gets containers 2k and 2k+1)."""

    def __init__(self, size: int, pool: int, topo_prefix: str = "bench-topo", topo_base: int = TOPOLOGY_BASE,
                 attachments: t.Optional[int] = None) -> None:
        self.size = size
        self.networks = [{"name": f"bench-net-{i:03d}", "subnet": subnet(PER_TASK_BASE, i)} for i in range(size)]
        self.topo_networks = [{"name": f"{topo_prefix}-{i:03d}", "subnet": subnet(topo_base, i)} for i in range(size)]
        count = 2 * size if attachments is None else attachments
        self.containers = [f"bench-c{j:02d}" for j in range(min(pool, count))]
        self.attachments = []
        for index in range(count):
            network = self.topo_networks[index * size // count]["name"]
            container = self.containers[index % len(self.containers)]
            self.attachments.append({"container": container, "network": network, "aliases": [f"svc{index}"]})

    def topology_args(self) -> t.Dict[str, t.Any]:
        networks = [{"name": x["name"], "ipam_config": [{"subnet": x["subnet"]}]} for x in self.topo_networks]
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
        # One counting proxy per phase, so one playbook can run all phases and still count each.
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

    def start_proxies(self) -> None:
        for phase in (*PHASES, "other"):
            path = os.path.join(self.workdir, f"proxy-{phase}.sock")
            self.proxies[phase] = CountingProxy(path, self.docker_host).start()

    def stop_proxies(self) -> None:
        for proxy in self.proxies.values():
            proxy.stop()

    def host(self, phase: str) -> str:
        """Where a module run of this phase connects: its counting proxy, or the daemon itself with --no-count."""
        proxy = self.proxies.get(phase)
        return proxy.url if proxy is not None else self.docker_host

    def take(self, phase: str) -> t.Optional[t.List[str]]:
        proxy = self.proxies.get(phase)
        return proxy.take() if proxy is not None else None

    # ---- docker CLI (setup/teardown only) ----------------------------------

    def docker_cli(self, *argv: str, check: bool = True) -> str:
        proc = subprocess.run(["docker", *argv], env=self.cli_env, capture_output=True, text=True, check=False)
        if check and proc.returncode != 0:
            raise RuntimeError(f"docker {' '.join(argv)} failed: {proc.stderr.strip()}")
        return proc.stdout

    def cleanup(self) -> None:
        """Remove every bench- container and network (ours: the prefix is reserved for the benchmark)."""
        listed = self.docker_cli("container", "ls", "-a", "--filter", "name=^bench-", "--format", "{{.Names}}", check=False)
        names = [n for n in listed.split() if n.startswith("bench-")]
        if names:
            self.docker_cli("rm", "-f", *names, check=False)
        nets = [n for n in self.docker_cli("network", "ls", "--filter", "name=^bench-", "--format", "{{.Name}}", check=False).split()
                if n.startswith("bench-")]
        if nets:
            self.docker_cli("network", "rm", *nets, check=False)

    def start_pool(self, containers: t.Sequence[str]) -> None:
        running = set(self.docker_cli("container", "ls", "--filter", "name=^bench-c", "--format", "{{.Names}}", check=False).split())
        for name in containers:
            if name not in running:
                self.docker_cli("run", "-d", "--name", name, "--label", "dockernet.bench=1", self.args.image, "sleep", "3600")

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

    def timed(self, key: t.Tuple[t.Any, str, str], tasks: int, run: t.Callable[[], None]) -> float:
        start = time.perf_counter()
        run()
        elapsed = time.perf_counter() - start
        self.record(key, elapsed, tasks)
        return elapsed

    def counted(self, key: t.Tuple[t.Any, str, str], run: t.Callable[[str], None]) -> None:
        """One extra, untimed run of the floor through the counting proxy."""
        if "other" not in self.proxies:
            return
        self.take("other")
        run(self.host("other"))
        seen = self.take("other") or []
        self.requests.setdefault(key, seen)

    # ---- ansible-playbook -------------------------------------------------------------

    def write_json(self, name: str, data: t.Any) -> str:
        path = os.path.join(self.workdir, name)
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        return path

    def playbook(self, name: str, tasks: t.Sequence[t.Tuple[str, str, t.Mapping[str, str], t.Optional[str]]]) -> str:
        """A one-play playbook; each task is (name, module, args as raw YAML scalars, loop variable or None)."""
        lines = ["---", f"- name: bench {name}", "  hosts: localhost", "  connection: local", "  gather_facts: false", "  tasks:"]
        for task_name, module, body, loop in tasks:
            lines += [f"    - name: {task_name}", f"      {module}:"]
            lines += [f"        {key}: {value}" for key, value in body.items()]
            if loop:
                lines.append(f"      loop: \"{{{{ {loop} }}}}\"")
        path = os.path.join(self.workdir, f"{name}.yml")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        return path

    def ansible(self, playbook: str, extra: t.Mapping[str, t.Any], tag: str) -> t.List[t.Dict[str, t.Any]]:
        """Run one playbook; return the bench_timing record of each task (name, start, end, items, changed, failed)."""
        vars_file = self.write_json(f"vars-{tag}.json", {**extra, **{f"bench_host_{p.replace('-', '_')}": self.host(p) for p in PHASES}})
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

    def record_task(self, key: t.Tuple[t.Any, str, str], record: t.Mapping[str, t.Any], tasks: int, expect_changed: t.Optional[bool],
                    requests: t.Optional[t.List[str]]) -> None:
        """One task of a playbook as one run: its time from start to last result; a loop's items as per-task times."""
        if expect_changed is not None:
            want = tasks if expect_changed else 0
            if record["changed"] != want:
                raise RuntimeError(f"{key}: task {record['name']!r} reported {record['changed']} changed of {tasks}, expected {want}")
        stamps = [record["start"], *record["items"]]
        items = [b - a for a, b in zip(stamps, stamps[1:])] if record["items"] else None
        self.record(key, record["end"] - record["start"], tasks, requests, items)

    def direct(self, module: str, args: t.Mapping[str, t.Any], tag: str, expect_changed: bool) -> t.Callable[[], None]:
        """Run a module's file as a plain Python process (no controller, no AnsiballZ), straight at the daemon."""
        def run() -> None:
            path = self.write_json(f"args-{tag}.json", {"ANSIBLE_MODULE_ARGS": {**args, "docker_host": self.docker_host}})
            env = dict(self.env, PYTHONPATH=os.pathsep.join([self.collections, self.site_packages()]))
            proc = subprocess.run([self.python, "-m", module, path], env=env, capture_output=True, text=True, check=False)
            try:
                result = json.loads(proc.stdout.strip().splitlines()[-1])
            except (ValueError, IndexError):
                raise RuntimeError(f"{tag}: module printed no result (exit {proc.returncode}): {proc.stdout[-2000:]} {proc.stderr[-2000:]}") from None
            if result.get("failed") or bool(result.get("changed")) != expect_changed:
                raise RuntimeError(f"{tag}: unexpected result: {json.dumps(result)[:2000]}")
        return run

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
        n, nets, host = workload.size, workload.networks, self.docker_host
        if count:
            self.counted((n, "floor-net", "create"), lambda h: floor.networks_create(h, nets))
            self.counted((n, "floor-net", "no-change"), lambda h: floor.networks_check(h, nets))
            self.counted((n, "floor-net", "remove"), lambda h: floor.networks_remove(h, nets))
        for _cycle in self.cycles():
            self.timed((n, "floor-net", "create"), n, lambda: floor.networks_create(host, nets))
            for _run in range(self.args.noop_runs):
                self.timed((n, "floor-net", "no-change"), n, lambda: floor.networks_check(host, nets))
            self.timed((n, "floor-net", "remove"), n, lambda: floor.networks_remove(host, nets))

    def loop(self, workload: Workload, impl: str, module: str, direct: bool) -> None:
        """One create / no-change loop in one ansible-playbook, the module process alone, then the remove loop."""
        n, nets = workload.size, workload.networks
        body = {"name": '"{{ item.name }}"', "ipam_config": '"{{ [{\'subnet\': item.subnet}] }}"'}
        present = self.playbook(f"{impl}-present", [
            ("create", module, {**body, "docker_host": '"{{ bench_host_create }}"'}, "bench_networks"),
            ("no-change", module, {**body, "docker_host": '"{{ bench_host_no_change }}"'}, "bench_networks"),
        ])
        absent = self.playbook(f"{impl}-absent", [
            ("remove", module, {"name": '"{{ item.name }}"', "state": "absent", "docker_host": '"{{ bench_host_remove }}"'}, "bench_networks"),
        ])
        extra = {"bench_networks": nets}
        for phase in PHASES:
            self.take(phase)
        create, noop = self.ansible(present, extra, f"{impl}-{n}-present")
        self.record_task((n, impl, "create"), create, n, True, self.take("create"))
        self.record_task((n, impl, "no-change"), noop, n, False, self.take("no-change"))
        if direct:
            direct_module = ("ansible_collections.dockernet.core.plugins.modules.network" if impl == "dn-network"
                             else "ansible_collections.community.docker.plugins.modules.docker_network")
            direct_args = {"name": nets[0]["name"], "ipam_config": [{"subnet": nets[0]["subnet"]}]}
            run = self.direct(direct_module, direct_args, f"{impl}-{n}-direct", False)
            for _run in range(self.args.noop_runs):
                self.timed((n, f"{impl}-direct", "no-change"), 1, run)
        (remove,) = self.ansible(absent, extra, f"{impl}-{n}-absent")
        self.record_task((n, impl, "remove"), remove, n, True, self.take("remove"))

    def ping(self, workload: Workload) -> None:
        n = workload.size
        playbook = self.playbook("ping-loop", [("ping", "ansible.builtin.ping", {}, "bench_networks")])
        (record,) = self.ansible(playbook, {"bench_networks": workload.networks}, f"ping-{n}")
        self.record_task((n, "ping-loop", "no-change"), record, n, False, None)

    def floor_topology(self, workload: Workload, count: bool) -> None:
        n, tnets, attachments, host = workload.size, workload.topo_networks, workload.attachments, self.docker_host
        spec = {"networks": tnets, "attachments": attachments}
        fresh = self.fresh_floor("topology-check", spec, f"floor-topo-{n}")
        if count:
            self.counted((n, "floor-topo", "create"), lambda h: floor.topology_create(h, tnets, attachments))
            self.counted((n, "floor-topo", "no-change"), lambda h: floor.topology_check(h, tnets, attachments))
            self.counted((n, "floor-topo-proc", "no-change"), fresh)
            self.counted((n, "floor-topo", "remove"), lambda h: floor.topology_remove(h, tnets, attachments))
        for _cycle in self.cycles():
            self.timed((n, "floor-topo", "create"), 1, lambda: floor.topology_create(host, tnets, attachments))
            for _run in range(self.args.noop_runs):
                self.timed((n, "floor-topo", "no-change"), 1, lambda: floor.topology_check(host, tnets, attachments))
                self.timed((n, "floor-topo-proc", "no-change"), 1, lambda: fresh(host))
            self.timed((n, "floor-topo", "remove"), 1, lambda: floor.topology_remove(host, tnets, attachments))

    def topology(self, workload: Workload, size_key: t.Any, impl: str, direct: bool) -> None:
        """create and --noop-runs no-change tasks in one ansible-playbook, the module process alone, then remove."""
        body = {
            "name": TOPOLOGY_NAME,
            "networks": '"{{ bench_topology_networks }}"',
            "attachments": '"{{ bench_attachments }}"',
        }
        runs = self.args.noop_runs
        present = self.playbook(f"{impl}-present", [
            ("create", "dockernet.core.topology", {**body, "docker_host": '"{{ bench_host_create }}"'}, None),
            *[(f"no-change {i + 1}", "dockernet.core.topology", {**body, "docker_host": '"{{ bench_host_no_change }}"'}, None) for i in range(runs)],
        ])
        absent = self.playbook(f"{impl}-absent", [
            ("remove", "dockernet.core.topology", {**body, "state": "absent", "docker_host": '"{{ bench_host_remove }}"'}, None),
        ])
        extra = workload.topology_args()
        for phase in PHASES:
            self.take(phase)
        create, *noops = self.ansible(present, extra, f"{impl}-{size_key}-present")
        self.record_task((size_key, impl, "create"), create, 1, True, self.take("create"))
        seen = self.take("no-change")
        for record in noops:
            self.record_task((size_key, impl, "no-change"), record, 1, False, seen[: len(seen) // runs] if seen is not None else None)
        if direct:
            args = {"name": TOPOLOGY_NAME, "networks": extra["bench_topology_networks"], "attachments": workload.attachments}
            run = self.direct("ansible_collections.dockernet.core.plugins.modules.topology", args, f"{impl}-{size_key}-direct", False)
            for _run in range(runs):
                self.timed((size_key, f"{impl}-direct", "no-change"), 1, run)
        (remove,) = self.ansible(absent, extra, f"{impl}-{size_key}-absent")
        self.record_task((size_key, impl, "remove"), remove, 1, True, self.take("remove"))

    def run_size(self, size: int) -> None:
        workload = Workload(size, POOL_SIZE)
        first = size == min(self.args.sizes)
        self.cleanup()
        self.start_pool(workload.containers)
        try:
            log(f"N={size}: floor, networks")
            self.floor_networks(workload, count=first)
            log(f"N={size}: per-task loops (one run each; ms/task is the median task)")
            for impl, module in (("dn-network", "dockernet.core.network"), ("cd-network", "community.docker.docker_network")):
                self.loop(workload, impl, module, direct=True)
            if first:
                self.ping(workload)
            log(f"N={size}: floor, networks + attachments")
            self.floor_topology(workload, count=first)
            log(f"N={size}: dockernet.core.topology")
            for _cycle in self.cycles():
                self.topology(workload, size, "dn-topology", direct=_cycle == 0)
        finally:
            self.cleanup()

    def run_load(self) -> None:
        networks, attachments, containers = self.args.load
        workload = Workload(networks, containers, topo_prefix="bench-load", topo_base=LOAD_BASE, attachments=attachments)
        self.cleanup()
        self.start_pool(workload.containers)
        try:
            log(f"load: {networks} networks, {attachments} attachments over {len(workload.containers)} containers")
            self.topology(workload, LOAD, "load-topology", direct=False)
        finally:
            self.cleanup()


# --------------------------------------------------------------------------
# module start-up imports
# --------------------------------------------------------------------------

def _importtime(python: str, code: str, env: t.Mapping[str, str]) -> t.List[t.Tuple[int, int, int, str]]:
    """(self us, cumulative us, depth, name) for each import of `python -X importtime -c code`."""
    proc = subprocess.run([python, "-X", "importtime", "-c", code], env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"importtime run failed: {proc.stderr[-2000:]}")
    rows = []
    for line in proc.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            rows.append((int(match.group(1)), int(match.group(2)), (len(match.group(3)) - 1) // 2, match.group(4)))
    return rows


def _payload_zip(path: str, collections: str, collection_dirs: t.Sequence[str], site: str) -> None:
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
    site = bench.site_packages()
    modules = {
        "dockernet.core.network": ("ansible_collections.dockernet.core.plugins.modules.network", bench.collections),
        "dockernet.core.topology": ("ansible_collections.dockernet.core.plugins.modules.topology", bench.collections),
        "community.docker.docker_network": ("ansible_collections.community.docker.plugins.modules.docker_network", site),
    }
    payload = os.path.join(bench.workdir, "payload.zip")
    _payload_zip(payload, bench.collections, [(bench.collections, "ansible_collections/dockernet/core"),
                                              (site, "ansible_collections/community/docker")], site)
    env = {k: v for k, v in bench.env.items() if k not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")}
    result: t.Dict[str, t.Any] = {}
    for label, (module, base) in modules.items():
        entry: t.Dict[str, t.Any] = {}
        for mode in ("bytecode", "payload"):
            if mode == "bytecode":
                prefix = f"import sys; sys.path.insert(0, {base!r}); "
            else:
                prefix = f"import sys; sys.path.insert(0, {payload!r}); "
            probe = "print(' '.join(m for m in ('docker', 'requests', 'urllib3') if m in sys.modules)); "
            # What a task imports before its first request: dockernet.core loads the SDK when it connects.
            connect = ("from ansible_collections.dockernet.core.plugins.module_utils._client import docker_import_error; "
                       "docker_import_error()" if module.startswith("ansible_collections.dockernet") else "pass")
            code = prefix + f"import {module}; " + probe + connect
            samples: t.List[int] = []
            connect_samples: t.List[int] = []
            rows: t.List[t.Tuple[int, int, int, str]] = []
            for index in range(runs + 1):
                rows = _importtime(bench.python, code, env)
                if index == 0:
                    continue  # warm-up (writes bytecode caches where it can)
                samples.append(max((cum for _self, cum, _depth, name in rows if name == module), default=0))
                # docker, when it loads after the module (at connect), is a top-level import of its own
                connect_samples.append(samples[-1] + sum(cum for _self, cum, depth, name in rows if depth == 0 and name in ("docker", "requests")))
            proc = subprocess.run([bench.python, "-c", prefix + f"import {module}; " + probe], env=env, capture_output=True, text=True, check=False)
            by_package: t.Counter[str] = Counter()
            for self_us, _cum, _depth, name in rows:
                by_package[name.split(".")[0] if not name.startswith("ansible_collections") else ".".join(name.split(".")[:3])] += self_us
            cumulative = {name: cum for _self, cum, _depth, name in rows}
            entry[mode] = {
                "total_ms": statistics.median(samples) / 1000,
                "connect_ms": statistics.median(connect_samples) / 1000,
                "imports_docker_stack": proc.stdout.split(),
                "docker_ms": cumulative.get("docker", 0) / 1000,
                "requests_ms": cumulative.get("requests", 0) / 1000,
                "basic_ms": cumulative.get("ansible.module_utils.basic", 0) / 1000,
                "top": [(name, us / 1000) for name, us in by_package.most_common(8)],
            }
        result[label] = entry
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
            entry = self.imports.get(label, {}).get("bytecode")
            if entry:
                loaded = entry["imports_docker_stack"]
                out.append(f"- {'MET   ' if not loaded else 'NOTE  '} {label}: importing the module loads "
                           f"{', '.join(loaded) if loaded else 'neither docker nor requests (they load when the task connects)'} "
                           f"({entry['total_ms']:.0f} ms with bytecode caches, {self.imports[label]['payload']['total_ms']:.0f} ms from a payload zip)")
        return "\n".join(out)

    def load_text(self) -> str:
        if not self.bench.times.get((LOAD, "load-topology", "create")):
            return "(not run: --no-load)"
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

    def imports_text(self) -> str:
        out = ["| module | import, bytecode cached (ms) | import from payload zip (ms) | + the SDK at connect, payload zip (ms) "
               "| of which ansible.module_utils.basic | docker/requests loaded by the import |",
               "|---|---:|---:|---:|---:|---|"]
        for label, entry in self.imports.items():
            b, p = entry["bytecode"], entry["payload"]
            out.append(f"| {label} | {b['total_ms']:.0f} | {p['total_ms']:.0f} | {p['connect_ms']:.0f} | {p['basic_ms']:.0f} | "
                       f"{', '.join(b['imports_docker_stack']) or 'none'} |")
        out.append("")
        for label, entry in self.imports.items():
            top = ", ".join(f"{name} {ms:.0f}" for name, ms in entry["payload"]["top"])
            out.append(f"- {label}, self time by package (payload zip, ms): {top}")
        return "\n".join(out)

    def machine_text(self) -> str:
        return "\n".join(f"- {key}: {value}" for key, value in self.machine.items())

    def render(self, elapsed: float) -> str:
        args = self.bench.args
        settings = (f"sizes {','.join(map(str, self.sizes))}; create/no-change/remove cycles repeated up to {args.repeat} times within "
                    f"{args.budget:.0f} s each; {args.noop_runs} no-change runs per cycle (the per-task loops: 1); container pool {POOL_SIZE}")
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
            "### Module start-up imports",
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
    parser.add_argument("--budget", type=float, default=60.0, help="seconds after which a measurement's cycles stop repeating (default 60)")
    parser.add_argument("--noop-runs", type=int, default=5, help="no-change runs per cycle, except the per-task loops (default 5)")
    parser.add_argument("--load", default="300,600,50", help="load run: networks,attachments,containers (default 300,600,50)")
    parser.add_argument("--no-load", action="store_true", help="skip the load run")
    parser.add_argument("--quick", action="store_true", help="smoke run: N=5, load 20,40,10, one cycle, 2 no-change runs")
    parser.add_argument("--no-count", action="store_true", help="do not count requests (no counting proxies)")
    parser.add_argument("--collections", required=True, help="directory holding ansible_collections/dockernet/core")
    parser.add_argument("--image", default="dockernet-test/busybox:latest", help="image of the attachment containers")
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "dockernet-bench"))
    parser.add_argument("--report", help="also write the report (markdown) to this file")
    parser.add_argument("--update-doc", help="replace the bench:begin/end section of this markdown file with the report")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeat, args.noop_runs, args.load = "5", 1, 2, "20,40,10"
    args.sizes = sorted({int(s) for s in str(args.sizes).split(",") if s.strip()})
    args.load = tuple(int(x) for x in str(args.load).split(","))
    if not args.sizes or min(args.sizes) < 1 or max(args.sizes) > 250 or args.repeat < 1 or args.noop_runs < 1:
        parser.error("sizes must be 1..250, --repeat and --noop-runs at least 1")
    if len(args.load) != 3 or not 1 <= args.load[0] <= 512 or args.load[1] < 1 or not 1 <= args.load[2] <= 99:
        parser.error("--load is NETWORKS,ATTACHMENTS,CONTAINERS with at most 512 networks and 99 containers")
    # the command line as the user typed it, without the paths the wrapper adds
    cleaned, skip = [], False
    for item in argv:
        if skip:
            skip = False
            continue
        if item in ("--collections", "--workdir", "--report", "--update-doc", "--image"):
            skip = True
            continue
        if item.startswith(("--collections=", "--workdir=", "--report=", "--update-doc=", "--image=")):
            continue
        cleaned.append(item)
    args.original_argv = cleaned

    started = time.time()
    bench = Bench(args)
    if not args.no_count:
        bench.start_proxies()
    machine_info = machine(bench)
    log("machine: " + "; ".join(f"{k}={v}" for k, v in machine_info.items()))
    try:
        log("module start-up imports (python -X importtime)")
        imports = import_profile(bench, runs=3 if args.quick else 7)
        log("warm-up: one ansible-playbook run (not timed)")
        bench.ansible(bench.playbook("warm-up", [("ping", "ansible.builtin.ping", {}, None)]), {}, "warm-up")
        for size in args.sizes:
            bench.run_size(size)
        if not args.no_load:
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
