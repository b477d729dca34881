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

PER_TASK_BASE = 200  # 10.200.0.0/16 onwards: per-task loops and their floor
TOPOLOGY_BASE = 220  # 10.220.0.0/16 onwards: topology and its floor
TOPOLOGY_NAME = "bench-topo"
POOL_SIZE = 20
PHASES = ("create", "no-change", "remove")

# implementation keys -> label in the table
LABELS = {
    "floor-net": "floor: Docker SDK, in-process (networks)",
    "dn-network": "dockernet.core.network loop",
    "cd-network": "community.docker.docker_network loop",
    "ping-loop": "ansible.builtin.ping loop (Ansible's own cost)",
    "ping-one": "ansible.builtin.ping, 1 task",
    "dn-network-direct": "dockernet.core.network, module process only",
    "cd-network-direct": "community.docker.docker_network, module process only",
    "floor-topo": "floor: Docker SDK, in-process (networks + attachments)",
    "floor-topo-proc": "floor: Docker SDK, fresh process (networks + attachments)",
    "dn-topology": "dockernet.core.topology, 1 task",
    "dn-topology-direct": "dockernet.core.topology, module process only",
}


def log(message: str) -> None:
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def subnet(base: int, index: int) -> str:
    return f"10.{base + index // 256}.{index % 256}.0/24"


class Workload:
    """The networks, containers and attachments of one size N."""

    def __init__(self, size: int, pool: int) -> None:
        self.size = size
        self.networks = [{"name": f"bench-net-{i:03d}", "subnet": subnet(PER_TASK_BASE, i)} for i in range(size)]
        self.topo_networks = [{"name": f"bench-topo-{i:03d}", "subnet": subnet(TOPOLOGY_BASE, i)} for i in range(size)]
        self.containers = [f"bench-c{j:02d}" for j in range(min(pool, 2 * size))]
        # 2N attachments: network k gets containers 2k and 2k+1 (mod pool), each with one alias.
        self.attachments = []
        for index in range(2 * size):
            network = self.topo_networks[index // 2]["name"]
            container = self.containers[index % len(self.containers)]
            self.attachments.append({"container": container, "network": network, "aliases": [f"svc{index}"]})


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
        self.proxy: t.Optional[CountingProxy] = None
        # (size, impl, phase) -> list of seconds; -> request lists of the counting pass
        self.times: t.Dict[t.Tuple[int, str, str], t.List[float]] = defaultdict(list)
        self.requests: t.Dict[t.Tuple[int, str, str], t.List[str]] = {}
        self.tasks: t.Dict[t.Tuple[int, str, str], int] = {}
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
        })
        self.env.pop("ANSIBLE_CONFIG", None)
        self.cli_env = dict(os.environ, DOCKER_HOST=self.docker_host)

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
        nets = [n for n in self.docker_cli("network", "ls", "--filter", "name=^bench-", "--format", "{{.Name}}", check=False).split() if n.startswith("bench-")]
        if nets:
            self.docker_cli("network", "rm", *nets, check=False)

    def start_pool(self, workload: Workload) -> None:
        for name in workload.containers:
            self.docker_cli("run", "-d", "--name", name, "--label", "dockernet.bench=1", self.args.image, "sleep", "3600")

    # ---- one measured run ------------------------------------------------------

    def host_for(self, counting: bool) -> str:
        return self.proxy.url if counting and self.proxy is not None else self.docker_host

    def measure(self, size: int, impl: str, phase: str, counting: bool, tasks: int, run: t.Callable[[str], None]) -> None:
        if counting and self.proxy is not None:
            self.proxy.take()
        start = time.perf_counter()
        run(self.host_for(counting))
        elapsed = time.perf_counter() - start
        key = (size, impl, phase)
        self.tasks[key] = tasks
        if counting:
            if self.proxy is not None:
                self.requests[key] = self.proxy.take()
        else:
            self.times[key].append(elapsed)
        log(f"N={size} {impl:<19} {phase:<9} {'(count)' if counting else f'{elapsed:8.3f} s'}")

    def write_json(self, name: str, data: t.Any) -> str:
        path = os.path.join(self.workdir, name)
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        return path

    def playbook(self, name: str, module: str, body: t.Mapping[str, str], loop: t.Optional[str]) -> str:
        """Write a one-play, one-task playbook; body values are raw YAML scalars."""
        lines = [
            "---",
            f"- name: bench {name}",
            "  hosts: localhost",
            "  connection: local",
            "  gather_facts: false",
            "  tasks:",
            f"    - name: {module}",
            f"      {module}:",
        ]
        lines += [f"        {key}: {value}" for key, value in body.items()]
        if loop:
            lines.append(f"      loop: \"{{{{ {loop} }}}}\"")
        path = os.path.join(self.workdir, f"{name}.yml")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        return path

    def ansible(self, playbook: str, extra: t.Mapping[str, t.Any], expect_changed: t.Optional[bool], tag: str) -> t.Callable[[str], None]:
        def run(docker_host: str) -> None:
            vars_file = self.write_json(f"vars-{tag}.json", {**extra, "bench_docker_host": docker_host})
            cmd = [os.path.join(self.bindir, "ansible-playbook"), "-i", "localhost,", playbook, "-e", "@" + vars_file]
            logfile = os.path.join(self.workdir, "logs", f"{tag}.log")
            with open(logfile, "w", encoding="utf-8") as out:
                proc = subprocess.run(cmd, env=self.env, stdout=out, stderr=subprocess.STDOUT, check=False)
            with open(logfile, encoding="utf-8") as handle:
                text = handle.read()
            recap = re.search(r"localhost\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", text)
            if proc.returncode != 0 or recap is None or recap.group(3) != "0" or recap.group(4) != "0":
                raise RuntimeError(f"ansible-playbook failed ({tag}, exit {proc.returncode}); see {logfile}:\n{text[-3000:]}")
            if expect_changed is not None and (recap.group(2) != "0") != expect_changed:
                raise RuntimeError(f"{tag}: expected changed={'1' if expect_changed else '0'}, got changed={recap.group(2)}; see {logfile}")
        return run

    def direct(self, module: str, args: t.Mapping[str, t.Any], tag: str, expect_changed: bool) -> t.Callable[[str], None]:
        """Run a module's file as a plain Python process (no controller, no AnsiballZ)."""
        def run(docker_host: str) -> None:
            path = self.write_json(f"args-{tag}.json", {"ANSIBLE_MODULE_ARGS": {**args, "docker_host": docker_host}})
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

    # ---- one pass over the whole workload of one size -------------------------

    def one_pass(self, workload: Workload, counting: bool, with_ping: bool, count_loops_fully: bool = True) -> None:
        """One create / no-change / remove cycle of every implementation.

        A counting pass at a larger size counts the per-task loops' no-change run only (their
        create and remove cost the same requests per task at every size, and take long).
        """
        n = workload.size
        nets = workload.networks
        measure = self.measure

        # 1. floor, networks only
        measure(n, "floor-net", "create", counting, n, lambda h: floor.networks_create(h, nets))
        measure(n, "floor-net", "no-change", counting, n, lambda h: floor.networks_check(h, nets))
        measure(n, "floor-net", "remove", counting, n, lambda h: floor.networks_remove(h, nets))

        # 2./3. per-task loops
        for impl, module in (("dn-network", "dockernet.core.network"), ("cd-network", "community.docker.docker_network")):
            present = self.playbook(f"{impl}-present", module, {
                "name": '"{{ item.name }}"',
                "ipam_config": '"{{ [{\'subnet\': item.subnet}] }}"',
                "docker_host": '"{{ bench_docker_host }}"',
            }, "bench_networks")
            absent = self.playbook(f"{impl}-absent", module, {
                "name": '"{{ item.name }}"',
                "state": "absent",
                "docker_host": '"{{ bench_docker_host }}"',
            }, "bench_networks")
            extra = {"bench_networks": nets}
            short = counting and not count_loops_fully
            if short:
                floor.networks_create(self.docker_host, nets)
            else:
                measure(n, impl, "create", counting, n, self.ansible(present, extra, True, f"{impl}-{n}-create"))
            measure(n, impl, "no-change", counting, n, self.ansible(present, extra, False, f"{impl}-{n}-noop"))
            # the module alone, one network, already converged
            direct_module = ("ansible_collections.dockernet.core.plugins.modules.network" if impl == "dn-network"
                             else "ansible_collections.community.docker.plugins.modules.docker_network")
            direct_args = {"name": nets[0]["name"], "ipam_config": [{"subnet": nets[0]["subnet"]}]}
            measure(n, f"{impl}-direct", "no-change", counting, 1, self.direct(direct_module, direct_args, f"{impl}-{n}-direct", False))
            if short:
                floor.networks_remove(self.docker_host, nets)
            else:
                measure(n, impl, "remove", counting, n, self.ansible(absent, extra, True, f"{impl}-{n}-remove"))

        # Ansible's own per-task cost: the same loop with a module that does nothing
        if with_ping and not counting:
            ping = self.playbook("ping-loop", "ansible.builtin.ping", {}, "bench_networks")
            measure(n, "ping-loop", "no-change", counting, n, self.ansible(ping, {"bench_networks": nets}, False, f"ping-{n}"))
            one = self.playbook("ping-one", "ansible.builtin.ping", {}, None)
            measure(n, "ping-one", "no-change", counting, 1, self.ansible(one, {}, False, f"ping-one-{n}"))

        # 4. topology: N networks + 2N attachments in one task
        tnets, attachments = workload.topo_networks, workload.attachments
        spec = {"networks": tnets, "attachments": attachments}
        measure(n, "floor-topo", "create", counting, 1, lambda h: floor.topology_create(h, tnets, attachments))
        measure(n, "floor-topo", "no-change", counting, 1, lambda h: floor.topology_check(h, tnets, attachments))
        measure(n, "floor-topo-proc", "no-change", counting, 1, self.fresh_floor("topology-check", spec, f"floor-topo-{n}"))
        measure(n, "floor-topo", "remove", counting, 1, lambda h: floor.topology_remove(h, tnets, attachments))

        topo_networks = [{"name": x["name"], "ipam_config": [{"subnet": x["subnet"]}]} for x in tnets]
        present = self.playbook("dn-topology-present", "dockernet.core.topology", {
            "name": TOPOLOGY_NAME,
            "networks": '"{{ bench_topology_networks }}"',
            "attachments": '"{{ bench_attachments }}"',
            "docker_host": '"{{ bench_docker_host }}"',
        }, None)
        absent = self.playbook("dn-topology-absent", "dockernet.core.topology", {
            "name": TOPOLOGY_NAME,
            "state": "absent",
            "networks": '"{{ bench_topology_networks }}"',
            "attachments": '"{{ bench_attachments }}"',
            "docker_host": '"{{ bench_docker_host }}"',
        }, None)
        extra = {"bench_topology_networks": topo_networks, "bench_attachments": attachments}
        measure(n, "dn-topology", "create", counting, 1, self.ansible(present, extra, True, f"dn-topology-{n}-create"))
        measure(n, "dn-topology", "no-change", counting, 1, self.ansible(present, extra, False, f"dn-topology-{n}-noop"))
        direct_args = {"name": TOPOLOGY_NAME, "networks": topo_networks, "attachments": attachments}
        measure(n, "dn-topology-direct", "no-change", counting, 1,
                self.direct("ansible_collections.dockernet.core.plugins.modules.topology", direct_args, f"dn-topology-{n}-direct", False))
        measure(n, "dn-topology", "remove", counting, 1, self.ansible(absent, extra, True, f"dn-topology-{n}-remove"))

    def run_size(self, size: int) -> None:
        workload = Workload(size, POOL_SIZE)
        self.cleanup()
        self.start_pool(workload)
        try:
            if self.proxy is not None:
                log(f"N={size}: counting pass through the proxy (also the warm-up; not timed)")
                self.one_pass(workload, counting=True, with_ping=False, count_loops_fully=size == min(self.args.sizes))
            for rep in range(self.args.repeat):
                log(f"N={size}: timed pass {rep + 1}/{self.args.repeat}")
                self.one_pass(workload, counting=False, with_ping=size == min(self.args.sizes))
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
            code = prefix + f"import {module}; " + "print(' '.join(m for m in ('docker', 'requests', 'urllib3') if m in sys.modules))"
            samples = []
            rows: t.List[t.Tuple[int, int, int, str]] = []
            for index in range(runs + 1):
                rows = _importtime(bench.python, code, env)
                if index == 0:
                    continue  # warm-up (writes bytecode caches where it can)
                samples.append(max((cum for _self, cum, _depth, name in rows if name == module), default=0))
            proc = subprocess.run([bench.python, "-c", code], env=env, capture_output=True, text=True, check=False)
            by_package: t.Counter[str] = Counter()
            for self_us, _cum, _depth, name in rows:
                by_package[name.split(".")[0] if not name.startswith("ansible_collections") else ".".join(name.split(".")[:3])] += self_us
            cumulative = {name: cum for _self, cum, _depth, name in rows}
            entry[mode] = {
                "total_ms": statistics.median(samples) / 1000,
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

    def median(self, size: int, impl: str, phase: str) -> t.Optional[float]:
        samples = self.bench.times.get((size, impl, phase))
        return statistics.median(samples) if samples else None

    def reqs_per_task(self, size: int, impl: str, phase: str) -> t.Optional[float]:
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
        ("ping-one", "no-change", None, None),
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
    )

    def table(self) -> str:
        header = ["N", "what", "phase", "tasks", "time s", "ms/task", "× floor", "× c.docker", "API req/task"]
        rows = []
        for size in self.sizes:
            for impl, phase, floor_impl, cd_impl in self.ROWS:
                value = self.median(size, impl, phase)
                if value is None:
                    continue
                tasks = self.bench.tasks.get((size, impl, phase), 1)
                floor_value = self.median(size, floor_impl, phase) if floor_impl else None
                cd_value = self.median(size, cd_impl, phase) if cd_impl else None
                reqs = self.reqs_per_task(size, impl, phase)
                rows.append([
                    str(size), LABELS[impl], phase, str(tasks), f"{value:.3f}", f"{value * 1000 / tasks:.1f}",
                    fmt_ratio(value / floor_value if floor_value else None),
                    fmt_ratio(value / cd_value if cd_value else None),
                    "—" if reqs is None else (f"{reqs:.0f}" if reqs == int(reqs) else f"{reqs:.2f}"),
                ])
        widths = [max(len(header[i]), *(len(r[i]) for r in rows)) if rows else len(header[i]) for i in range(len(header))]
        right = {0, 3, 4, 5, 6, 7, 8}

        def line(cells: t.Sequence[str]) -> str:
            return "| " + " | ".join(c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(cells)) + " |"

        sep = "|" + "|".join(("-" * (w + 1) + ":") if i in right else ("-" * (w + 2)) for i, w in enumerate(widths)) + "|"
        return "\n".join([line(header), sep] + [line(r) for r in rows])

    def breakdown(self) -> str:
        """Which requests each module sends, per phase, at the largest size (from the counting pass)."""
        out = []
        for impl in ("floor-net", "dn-network", "cd-network", "floor-topo", "dn-topology"):
            for phase in PHASES:
                size = max((s for s in self.sizes if (s, impl, phase) in self.bench.requests), default=None)
                if size is None:
                    continue
                seen = self.bench.requests.get((size, impl, phase))
                if seen is None:
                    continue
                counts = Counter(seen)
                parts = ", ".join(f"{req} ×{count}" for req, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
                out.append(f"- {LABELS[impl]}, {phase}, N={size} ({len(seen)} requests): {parts}")
        return "\n".join(out)

    def targets(self) -> str:
        out = []
        big = max(self.sizes)
        for size in self.sizes:
            for phase in PHASES:
                dn, cd = self.median(size, "dn-network", phase), self.median(size, "cd-network", phase)
                if dn and cd:
                    ratio = dn / cd
                    out.append(f"- {'MET   ' if ratio <= 1.0 else 'MISSED'} per-task network vs community.docker, N={size}, {phase}: "
                               f"ratio {ratio:.2f} (target <= 1.00)")
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
            out.append(f"- {'MET   ' if ratio <= 2.0 else 'MISSED'} converged topology N={big} (+{2 * big} attachments) vs the SDK floor "
                       f"(in-process): {ratio:.1f}x (target <= 2x)")
        direct, proc = self.median(big, "dn-topology-direct", "no-change"), self.median(big, "floor-topo-proc", "no-change")
        if direct and proc:
            ratio = direct / proc
            out.append(f"- {'MET   ' if ratio <= 2.0 else 'MISSED'} converged topology N={big}, module process vs SDK floor "
                       f"in a fresh process: {ratio:.1f}x (target <= 2x)")
        cd = self.median(big, "cd-network", "no-change")
        if topo and cd:
            speedup = cd / topo
            out.append(f"- {'MET   ' if speedup >= 15 else 'MISSED'} converged topology N={big} vs the community.docker loop "
                       f"(no-change): {speedup:.1f}x faster (target >= 15x)")
        for label in ("dockernet.core.network", "dockernet.core.topology"):
            entry = self.imports.get(label, {}).get("bytecode")
            if entry:
                loaded = entry["imports_docker_stack"]
                out.append(f"- {'NOTE  '} {label} import loads {', '.join(loaded) if loaded else 'no docker/requests'} at module import "
                           f"({entry['total_ms']:.0f} ms with bytecode caches, "
                           f"{self.imports[label]['payload']['total_ms']:.0f} ms from a payload zip)")
        return "\n".join(out)

    def imports_text(self) -> str:
        out = ["| module | import, bytecode cached (ms) | import from payload zip (ms) | of which ansible.module_utils.basic "
               "| docker | requests | docker/requests at import |",
               "|---|---:|---:|---:|---:|---:|---|"]
        for label, entry in self.imports.items():
            b, p = entry["bytecode"], entry["payload"]
            out.append(f"| {label} | {b['total_ms']:.0f} | {p['total_ms']:.0f} | {p['basic_ms']:.0f} | {p['docker_ms']:.0f} | "
                       f"{p['requests_ms']:.0f} | {', '.join(b['imports_docker_stack']) or 'none'} |")
        out.append("")
        for label, entry in self.imports.items():
            top = ", ".join(f"{name} {ms:.0f}" for name, ms in entry["payload"]["top"])
            out.append(f"- {label}, self time by package (payload zip, ms): {top}")
        return "\n".join(out)

    def machine_text(self) -> str:
        return "\n".join(f"- {key}: {value}" for key, value in self.machine.items())

    def render(self, elapsed: float) -> str:
        settings = f"sizes {','.join(map(str, self.sizes))}, median of {self.bench.args.repeat} run(s), container pool {POOL_SIZE}"
        return "\n".join([
            "## Results",
            "",
            "Command: `" + " ".join(["bash tests/benchmark/run", *self.bench.args.original_argv]) + "`",
            f"({settings}; whole run {elapsed / 60:.1f} min; load average at end {' '.join(f'{x:.2f}' for x in os.getloadavg())})",
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
            "### Requests sent (counting pass, at the transport)",
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
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per measurement; the median is shown (default 3)")
    parser.add_argument("--quick", action="store_true", help="smoke run: N=5, 1 repeat")
    parser.add_argument("--no-count", action="store_true", help="skip the counting pass through the proxy")
    parser.add_argument("--collections", required=True, help="directory holding ansible_collections/dockernet/core")
    parser.add_argument("--image", default="dockernet-test/busybox:latest", help="image of the attachment containers")
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "dockernet-bench"))
    parser.add_argument("--report", help="also write the report (markdown) to this file")
    parser.add_argument("--update-doc", help="replace the bench:begin/end section of this markdown file with the report")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeat = "5", 1
    args.sizes = sorted({int(s) for s in str(args.sizes).split(",") if s.strip()})
    if not args.sizes or min(args.sizes) < 1 or max(args.sizes) > 2000 or args.repeat < 1:
        parser.error("sizes must be 1..2000 and --repeat at least 1")
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
        bench.proxy = CountingProxy(os.path.join(bench.workdir, "proxy.sock"), bench.docker_host).start()
    machine_info = machine(bench)
    log("machine: " + "; ".join(f"{k}={v}" for k, v in machine_info.items()))
    try:
        log("module start-up imports (python -X importtime)")
        imports = import_profile(bench, runs=3 if args.quick else 7)
        for size in args.sizes:
            bench.run_size(size)
    finally:
        bench.cleanup()
        if bench.proxy is not None:
            bench.proxy.stop()
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
