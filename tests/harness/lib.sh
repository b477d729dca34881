# shellcheck shell=bash disable=SC2034
# (SC2034: the DN_* globals set here are used by the scripts that source this file)
# Shared functions for the dockernet.core test harness (tests/run, tests/demo).
#
# Source this file from a bash script that runs with `set -euo pipefail`, then
# call dn_init before anything else. Everything the harness creates lives under
# <repo>/.tmp/ (venv, collection copy, private Docker engine, logs), except the
# engine's sockets when the repository path is too long for a unix socket, and
# the pip bootstrap stand-in under ~/.ansible/test/cache/.

if [[ -n "${DN_LIB_LOADED:-}" ]]; then
    return 0
fi
DN_LIB_LOADED=1

DN_TEST_IMAGE="${DOCKERNET_TEST_IMAGE:-dockernet-test/busybox:latest}"
# The integration targets of the six modules: what the podman and debian12 suites run again.
DN_MODULE_TARGETS=(network_info network network_attachment network_prune topology network_probe)
# Python packages of the controller venv (the collection's own requirements.txt is added).
DN_VENV_PACKAGES=(
    "ansible-core${DOCKERNET_ANSIBLE_CORE_SPEC:->=2.19,<2.20}"
    "docker>=7.0"
    "requests"
    "pytest"
)

# --------------------------------------------------------------------------
# messages
# --------------------------------------------------------------------------

dn_log() {
    printf '[dockernet %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

dn_warn() {
    printf '[dockernet %s] WARNING: %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

dn_die() {
    printf '[dockernet %s] ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2
    exit 1
}

# Print the last lines of a log file to stderr (used when a step fails).
dn_show_log() {
    local file="$1" lines="${2:-40}"
    if [[ -s "$file" ]]; then
        printf -- '----- last %s lines of %s -----\n' "$lines" "$file" >&2
        tail -n "$lines" "$file" >&2 || true
        printf -- '----- end of %s -----\n' "$file" >&2
    fi
}

# --------------------------------------------------------------------------
# paths
# --------------------------------------------------------------------------

# dn_init: resolve the repository root from this file's location and set the
# global paths. Safe to call more than once.
dn_init() {
    local here
    here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
    DN_REPO="$(cd -- "$here/../.." && pwd -P)"
    DN_TMP="$DN_REPO/.tmp"
    DN_VENV="$DN_TMP/venv"
    DN_PY="$DN_VENV/bin/python"
    DN_LOGS="$DN_TMP/logs"
    DN_COLLECTIONS="$DN_TMP/collections"
    DN_COLLECTION_DIR="$DN_COLLECTIONS/ansible_collections/dockernet/core"
    DN_ENGINE_STARTED=0
    DN_ENGINE_PID=""
    DN_VENV_CHANGED=0
    mkdir -p "$DN_TMP" "$DN_LOGS"
    [[ -f "$DN_REPO/galaxy.yml" ]] || dn_die "no galaxy.yml in $DN_REPO: is this the collection root?"
}

dn_is_root() {
    [[ "$(id -u)" == 0 ]]
}

# --------------------------------------------------------------------------
# system packages
# --------------------------------------------------------------------------

DN_APT_UPDATED=0

# dn_apt_install PKG...: install Debian packages (root only), quietly.
dn_apt_install() {
    local log="$DN_LOGS/apt.log"
    dn_is_root || dn_die "need root to install $* (apt-get); install them by hand"
    command -v apt-get >/dev/null 2>&1 || dn_die "apt-get not found; install $* by hand"
    dn_log "installing $* with apt-get (log: $log)"
    # another apt run (e.g. a provisioning step) may hold the lock: wait for it
    local i
    for i in $(seq 1 120); do
        if ! fuser /var/lib/dpkg/lock-frontend >/dev/null 2>&1 && ! fuser /var/lib/apt/lists/lock >/dev/null 2>&1; then
            break
        fi
        [[ "$i" == 1 ]] && dn_log "waiting for another apt/dpkg process to finish"
        sleep 2
    done
    if [[ "$DN_APT_UPDATED" == 0 ]]; then
        if ! DEBIAN_FRONTEND=noninteractive apt-get update >>"$log" 2>&1; then
            dn_show_log "$log"
            dn_die "apt-get update failed"
        fi
        DN_APT_UPDATED=1
    fi
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >>"$log" 2>&1; then
        dn_show_log "$log"
        dn_die "apt-get install $* failed"
    fi
}

# --------------------------------------------------------------------------
# engine builds
# --------------------------------------------------------------------------
# DOCKERNET_ENGINE picks the Docker Engine build the harness starts (private engine, swarm rig)
# and whose docker CLI it uses:
#   current   docker.io of Debian unstable (28.x at the time of writing): the default
#   trixie    docker.io of Debian 13 (26.1)
#   debian12  docker.io of this machine's Debian 12 (20.10, API 1.41), installed with apt-get
# current and trixie are fetched with apt-get download through a private sources list and
# lists directory under .tmp/engines/ (the system's apt sources are never touched), unpacked
# with dpkg-deb -x, and run with PATH leading to their dockerd, containerd and docker-proxy and
# to the system's runc (unstable's runc needs a newer glibc than Debian 12 has).

DN_ENGINE_CHOICES=(current trixie debian12)

# dn_engine_choice: validate DOCKERNET_ENGINE into DN_ENGINE_CHOICE.
dn_engine_choice() {
    DN_ENGINE_CHOICE="${DOCKERNET_ENGINE:-current}"
    case "$DN_ENGINE_CHOICE" in
        current | trixie | debian12) ;;
        *) dn_die "DOCKERNET_ENGINE=$DN_ENGINE_CHOICE: expected one of ${DN_ENGINE_CHOICES[*]}" ;;
    esac
}

# dn_debian_mirror: the Debian mirror the system's own apt sources name (not the security one).
dn_debian_mirror() {
    local url
    url="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
        | awk '$1 == "deb" && $3 !~ /security/ && $2 ~ /^https?:/ { print $2; exit }')"
    if [[ -z "$url" ]]; then
        url="$(awk '/^URIs:/ { uri = $2 } /^Suites:/ && uri != "" && $0 !~ /security/ { print uri; exit }' \
            /etc/apt/sources.list.d/*.sources 2>/dev/null)"
    fi
    printf '%s\n' "${url:-http://deb.debian.org/debian}"
}

# dn_fetch_engine SUITE: download and unpack docker.io, docker-cli and containerd of a Debian
# suite (unstable or trixie) under .tmp/engines/SUITE; sets DN_ENGINE_BIN (dirs for PATH) and
# DN_ENGINE_PACKAGE (the docker.io version). A warm run reuses what it unpacked before.
dn_fetch_engine() {
    local suite="$1" dir="$DN_TMP/engines/$1" log="$DN_LOGS/engine-fetch-$1.log" version root deb
    command -v apt-get >/dev/null 2>&1 || { dn_warn "apt-get not found: cannot fetch the $suite engine"; return 1; }
    command -v dpkg-deb >/dev/null 2>&1 || { dn_warn "dpkg-deb not found: cannot unpack the $suite engine"; return 1; }
    mkdir -p "$dir/apt/lists/partial" "$dir/apt/cache/archives/partial" "$dir/debs"
    printf 'deb %s %s main\n' "$(dn_debian_mirror)" "$suite" >"$dir/apt/sources.list"
    local opts=(
        -o "Dir::Etc::SourceList=$dir/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
        -o "Dir::State::Lists=$dir/apt/lists" -o "Dir::Cache=$dir/apt/cache"
        -o APT::Sandbox::User=root
    )
    : >"$log"
    if ! apt-get "${opts[@]}" -q update >>"$log" 2>&1; then
        dn_show_log "$log" 10
        dn_warn "apt-get update of Debian $suite failed"
        return 1
    fi
    version="$(apt-cache "${opts[@]}" show docker.io 2>>"$log" | awk '/^Version:/ { print $2; exit }')"
    [[ -n "$version" ]] || { dn_warn "Debian $suite lists no docker.io"; return 1; }
    root="$dir/root-${version//[^A-Za-z0-9.+-]/_}"
    if [[ ! -x "$root/usr/sbin/dockerd" || ! -x "$root/usr/bin/docker" || ! -x "$root/usr/bin/containerd" ]]; then
        dn_log "fetching docker.io $version, docker-cli and containerd from Debian $suite (log: $log)"
        rm -rf "$dir/debs" "$root.partial"
        mkdir -p "$dir/debs" "$root.partial"
        if ! (cd "$dir/debs" && apt-get "${opts[@]}" -q download docker.io docker-cli containerd >>"$log" 2>&1); then
            dn_show_log "$log" 10
            dn_warn "apt-get download from Debian $suite failed"
            return 1
        fi
        for deb in "$dir/debs"/*.deb; do
            dpkg-deb -x "$deb" "$root.partial" || { dn_warn "dpkg-deb -x $deb failed"; return 1; }
        done
        rm -rf "$root" "$dir/debs"
        mv "$root.partial" "$root"
        # earlier versions' trees
        find "$dir" -mindepth 1 -maxdepth 1 -name 'root-*' ! -path "$root" -exec rm -rf {} +
    fi
    DN_ENGINE_BIN="$root/usr/bin:$root/usr/sbin"
    DN_ENGINE_PACKAGE="docker.io $version (Debian $suite)"
}

# dn_engine_runs BINDIRS: the dockerd, containerd and docker of that build run on this machine
# (a build for a newer glibc fails at once).
dn_engine_runs() {
    local bindirs="$1"
    PATH="$bindirs:$PATH" dockerd --version >/dev/null 2>&1 \
        && PATH="$bindirs:$PATH" containerd --version >/dev/null 2>&1 \
        && PATH="$bindirs:$PATH" docker --version >/dev/null 2>&1
}

# dn_ensure_engine_build: make DOCKERNET_ENGINE's dockerd and docker CLI the first on PATH.
# unstable's build falls back to trixie's, with a message, when it cannot be fetched or run here.
dn_ensure_engine_build() {
    [[ -n "${DN_ENGINE_BUILD_READY:-}" ]] && return 0
    dn_engine_choice
    if [[ "$DN_ENGINE_CHOICE" == debian12 ]]; then
        dn_ensure_debian12_engine
        DN_ENGINE_PACKAGE="docker.io $(dpkg-query -W -f '${Version}' docker.io 2>/dev/null || echo '?') (Debian 12)"
        DN_ENGINE_BUILD_READY=1
        return 0
    fi
    dn_is_root || dn_die "DOCKERNET_ENGINE=$DN_ENGINE_CHOICE: fetching and running that engine needs root; set DOCKER_HOST to an engine instead"
    # the system's runc and iptables serve the fetched engine
    local missing=()
    command -v runc >/dev/null 2>&1 || missing+=(runc)
    command -v iptables >/dev/null 2>&1 || missing+=(iptables)
    command -v ip >/dev/null 2>&1 || missing+=(iproute2)
    ((${#missing[@]} == 0)) || dn_apt_install "${missing[@]}"
    local suite=unstable
    [[ "$DN_ENGINE_CHOICE" == trixie ]] && suite=trixie
    if ! dn_fetch_engine "$suite" || ! dn_engine_runs "$DN_ENGINE_BIN"; then
        if [[ "$suite" == unstable ]]; then
            dn_warn "Debian unstable's docker.io cannot be fetched or does not run on this machine; falling back to trixie's (set DOCKERNET_ENGINE=trixie to ask for it)"
            suite=trixie
            DN_ENGINE_CHOICE=trixie
            if ! dn_fetch_engine trixie || ! dn_engine_runs "$DN_ENGINE_BIN"; then
                dn_die "neither unstable's nor trixie's docker.io runs here; try DOCKERNET_ENGINE=debian12"
            fi
        else
            dn_die "Debian $suite's docker.io cannot be fetched or does not run on this machine; try DOCKERNET_ENGINE=debian12"
        fi
    fi
    export PATH="$DN_ENGINE_BIN:$PATH"
    dn_log "engine build: $DN_ENGINE_PACKAGE ($(dockerd --version 2>/dev/null))"
    DN_ENGINE_BUILD_READY=1
}

# dn_ensure_debian12_engine: Debian 12's docker.io (Engine 20.10, API 1.41) at /usr/sbin/dockerd.
dn_ensure_debian12_engine() {
    if [[ ! -x /usr/sbin/dockerd ]] || ! dpkg-query -W -f '${Status}' docker.io 2>/dev/null | grep -q 'ok installed'; then
        dn_apt_install docker.io
    fi
    [[ -x /usr/sbin/dockerd ]] || dn_die "/usr/sbin/dockerd still not found after installing docker.io"
}

# dn_ensure_docker_cli: the docker CLI is used by the harness and by the setup_docker
# integration target: the one of DOCKERNET_ENGINE's build (for a private engine as for one
# in DOCKER_HOST; a non-root user without a docker CLI gets told to install one).
dn_ensure_docker_cli() {
    if dn_is_root; then
        dn_ensure_engine_build
    fi
    command -v docker >/dev/null 2>&1 || dn_die "no docker CLI on PATH; install one (Debian: docker.io or docker-cli)"
}

dn_ensure_dockerd() {
    dn_ensure_engine_build
    command -v dockerd >/dev/null 2>&1 || dn_die "dockerd still not found after preparing the $DN_ENGINE_CHOICE engine"
}

dn_ensure_busybox() {
    if [[ ! -x /bin/busybox ]] || ! /bin/busybox --list 2>/dev/null | grep -qx nslookup; then
        dn_apt_install busybox-static
    fi
    [[ -x /bin/busybox ]] || dn_die "/bin/busybox missing after installing busybox-static"
}

# dn_ensure_sshd: the ssh integration target runs a private sshd (its own config, keys, port and
# pid file). Installs openssh-server when /usr/sbin/sshd is missing, without starting or enabling
# the system's ssh service: a policy-rc.d of our own (when there is none) refuses every start
# during the install. Not root: nothing to do, ansible-test skips the needs/root target.
dn_ensure_sshd() {
    [[ -x /usr/sbin/sshd ]] && return 0
    dn_is_root || return 0
    local policy=/usr/sbin/policy-rc.d own_policy=0 rc=0
    if [[ ! -e "$policy" ]]; then
        printf '#!/bin/sh\n# dockernet.core tests/run: start no service while installing\nexit 101\n' >"$policy"
        chmod 755 "$policy"
        own_policy=1
    fi
    # in a subshell, so that a failed install still removes the policy file
    (dn_apt_install openssh-server) || rc=$?
    if [[ "$own_policy" == 1 ]]; then
        rm -f "$policy"
    fi
    [[ "$rc" == 0 ]] || dn_die "installing openssh-server failed"
    DN_APT_UPDATED=1
    if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
        # the package enables ssh.service for the next boot; this harness wants it neither now nor then
        systemctl disable --now ssh.service ssh.socket >/dev/null 2>&1 || true
    fi
    [[ -x /usr/sbin/sshd ]] || dn_die "/usr/sbin/sshd still missing after installing openssh-server"
}

# dn_ensure_shellcheck: ansible-test sanity skips its shell script lint test
# with only a warning when the shellcheck program is missing. Best effort.
dn_ensure_shellcheck() {
    command -v shellcheck >/dev/null 2>&1 && return 0
    if dn_is_root; then
        ( dn_apt_install shellcheck ) || true
    fi
    command -v shellcheck >/dev/null 2>&1 || dn_warn "shellcheck missing: the sanity test 'shellcheck' will be skipped"
}

# --------------------------------------------------------------------------
# python virtual environment
# --------------------------------------------------------------------------

dn_find_python() {
    local candidate
    for candidate in ${DOCKERNET_PYTHON:-} python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 \
            && "$candidate" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 10))' >/dev/null 2>&1; then
            "$candidate" -c 'import sys; print(sys.executable)'
            return 0
        fi
    done
    return 1
}

# dn_venv_ensure DIR PYTHON LOG PACKAGE...: create or reuse the venv DIR, made with PYTHON, holding
# PACKAGE... and the collection's requirements files. A stamp file records what was installed so
# that a warm run does no pip work. Returns 1 (having shown the log) when pip fails.
dn_venv_ensure() {
    local dir="$1" python="$2" log="$3" stamp="$1/.dockernet-stamp" want
    shift 3
    want="$("$python" -c 'import sys; print(sys.version)' | head -n1)"
    want+=$'\n'"$(printf '%s\n' "$@")"
    if [[ -f "$DN_REPO/requirements.txt" ]]; then
        want+=$'\n'"$(cat "$DN_REPO/requirements.txt")"
    fi
    if [[ -f "$DN_REPO/tests/unit/requirements.txt" ]]; then
        want+=$'\n'"$(cat "$DN_REPO/tests/unit/requirements.txt")"
    fi

    if [[ -x "$dir/bin/python" && -f "$stamp" ]] && [[ "$(cat "$stamp")" == "$want" ]] \
        && "$dir/bin/python" -c 'import ansible, ansible_test, docker, requests, pytest' >/dev/null 2>&1; then
        dn_log "venv up to date: $dir"
        return 0
    fi
    if [[ -x "$dir/bin/python" ]] && "$dir/bin/python" -c 'import sys' >/dev/null 2>&1 \
        && [[ "$("$dir/bin/python" -c 'import sys; print(sys.version)' | head -n1)" == "$(head -n1 <<<"$want")" ]]; then
        dn_log "updating venv $dir (log: $log)"
        : >"$log"
    else
        dn_log "creating venv $dir with $python (log: $log)"
        rm -rf "$dir"
        "$python" -m venv "$dir" >"$log" 2>&1 || { dn_show_log "$log"; return 1; }
    fi
    local args=(install -q --disable-pip-version-check "$@")
    [[ -f "$DN_REPO/requirements.txt" ]] && args+=(-r "$DN_REPO/requirements.txt")
    [[ -f "$DN_REPO/tests/unit/requirements.txt" ]] && args+=(-r "$DN_REPO/tests/unit/requirements.txt")
    if ! "$dir/bin/python" -m pip "${args[@]}" >>"$log" 2>&1; then
        dn_show_log "$log"
        return 1
    fi
    printf '%s' "$want" >"$stamp"
    DN_VENV_CHANGED=1
}

# dn_setup_venv: create or reuse <repo>/.tmp/venv with the controller packages (the harness's
# own tools: docs, lint helpers, ecosystem; the matrix suites make a venv per ansible-core version).
dn_setup_venv() {
    local python
    python="$(dn_find_python)" || dn_die "no usable python3 (>= 3.10 with venv and ensurepip) found"
    dn_venv_ensure "$DN_VENV" "$python" "$DN_LOGS/venv.log" "${DN_VENV_PACKAGES[@]}" \
        || dn_die "pip install into $DN_VENV failed"

    DN_PYVER="$("$DN_PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    export VIRTUAL_ENV="$DN_VENV"
    export PATH="$DN_VENV/bin:$PATH"
    # a user-level ansible.cfg or collections path must not leak into the tests
    unset ANSIBLE_CONFIG ANSIBLE_COLLECTIONS_PATHS
}

# dn_write_pip_bootstrap [VENV_PYTHON [PYTHON_VERSION...]]: ansible-test (sanity/units with --venv)
# bootstraps pip into fresh virtual environments with a get-pip script that it downloads from a
# host this machine cannot reach, unless ~/.ansible/test/cache/get_pip_<ver>.py exists. Write a
# stand-in there, for the pip version the ansible-test of VENV_PYTHON (default: the harness venv)
# pins for each PYTHON_VERSION (default: that of VENV_PYTHON), that uses the interpreter's bundled
# ensurepip (in a subprocess, so pip keeps the machine's pip configuration) and then pip installs
# whatever ansible-test asked for (e.g. pip==24.2) from the index.
dn_write_pip_bootstrap() {
    local venv_python="${1:-$DN_PY}" pip_versions pip_version
    (($# == 0)) || shift
    pip_versions="$("$venv_python" - "$@" <<'EOF' 2>/dev/null || true
import sys
import types
from ansible_test._internal.python_requirements import get_venv_packages
for version in sys.argv[1:] or ['%d.%d' % sys.version_info[:2]]:
    print(get_venv_packages(types.SimpleNamespace(version=version))['pip'])
EOF
)"
    if [[ -z "$pip_versions" ]]; then
        # fall back to reading the default from the source
        pip_versions="$(grep -hoE "pip='[0-9.]+'" "$("$venv_python" -c 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))')/_internal/python_requirements.py" | head -n1 | cut -d"'" -f2 || true)"
    fi
    [[ -n "$pip_versions" ]] || dn_die "could not find the pip version ansible-test bootstraps"
    while read -r pip_version; do
        dn_write_pip_bootstrap_file "$pip_version"
    done < <(sort -u <<<"$pip_versions")
}

# dn_write_pip_bootstrap_file PIP_VERSION: the stand-in for get_pip_<PIP_VERSION>.py.
dn_write_pip_bootstrap_file() {
    local cache_dir="$HOME/.ansible/test/cache" target
    target="$cache_dir/get_pip_${1//./_}.py"
    mkdir -p "$cache_dir"
    # A temporary file of this process's own: two harness runs may write the stand-in at the same
    # moment (same content), and each must rename a complete file of its own into place.
    cat >"$target.tmp.$$" <<'EOF'
"""Offline stand-in for get-pip.py, written by dockernet.core tests/harness/lib.sh.

ansible-test runs this (through its quiet_pip.py wrapper) with the virtual
environment's interpreter and get-pip style arguments, e.g.
``--disable-pip-version-check pip==24.2 --no-setuptools --no-wheel``.
"""
import subprocess
import sys

DROP = ('--no-setuptools', '--no-wheel')


def run(cmd):
    """Run quietly; show the output only when the command fails."""
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    if proc.returncode:
        sys.stderr.write(proc.stdout.decode('utf-8', 'replace'))
        sys.stderr.write('pip bootstrap stand-in: %r failed with exit code %d\n' % (cmd, proc.returncode))
        sys.exit(proc.returncode)


def main():
    args = [arg for arg in sys.argv[1:] if arg not in DROP]
    # ensurepip runs in its own process: in-process it would set
    # PIP_CONFIG_FILE=/dev/null for everything after it, and pip would lose
    # the machine's index and certificate settings.
    run([sys.executable, '-m', 'ensurepip', '--upgrade'])
    run([sys.executable, '-m', 'pip', 'install', '-q'] + args)
    if '--no-setuptools' in sys.argv[1:]:
        # ensurepip of older Pythons brings setuptools; ansible-test asked for none
        subprocess.call([sys.executable, '-m', 'pip', 'uninstall', '-y', '-q', 'setuptools'],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


if __name__ == '__main__':
    main()
EOF
    mv -f "$target.tmp.$$" "$target"
    dn_log "pip bootstrap stand-in for ansible-test: $target"
}

# --------------------------------------------------------------------------
# docker engine
# --------------------------------------------------------------------------

# dn_docker_ping URL: true when the engine at URL answers.
dn_docker_ping() {
    local url="$1"
    "$DN_PY" - "$url" >/dev/null 2>&1 <<'EOF'
import sys
import docker
client = docker.DockerClient(base_url=sys.argv[1], timeout=5)
client.ping()
EOF
}

# dn_engine_paths [NAME [OCTET]]: where the private engine keeps its state (.tmp/engine, or
# .tmp/engine-NAME for a second engine such as the debian12 suite's, whose veth pair then uses
# 198.18.OCTET.0/30). Unix socket paths are limited to 108 bytes and containerd puts its sockets
# two levels below the exec-root, so a long repository path moves the engine under /tmp.
dn_engine_paths() {
    local name="${1:-}" octet="${2:-100}"
    DN_ENGINE_DIR="$DN_TMP/engine${name:+-$name}"
    local longest="$DN_ENGINE_DIR/exec/containerd/containerd.sock.ttrpc"
    if (( ${#longest} > 100 )); then
        local hash
        hash="$(printf '%s' "$DN_REPO$name" | sha256sum | cut -c1-12)"
        DN_ENGINE_DIR="/tmp/dockernet-$hash"
    fi
    DN_ENGINE_ID="$(printf '%s' "$DN_ENGINE_DIR" | sha256sum | cut -c1-8)"
    DN_ENGINE_SOCK="$DN_ENGINE_DIR/docker.sock"
    DN_ENGINE_PIDFILE="$DN_ENGINE_DIR/docker.pid"
    DN_ENGINE_LOG="$DN_ENGINE_DIR/dockerd.log"
    # Benchmarking range (RFC 2544): never routed anywhere, only this veth pair.
    DN_ENGINE_HOST_ADDR="198.18.$octet.1"
    DN_ENGINE_NETNS_ADDR="198.18.$octet.2"
}

# dn_engine_describe: "Docker Engine 28.5.2 (API 1.51)" of the engine at DOCKER_HOST, with the
# package it came from when the harness started it.
dn_engine_describe() {
    local answer
    answer="$(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})' 2>/dev/null || echo 'unknown version')"
    DN_ENGINE_DESC="Docker Engine $answer"
    if [[ "${DN_ENGINE_STARTED:-0}" == 1 && -n "${DN_ENGINE_PACKAGE:-}" ]]; then
        DN_ENGINE_DESC+=", $DN_ENGINE_PACKAGE"
    fi
    DN_ENGINE_DESC+=" at $DOCKER_HOST"
}

# dn_pid_is_our_engine PID: the process is alive and is a dockerd using our data-root.
dn_pid_is_our_engine() {
    local pid="$1"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    [[ -r "/proc/$pid/cmdline" ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "dockerd .*--data-root $DN_ENGINE_DIR/data"
}

# dn_kill_pid_gently PID WHAT: TERM, wait up to 30 s, then KILL.
dn_kill_pid_gently() {
    local pid="$1" what="$2" i
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 1 60); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.5
    done
    dn_warn "$what (pid $pid) did not stop in 30 s: killing it"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
}

# dn_engine_kill_stale: stop a private engine left by an interrupted run.
dn_engine_kill_stale() {
    local pid=""
    [[ -f "$DN_ENGINE_PIDFILE" ]] && pid="$(cat "$DN_ENGINE_PIDFILE" 2>/dev/null || true)"
    if [[ -n "$pid" ]] && dn_pid_is_our_engine "$pid"; then
        dn_log "stopping stale private engine (pid $pid) from an earlier run"
        dn_kill_pid_gently "$pid" "stale dockerd"
    fi
    # dockerd's managed containerd, if it outlived its parent
    local cpidfile="$DN_ENGINE_DIR/exec/containerd/containerd.pid" cpid=""
    [[ -f "$cpidfile" ]] && cpid="$(cat "$cpidfile" 2>/dev/null || true)"
    if [[ "$cpid" =~ ^[0-9]+$ && -r "/proc/$cpid/cmdline" ]] \
        && tr '\0' ' ' <"/proc/$cpid/cmdline" | grep -q -- "containerd .*$DN_ENGINE_DIR/exec/containerd"; then
        dn_log "stopping stale containerd (pid $cpid)"
        dn_kill_pid_gently "$cpid" "stale containerd"
    fi
    rm -f "$DN_ENGINE_PIDFILE" "$DN_ENGINE_SOCK"
}

# dn_engine_start_private: start dockerd with all state under DN_ENGINE_DIR.
# It runs in a network namespace of its own when unshare works, so its bridges
# and iptables rules touch neither the host nor another engine on this machine.
dn_engine_start_private() {
    dn_is_root || dn_die "no Docker engine answers and starting a private one needs root; set DOCKER_HOST"
    dn_ensure_dockerd
    dn_engine_kill_stale
    mkdir -p "$DN_ENGINE_DIR/data" "$DN_ENGINE_DIR/exec"
    : >"$DN_ENGINE_LOG"

    local cmd=(
        dockerd
        --data-root "$DN_ENGINE_DIR/data"
        --exec-root "$DN_ENGINE_DIR/exec"
        -H "unix://$DN_ENGINE_SOCK"
        --pidfile "$DN_ENGINE_PIDFILE"
        --shutdown-timeout 3
        --containerd-namespace "dockernet-$DN_ENGINE_ID"
        --containerd-plugins-namespace "dockernet-$DN_ENGINE_ID-plugins"
    )
    local netns="host network namespace"
    DN_ENGINE_NETNS=""
    DN_SWARM_ADDR=""
    if [[ "${DOCKERNET_ENGINE_NETNS:-1}" == 1 ]] && dn_engine_netns_create; then
        netns="network namespace $DN_ENGINE_NETNS"
        # nsenter, not `ip netns exec`: the latter remounts /sys and hides the cgroup mounts dockerd needs
        cmd=(nsenter "--net=/var/run/netns/$DN_ENGINE_NETNS" -- "${cmd[@]}")
    fi
    dn_log "starting private dockerd ($netns), state in $DN_ENGINE_DIR (log: $DN_ENGINE_LOG)"
    # setsid: a Ctrl-C in the terminal reaches the harness, which then stops
    # the engine itself (or keeps it with DOCKERNET_KEEP_ENGINE=1)
    setsid "${cmd[@]}" >>"$DN_ENGINE_LOG" 2>&1 </dev/null 9>&- &
    DN_ENGINE_PID=$!
    DN_ENGINE_STARTED=1

    local i
    for i in $(seq 1 120); do
        if dn_docker_ping "unix://$DN_ENGINE_SOCK"; then
            DN_ENGINE_PID="$(cat "$DN_ENGINE_PIDFILE" 2>/dev/null || echo "$DN_ENGINE_PID")"
            dn_log "private dockerd answers (pid $DN_ENGINE_PID, after ~$((i / 2)) s)"
            export DOCKER_HOST="unix://$DN_ENGINE_SOCK"
            return 0
        fi
        if ! kill -0 "$DN_ENGINE_PID" 2>/dev/null; then
            dn_show_log "$DN_ENGINE_LOG"
            dn_die "private dockerd exited during startup"
        fi
        sleep 0.5
    done
    dn_show_log "$DN_ENGINE_LOG"
    dn_die "private dockerd did not answer within 60 s"
}

# dn_engine_netns_create: a named network namespace for the private engine, so its
# bridges and iptables rules touch neither the host nor another engine, and tests can
# add interfaces the engine sees (`ip -n NAME ...`, e.g. a veth parent for macvlan).
# A veth pair gives the engine an address for `docker swarm init --advertise-addr`.
# There is deliberately no default route: nothing in the tests can leave this machine,
# and the embedded DNS cannot forward a lookup to an outside resolver.
dn_engine_netns_create() {
    command -v ip >/dev/null 2>&1 || dn_apt_install iproute2
    local name="dnengine-$DN_ENGINE_ID" host_if="dnh-$DN_ENGINE_ID"
    ip netns del "$name" >/dev/null 2>&1 || true
    ip link del "$host_if" >/dev/null 2>&1 || true
    ip netns add "$name" || return 1
    if ! { ip -n "$name" link set lo up &&
        ip link add "$host_if" type veth peer name eth0 netns "$name" &&
        ip addr add "$DN_ENGINE_HOST_ADDR/30" dev "$host_if" &&
        ip link set "$host_if" up &&
        ip -n "$name" addr add "$DN_ENGINE_NETNS_ADDR/30" dev eth0 &&
        ip -n "$name" link set eth0 up; }; then
        ip netns del "$name" >/dev/null 2>&1
        return 1
    fi
    DN_ENGINE_NETNS="$name"
    DN_SWARM_ADDR="$DN_ENGINE_NETNS_ADDR"
}

dn_engine_netns_remove() {
    [[ -n "${DN_ENGINE_NETNS:-}" ]] || return 0
    ip link del "dnh-$DN_ENGINE_ID" >/dev/null 2>&1 || true
    ip netns del "$DN_ENGINE_NETNS" >/dev/null 2>&1 || true
}

# dn_engine_stop: stop the private engine unless DOCKERNET_KEEP_ENGINE=1.
dn_engine_stop() {
    [[ "${DN_ENGINE_STARTED:-0}" == 1 ]] || return 0
    if [[ "${DOCKERNET_KEEP_ENGINE:-0}" == 1 ]]; then
        dn_log "DOCKERNET_KEEP_ENGINE=1: private dockerd keeps running (pid $DN_ENGINE_PID)"
        dn_log "  use it with: export DOCKER_HOST=unix://$DN_ENGINE_SOCK"
        dn_log "  its network namespace: ${DN_ENGINE_NETNS:-the host namespace} (ip -n NAME ...)"
        dn_log "  stop it with: kill $DN_ENGINE_PID"
        return 0
    fi
    local pid
    pid="$(cat "$DN_ENGINE_PIDFILE" 2>/dev/null || echo "$DN_ENGINE_PID")"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        dn_log "stopping private dockerd (pid $pid)"
        dn_kill_pid_gently "$pid" "dockerd"
    fi
    dn_engine_netns_remove
    DN_ENGINE_STARTED=0
}

# dn_install_traps: stop the private engine however the script ends.
dn_on_exit() {
    local rc=$?
    # the swarm rig of the multihost suite (tests/harness/swarm.sh), if a run was interrupted
    if [[ "${DN_SWARM_WANTED:-0}" == 1 ]] && declare -F dn_swarm_down >/dev/null; then
        dn_swarm_down || true
    fi
    dn_engine_stop || true
    exit "$rc"
}

dn_install_traps() {
    trap dn_on_exit EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# dn_setup_engine: pick the engine to test against and export DOCKER_HOST.
#   1. DOCKER_HOST, when set and answering
#   2. /var/run/docker.sock, when answering
#   3. a private dockerd under <repo>/.tmp/engine (root only)
# With DOCKERNET_KEEP_ENGINE=1 a private engine kept from an earlier run is reused.
dn_setup_engine() {
    dn_ensure_docker_cli
    dn_engine_paths "" "${DOCKERNET_ENGINE_OCTET:-100}"
    DN_ENGINE_KIND=""
    DN_ENGINE_NETNS=""
    DN_SWARM_ADDR=""
    if [[ -n "${DOCKER_HOST:-}" ]]; then
        if dn_docker_ping "$DOCKER_HOST"; then
            DN_ENGINE_KIND="DOCKER_HOST"
            dn_log "using the engine at DOCKER_HOST=$DOCKER_HOST"
        else
            dn_warn "DOCKER_HOST=$DOCKER_HOST does not answer; looking for another engine"
            unset DOCKER_HOST
        fi
    fi
    if [[ -z "$DN_ENGINE_KIND" ]] && [[ -S /var/run/docker.sock ]] && dn_docker_ping unix:///var/run/docker.sock; then
        DN_ENGINE_KIND="system"
        export DOCKER_HOST="unix:///var/run/docker.sock"
        dn_log "using the system engine at $DOCKER_HOST"
    fi
    if [[ -z "$DN_ENGINE_KIND" && "${DOCKERNET_KEEP_ENGINE:-0}" == 1 ]]; then
        local pid=""
        [[ -f "$DN_ENGINE_PIDFILE" ]] && pid="$(cat "$DN_ENGINE_PIDFILE" 2>/dev/null || true)"
        if [[ -n "$pid" ]] && dn_pid_is_our_engine "$pid" && dn_docker_ping "unix://$DN_ENGINE_SOCK"; then
            DN_ENGINE_KIND="private (kept)"
            DN_ENGINE_PID="$pid"
            if [[ -e "/var/run/netns/dnengine-$DN_ENGINE_ID" ]]; then
                DN_ENGINE_NETNS="dnengine-$DN_ENGINE_ID"
                DN_SWARM_ADDR="$DN_ENGINE_NETNS_ADDR"
            fi
            DN_ENGINE_STARTED=1
            export DOCKER_HOST="unix://$DN_ENGINE_SOCK"
            dn_log "reusing the kept private engine (pid $pid) at $DOCKER_HOST"
        fi
    fi
    if [[ -z "$DN_ENGINE_KIND" ]]; then
        dn_engine_start_private
        DN_ENGINE_KIND="private"
    fi
}

# dn_build_image: import the offline busybox test image when it is missing.
dn_build_image() {
    if docker image inspect "$DN_TEST_IMAGE" >/dev/null 2>&1; then
        dn_log "test image present: $DN_TEST_IMAGE"
        return 0
    fi
    dn_ensure_busybox
    local root applet
    root="$(mktemp -d "$DN_TMP/image-root.XXXXXX")"
    mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root" "$root/proc" "$root/sys" "$root/dev" "$root/var/run"
    chmod 1777 "$root/tmp"
    cp /bin/busybox "$root/bin/busybox"
    while IFS= read -r applet; do
        [[ -n "$applet" && "$applet" != busybox ]] || continue
        ln -sf busybox "$root/bin/$applet"
    done < <(/bin/busybox --list)
    for applet in sh sleep ping nc nslookup ip; do
        [[ -e "$root/bin/$applet" ]] || dn_die "busybox has no '$applet' applet"
    done
    ln -s bin "$root/sbin"
    mkdir -p "$root/usr"
    ln -s ../bin "$root/usr/bin"
    ln -s ../bin "$root/usr/sbin"
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
    dn_log "building test image $DN_TEST_IMAGE from /bin/busybox"
    if ! tar -C "$root" --numeric-owner --owner=0 --group=0 -cf - . \
        | docker import \
            --change 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' \
            --change 'CMD ["sleep", "3600"]' \
            --change 'LABEL org.dockernet.test=1' \
            - "$DN_TEST_IMAGE" >/dev/null; then
        rm -rf "$root"
        dn_die "docker import of $DN_TEST_IMAGE failed"
    fi
    rm -rf "$root"
    docker image inspect "$DN_TEST_IMAGE" >/dev/null 2>&1 || dn_die "image $DN_TEST_IMAGE missing after import"
}

# --------------------------------------------------------------------------
# collection layout
# --------------------------------------------------------------------------

# dn_layout_collection: copy the work tree to
# <repo>/.tmp/collections/ansible_collections/dockernet/core (fresh each run).
dn_layout_collection() {
    local excludes=(
        /.git /.tmp /.venv /tests/output /tests/integration/integration_config.yml
        __pycache__ '*.pyc' .pytest_cache .mypy_cache .ruff_cache /.ansible '/*.tar.gz'
    )
    mkdir -p "$DN_COLLECTION_DIR"
    # Keep ansible-test's delegation venvs (tests/output/.tmp/delegation/) of
    # the copy across runs: ansible-test reuses them (marker.txt), which saves
    # creating and bootstrapping a venv per suite on every run. They are
    # dropped when the harness venv was (re)built.
    local keep="$DN_TMP/delegation-keep" delegation="$DN_COLLECTION_DIR/tests/output/.tmp/delegation"
    rm -rf "$keep"
    if [[ -d "$delegation" && "${DN_VENV_CHANGED:-0}" == 0 ]]; then
        mv "$delegation" "$keep"
    fi
    if ! command -v rsync >/dev/null 2>&1 && dn_is_root; then
        ( dn_apt_install rsync ) || dn_warn "could not install rsync; copying with tar"
    fi
    if command -v rsync >/dev/null 2>&1; then
        local args=(-a --delete --delete-excluded) pattern
        for pattern in "${excludes[@]}"; do args+=("--exclude=$pattern"); done
        rsync "${args[@]}" "$DN_REPO/" "$DN_COLLECTION_DIR/"
    else
        rm -rf "$DN_COLLECTION_DIR"
        mkdir -p "$DN_COLLECTION_DIR"
        # patterns without a leading slash match at any depth
        local args=() pattern
        for pattern in "${excludes[@]}"; do
            if [[ "$pattern" == /* ]]; then args+=("--exclude=./${pattern#/}"); else args+=("--exclude=$pattern"); fi
        done
        tar -C "$DN_REPO" "${args[@]}" -cf - . | tar -C "$DN_COLLECTION_DIR" -xf -
    fi
    # ansible-test lists a collection's files with git when it finds a .git
    # directory at or above the collection. The copy sits inside the work
    # tree's ignored .tmp/, so the outer repository would hide every file:
    # give the copy an empty repository of its own. ansible-test asks for
    # tracked and untracked (not ignored) files, so nothing has to be added.
    if [[ -d "$keep" ]]; then
        mkdir -p "$(dirname "$delegation")"
        mv "$keep" "$delegation"
    fi
    command -v git >/dev/null 2>&1 || dn_apt_install git
    rm -rf "$DN_COLLECTION_DIR/.git"
    git -C "$DN_COLLECTION_DIR" init -q
    dn_log "collection laid out at $DN_COLLECTION_DIR"
}

# dn_write_integration_config [COPY]: variables for the integration targets, in the
# copy only (default: DN_COLLECTION_DIR). ansible-test does not pass DOCKER_HOST from the
# environment to ansible-playbook, so the targets read the engine URL from here.
dn_write_integration_config() {
    local file="${1:-$DN_COLLECTION_DIR}/tests/integration/integration_config.yml"
    mkdir -p "$(dirname "$file")"
    cat >"$file" <<EOF
---
# Generated by tests/harness/lib.sh; do not edit (rewritten on every run).
dockernet_docker_host: "${DOCKER_HOST}"
dockernet_test_image: "${DN_TEST_IMAGE}"
# Network namespace the engine runs in ('' = this host's): interfaces the engine must
# see are created with "ip -n NAME". Empty advertise address: no swarm tests possible.
dockernet_engine_netns: "${DN_ENGINE_NETNS:-${DOCKERNET_ENGINE_NETNS_NAME:-}}"
dockernet_swarm_advertise_addr: "${DN_SWARM_ADDR:-${DOCKERNET_SWARM_ADDR:-}}"
# DOCKERNET_SLOW_TESTS=1 (CI sets it): also run the slow cases
dockernet_slow_tests: $([[ "${DOCKERNET_SLOW_TESTS:-0}" == 1 ]] && echo true || echo false)
# which engine answers at dockernet_docker_host: docker or podman
dockernet_engine: "${DN_ENGINE_FLAVOUR:-docker}"
EOF
}

# dn_prepare: everything tests/run and tests/demo need before running tests.
dn_prepare() {
    # one harness run per work tree: a second one would take the engine away
    exec 9>"$DN_TMP/harness.lock"
    if ! flock -n 9; then
        dn_die "another tests/run or tests/demo is running in $DN_REPO (lock: $DN_TMP/harness.lock)"
    fi
    dn_setup_venv
    dn_write_pip_bootstrap "$DN_PY"
    # DN_NEED_ENGINE=0: only the multihost suite runs, which brings its own engines
    if [[ "${DN_NEED_ENGINE:-1}" == 1 ]]; then
        dn_setup_engine
        dn_engine_describe
        dn_log "engine: $DN_ENGINE_DESC"
        dn_build_image
    fi
    dn_layout_collection
    if [[ "${DN_NEED_ENGINE:-1}" == 1 ]]; then
        dn_write_integration_config "$DN_COLLECTION_DIR"
    fi
}
