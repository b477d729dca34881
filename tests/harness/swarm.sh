# shellcheck shell=bash disable=SC2034
# (SC2034: the DN_SWARM_* globals set here are used by the scripts that source this file)
# A Docker swarm of DOCKERNET_SWARM_NODES nodes (3 by default) on this machine, for the
# multihost tests (tests/run --only multihost) and for trying topologies by hand
# (tests/harness/swarmctl).
#
# Each node is a dockerd in a network namespace of its own, dnswarm-<id>-N, whose eth0
# sits on a bridge in the host namespace (dnsw<id>b) with the address 198.18.200.N/24.
# Node 1 is the manager; the others join as workers. One more node, the spare (N+1),
# runs on the same bridge outside the swarm: the tests add it to a LAN of the others. Every address comes from the
# benchmarking range 198.18.0.0/15, and the namespaces have no default route, so nothing
# leaves this machine. Names and paths depend only on the repository path: tearing down
# or cleaning up after an interrupted run needs no state other than what is on disk.
#
# Source lib.sh first, call dn_init, then dn_swarm_paths before anything else here.

if [[ -n "${DN_SWARM_LOADED:-}" ]]; then
    return 0
fi
DN_SWARM_LOADED=1

# Node N's addresses derive from its number (198.18.20N.1 for --bip, 198.18.21N.0/24 for
# its local pools), so the swarm and the spare together have at most 9 nodes.
DN_SWARM_NODES="${DOCKERNET_SWARM_NODES:-3}"
DN_SWARM_MAX_NODES=9
if ! [[ "$DN_SWARM_NODES" =~ ^[0-9]+$ ]] || (( DN_SWARM_NODES < 3 || DN_SWARM_NODES >= DN_SWARM_MAX_NODES )); then
    printf 'DOCKERNET_SWARM_NODES must be a number from 3 to %s, got %s\n' "$((DN_SWARM_MAX_NODES - 1))" "$DN_SWARM_NODES" >&2
    exit 2
fi
DN_SWARM_SPARE=$((DN_SWARM_NODES + 1))
DN_SWARM_MANAGER=1
DN_SWARM_NET_PREFIX="198.18.200"
# Pool for networks the swarm allocates itself (ingress, overlays without a subnet).
DN_SWARM_ADDR_POOL="198.18.224.0/20"

# --------------------------------------------------------------------------
# names and paths
# --------------------------------------------------------------------------

# dn_swarm_paths: state directory and names. containerd puts its sockets two levels
# below each node's exec-root, and unix socket paths are limited to 108 bytes, so a
# long repository path moves the state under /tmp.
dn_swarm_paths() {
    DN_SWARM_DIR="$DN_TMP/swarm"
    local longest="$DN_SWARM_DIR/n1/exec/containerd/containerd.sock.ttrpc"
    if (( ${#longest} > 100 )); then
        DN_SWARM_DIR="/tmp/dockernet-swarm-$(printf '%s' "$DN_REPO" | sha256sum | cut -c1-12)"
    fi
    DN_SWARM_ID="$(printf '%s' "$DN_SWARM_DIR" | sha256sum | cut -c1-8)"
    DN_SWARM_BRIDGE="dnsw${DN_SWARM_ID}b"
    DN_SWARM_INVENTORY="$DN_SWARM_DIR/inventory.yml"
    DN_SWARM_IPT_COMMENT="dockernet-swarm-$DN_SWARM_ID"
    DN_SWARM_CTL="$DN_REPO/tests/harness/swarmctl"
}

dn_swarm_netns() { printf 'dnswarm-%s-%s' "$DN_SWARM_ID" "$1"; }
dn_swarm_veth() { printf 'dnsw%sv%s' "$DN_SWARM_ID" "$1"; }
dn_swarm_node_dir() { printf '%s/n%s' "$DN_SWARM_DIR" "$1"; }
dn_swarm_sock() { printf '%s/n%s/docker.sock' "$DN_SWARM_DIR" "$1"; }
dn_swarm_addr() { printf '%s.%s' "$DN_SWARM_NET_PREFIX" "$1"; }
dn_swarm_log() { printf '%s/swarm-node%s-dockerd.log' "$DN_LOGS" "$1"; }
# Containers of node N live under this cgroup, so leftovers can be found and stopped.
dn_swarm_cgroup() { printf 'dnswarm-%s-%s' "$DN_SWARM_ID" "$1"; }

# dn_swarm_docker N ARGS...: the docker CLI against node N.
dn_swarm_docker() {
    local node="$1"
    shift
    docker -H "unix://$(dn_swarm_sock "$node")" "$@"
}

dn_swarm_ping() {
    timeout 10 docker -H "unix://$(dn_swarm_sock "$1")" version --format '{{.Server.Version}}' >/dev/null 2>&1
}

# --------------------------------------------------------------------------
# processes
# --------------------------------------------------------------------------

# dn_swarm_pids PATTERN: pids of processes whose command line contains PATTERN.
dn_swarm_pids() {
    local pattern="$1" dir pid
    for dir in /proc/[0-9]*; do
        pid="${dir#/proc/}"
        [[ "$pid" == "$$" || "$pid" == "${BASHPID:-}" ]] && continue
        if tr '\0' ' ' 2>/dev/null <"$dir/cmdline" | grep -qF -- "$pattern"; then
            printf '%s\n' "$pid"
        fi
    done
}

# dn_swarm_dockerd_pid N: pid of node N's dockerd, or nothing.
dn_swarm_dockerd_pid() {
    local node_dir pid
    node_dir="$(dn_swarm_node_dir "$1")"
    pid="$(cat "$node_dir/docker.pid" 2>/dev/null || true)"
    if [[ "$pid" =~ ^[0-9]+$ ]] && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "--data-root $node_dir/data"; then
        printf '%s\n' "$pid"
        return 0
    fi
    dn_swarm_pids "dockerd --data-root $node_dir/data" | head -n1
}

# dn_swarm_node_start N: start node N's dockerd in its namespace and wait until it answers.
# Runs from tests/run and from swarmctl (which the tests call to restart a node).
dn_swarm_node_start() {
    local node="$1" node_dir netns log pid i
    node_dir="$(dn_swarm_node_dir "$node")"
    netns="$(dn_swarm_netns "$node")"
    log="$(dn_swarm_log "$node")"
    [[ -e "/var/run/netns/$netns" ]] || { dn_warn "node $node: no network namespace $netns (is the rig up?)"; return 1; }
    if [[ -n "$(dn_swarm_dockerd_pid "$node")" ]]; then
        dn_swarm_ping "$node" && return 0
    fi
    mkdir -p "$node_dir/data" "$node_dir/exec" "$DN_LOGS"
    local cmd=(
        nsenter "--net=/var/run/netns/$netns" --
        dockerd
        --data-root "$node_dir/data"
        --exec-root "$node_dir/exec"
        -H "unix://$node_dir/docker.sock"
        --pidfile "$node_dir/docker.pid"
        --shutdown-timeout 3
        --containerd-namespace "dnswarm-$DN_SWARM_ID-$node"
        --containerd-plugins-namespace "dnswarm-$DN_SWARM_ID-$node-plugins"
        --cgroup-parent "$(dn_swarm_cgroup "$node")"
        --bip "198.18.20$node.1/24"
        --default-address-pool "base=198.18.21$node.0/24,size=26"
    )
    printf '\n===== %s: starting dockerd =====\n' "$(date '+%F %T')" >>"$log"
    # setsid and closed descriptors: the daemon outlives the caller (an Ansible task when
    # a test restarts a node) and holds neither its pipes nor the harness lock (fd 9).
    setsid "${cmd[@]}" >>"$log" 2>&1 </dev/null 9>&- &
    pid=$!
    for i in $(seq 1 120); do
        if dn_swarm_ping "$node"; then
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            dn_show_log "$log"
            dn_warn "node $node: dockerd exited during startup"
            return 1
        fi
        sleep 0.5
    done
    dn_show_log "$log"
    dn_warn "node $node: dockerd did not answer within 60 s"
    return 1
}

# dn_swarm_node_stop N: stop node N's dockerd (it stops its containers first).
dn_swarm_node_stop() {
    local pid
    pid="$(dn_swarm_dockerd_pid "$1")"
    [[ -n "$pid" ]] || return 0
    dn_kill_pid_gently "$pid" "node $1 dockerd"
}

# dn_swarm_wait_active N: after a restart, a swarm node reconnects to its managers; wait
# until it reports itself active again (a node that never was in the swarm returns at once).
dn_swarm_wait_active() {
    local node="$1" state="" i
    for i in $(seq 1 60); do
        state="$(dn_swarm_docker "$node" info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null || true)"
        [[ "$state" == active || "$state" == inactive ]] && return 0
        sleep 0.5
    done
    dn_warn "node $node: swarm state still '$state' after 30 s"
    return 1
}

# dn_swarm_kill_leftovers N: everything of node N that outlived its dockerd: containerd,
# shims, container processes (found by the node's cgroup), mounts and the state directory.
dn_swarm_kill_leftovers() {
    local node="$1" node_dir pid cg procs mnt
    node_dir="$(dn_swarm_node_dir "$node")"
    for pid in $(dn_swarm_pids "$node_dir/"); do
        dn_kill_pid_gently "$pid" "node $node leftover process"
    done
    cg="$(dn_swarm_cgroup "$node")"
    for procs in /sys/fs/cgroup/pids/"$cg"/*/cgroup.procs /sys/fs/cgroup/"$cg"/*/cgroup.procs; do
        [[ -f "$procs" ]] || continue
        while read -r pid; do
            kill -KILL "$pid" 2>/dev/null || true
        done <"$procs"
    done
    # nsfs and overlay mounts of containers whose daemon died without cleaning up
    while IFS= read -r mnt; do
        umount -l "$mnt" 2>/dev/null || true
    done < <(awk -v dir="$node_dir/" 'index($2, dir) == 1 { print $2 }' /proc/self/mounts | sort -r)
    rm -rf "$node_dir"
    for cg in /sys/fs/cgroup/*/"$(dn_swarm_cgroup "$node")"; do
        [[ -d "$cg" ]] || continue
        find "$cg" -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null || true
        rmdir "$cg" 2>/dev/null || true
    done
}

# --------------------------------------------------------------------------
# network
# --------------------------------------------------------------------------

dn_swarm_ipt_rule() {
    printf '%s\n' FORWARD -i "$DN_SWARM_BRIDGE" -o "$DN_SWARM_BRIDGE" -m comment --comment "$DN_SWARM_IPT_COMMENT" -j ACCEPT
}

dn_swarm_net_remove() {
    local node rule
    mapfile -t rule < <(dn_swarm_ipt_rule)
    if command -v iptables >/dev/null 2>&1; then
        while iptables -D "${rule[@]}" 2>/dev/null; do :; done
    fi
    for node in $(seq 1 "$DN_SWARM_MAX_NODES"); do
        ip link del "$(dn_swarm_veth "$node")" >/dev/null 2>&1 || true
        ip netns del "$(dn_swarm_netns "$node")" >/dev/null 2>&1 || true
    done
    ip link del "$DN_SWARM_BRIDGE" >/dev/null 2>&1 || true
}

# dn_swarm_net_create: the bridge, one namespace per node and a veth pair into each.
# The bridge has no address: the host is not part of the swarm's network.
dn_swarm_net_create() {
    local node netns veth rule
    command -v ip >/dev/null 2>&1 || dn_apt_install iproute2
    command -v iptables >/dev/null 2>&1 || dn_apt_install iptables
    ip link add "$DN_SWARM_BRIDGE" type bridge || return 1
    ip link set "$DN_SWARM_BRIDGE" up || return 1
    for node in $(seq 1 "$DN_SWARM_SPARE"); do
        netns="$(dn_swarm_netns "$node")"
        veth="$(dn_swarm_veth "$node")"
        ip netns add "$netns" &&
            ip -n "$netns" link set lo up &&
            ip link add "$veth" type veth peer name eth0 netns "$netns" &&
            ip link set "$veth" master "$DN_SWARM_BRIDGE" &&
            ip link set "$veth" up &&
            ip -n "$netns" addr add "$(dn_swarm_addr "$node")/24" dev eth0 &&
            ip -n "$netns" link set eth0 up || return 1
    done
    # With br_netfilter loaded, frames crossing the bridge traverse the host's FORWARD
    # chain, whose policy a dockerd on this host may have set to DROP.
    mapfile -t rule < <(dn_swarm_ipt_rule)
    iptables -I "${rule[@]}" || return 1
}

# --------------------------------------------------------------------------
# the rig
# --------------------------------------------------------------------------

# dn_swarm_down: leave the swarm, stop the daemons, remove namespaces, bridge, iptables
# rule and state. Idempotent, and also what cleans up after an interrupted run.
# DOCKERNET_KEEP_SWARM=1 keeps a running rig.
dn_swarm_down() {
    local node pids=() pid any=0
    if [[ "${DOCKERNET_KEEP_SWARM:-0}" == 1 ]] && dn_swarm_ping "$DN_SWARM_MANAGER"; then
        dn_log "DOCKERNET_KEEP_SWARM=1: the swarm keeps running; inventory: $DN_SWARM_INVENTORY"
        dn_log "  remove it with: bash $DN_SWARM_CTL down"
        return 0
    fi
    # up to the largest rig: an earlier run may have had more nodes
    local present=()
    for node in $(seq 1 "$DN_SWARM_MAX_NODES"); do
        if [[ -d "$(dn_swarm_node_dir "$node")" || -e "/var/run/netns/$(dn_swarm_netns "$node")" ]]; then
            any=1
            present+=("$node")
        fi
    done
    ip link show "$DN_SWARM_BRIDGE" >/dev/null 2>&1 && any=1
    [[ "$any" == 1 ]] || return 0
    dn_log "swarm rig: tearing down (state: $DN_SWARM_DIR)"
    # workers first, so the manager does not wait for them; failures only cost time
    local i
    for ((i = ${#present[@]} - 1; i >= 0; i--)); do
        node="${present[$i]}"
        if dn_swarm_ping "$node"; then
            if [[ "$node" == "$DN_SWARM_MANAGER" ]]; then
                timeout 30 docker -H "unix://$(dn_swarm_sock "$node")" swarm leave --force >/dev/null 2>&1 || true
            else
                timeout 30 docker -H "unix://$(dn_swarm_sock "$node")" swarm leave >/dev/null 2>&1 || true
            fi
        fi
    done
    for node in "${present[@]+"${present[@]}"}"; do
        pid="$(dn_swarm_dockerd_pid "$node")"
        [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
    done
    for pid in "${pids[@]+"${pids[@]}"}"; do
        dn_kill_pid_gently "$pid" "swarm dockerd"
    done
    for node in "${present[@]+"${present[@]}"}"; do
        dn_swarm_kill_leftovers "$node"
    done
    dn_swarm_net_remove
    rm -rf "$DN_SWARM_DIR"
}

# dn_swarm_image: the offline test image on every node (built on the manager, copied).
dn_swarm_image() {
    local node
    # dn_build_image works on $DOCKER_HOST: point it at the manager for this call only
    local -x DOCKER_HOST
    DOCKER_HOST="unix://$(dn_swarm_sock "$DN_SWARM_MANAGER")"
    dn_build_image || return 1
    for node in $(seq 1 "$DN_SWARM_SPARE"); do
        [[ "$node" == "$DN_SWARM_MANAGER" ]] && continue
        dn_swarm_docker "$DN_SWARM_MANAGER" save "$DN_TEST_IMAGE" | dn_swarm_docker "$node" load -q >/dev/null || return 1
    done
}

# dn_swarm_form: node 1 initialises the swarm, the others join it as workers.
dn_swarm_form() {
    local node token manager_addr
    manager_addr="$(dn_swarm_addr "$DN_SWARM_MANAGER")"
    dn_swarm_docker "$DN_SWARM_MANAGER" swarm init --advertise-addr "$manager_addr" \
        --default-addr-pool "$DN_SWARM_ADDR_POOL" --default-addr-pool-mask-length 24 >/dev/null || return 1
    token="$(dn_swarm_docker "$DN_SWARM_MANAGER" swarm join-token -q worker)" || return 1
    for node in $(seq 1 "$DN_SWARM_NODES"); do
        [[ "$node" == "$DN_SWARM_MANAGER" ]] && continue
        dn_swarm_docker "$node" swarm join --advertise-addr "$(dn_swarm_addr "$node")" \
            --token "$token" "$manager_addr:2377" >/dev/null || return 1
    done
    local i ready
    for i in $(seq 1 60); do
        ready="$(dn_swarm_docker "$DN_SWARM_MANAGER" node ls --format '{{.Status}}' 2>/dev/null | grep -c '^Ready$' || true)"
        [[ "$ready" == "$DN_SWARM_NODES" ]] && return 0
        sleep 0.5
    done
    dn_warn "only $ready of $DN_SWARM_NODES swarm nodes are Ready after 30 s"
    return 1
}

# dn_swarm_write_inventory: the Ansible inventory of the rig (all hosts run locally,
# each talks to its own node's daemon).
dn_swarm_write_inventory() {
    local node group workers=() nodes
    for node in $(seq 1 "$DN_SWARM_NODES"); do
        [[ "$node" == "$DN_SWARM_MANAGER" ]] || workers+=("$node")
    done
    {
        printf -- '---\n# Generated by tests/harness/swarm.sh; rewritten on every "swarmctl up".\n'
        printf 'all:\n  vars:\n'
        printf '    ansible_connection: local\n'
        printf '    ansible_python_interpreter: "%s"\n' "$DN_PY"
        printf '    dockernet_test_image: "%s"\n' "$DN_TEST_IMAGE"
        printf '    dockernet_node_ctl: "%s"\n' "$DN_SWARM_CTL"
        printf '    dockernet_swarm_manager_addr: "%s"\n' "$(dn_swarm_addr "$DN_SWARM_MANAGER")"
        printf '  children:\n'
        # lan_spare: a node outside the swarm, on the same LAN, for the tests that add a host
        for group in swarm_managers swarm_workers lan_spare; do
            printf '    %s:\n      hosts:\n' "$group"
            case "$group" in
                swarm_managers) nodes=("$DN_SWARM_MANAGER") ;;
                swarm_workers) nodes=("${workers[@]}") ;;
                *) nodes=("$DN_SWARM_SPARE") ;;
            esac
            for node in "${nodes[@]}"; do
                printf '        node%s:\n' "$node"
                printf '          dockernet_node: %s\n' "$node"
                printf '          dockernet_docker_host: "unix://%s"\n' "$(dn_swarm_sock "$node")"
                printf '          dockernet_swarm_addr: "%s"\n' "$(dn_swarm_addr "$node")"
                printf '          dockernet_engine_netns: "%s"\n' "$(dn_swarm_netns "$node")"
            done
        done
    } >"$DN_SWARM_INVENTORY"
}

# dn_swarm_up: a fresh rig (whatever an earlier run left is removed first).
dn_swarm_up() {
    local node start=$SECONDS
    dn_is_root || dn_die "the swarm rig needs root (network namespaces, dockerd)"
    dn_ensure_dockerd
    dn_ensure_docker_cli
    DOCKERNET_KEEP_SWARM=0 dn_swarm_down
    mkdir -p "$DN_SWARM_DIR" "$DN_LOGS"
    dn_log "swarm rig: $DN_SWARM_NODES nodes and a spare on bridge $DN_SWARM_BRIDGE ($DN_SWARM_NET_PREFIX.0/24), state in $DN_SWARM_DIR"
    dn_swarm_net_create || { dn_warn "could not create the namespaces, bridge or iptables rule"; return 1; }
    for node in $(seq 1 "$DN_SWARM_SPARE"); do
        : >"$(dn_swarm_log "$node")"
        dn_swarm_node_start "$node" || return 1
    done
    dn_swarm_form || { dn_warn "could not form the swarm (logs: $DN_LOGS/swarm-node*-dockerd.log)"; return 1; }
    dn_swarm_image || { dn_warn "could not load $DN_TEST_IMAGE on every node"; return 1; }
    dn_swarm_write_inventory
    dn_log "swarm rig up in $((SECONDS - start))s; inventory: $DN_SWARM_INVENTORY"
}

# dn_swarm_suite ANSIBLE_PLAYBOOK_ARGS...: bring a fresh rig up, run ansible-playbook against
# its inventory with the collection copy, and tear the rig down whatever happened.
dn_swarm_suite() {
    local rc=0
    if dn_swarm_up; then
        # pipelining: each module runs without copying files first (every host is local)
        ANSIBLE_COLLECTIONS_PATH="$DN_COLLECTIONS" ANSIBLE_FORCE_COLOR="${ANSIBLE_FORCE_COLOR:-0}" ANSIBLE_PIPELINING=1 \
            "$DN_VENV/bin/ansible-playbook" -i "$DN_SWARM_INVENTORY" "$@" || rc=$?
    else
        dn_warn "the swarm rig did not come up"
        rc=1
    fi
    dn_swarm_down || true
    return "$rc"
}
