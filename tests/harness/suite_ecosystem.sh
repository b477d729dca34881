# shellcheck shell=bash
# The ecosystem suite of tests/run (sourced; runs in the collection copy, $DN_COLLECTION_DIR):
# the collection as users, Galaxy, AWX and ansible-builder see it, rather than its source tree.
#
#   build      ansible-galaxy collection build from the repository: nothing of build_ignore ships
#              (a copy with a decoy for each ignored kind of file is built too), and everything
#              a user needs does
#   install    the tarball installs into a fresh collections path, which is the only one used from
#              then on; ansible-galaxy and ansible-doc find the collection there
#   demo       `ansible-playbook dockernet.core.demo` from the installed collection, twice (the
#              second run changes nothing), then its cleanup mode (demo_state=absent) in check mode
#              (nothing removed) and twice for real, every
#              module loaded from the fresh path; nothing it named is left; a container of its
#              name that it did not make stops it and survives its cleanup
#   ee         meta/execution-environment.yml is valid for ansible-builder schema 3 and
#              `ansible-builder introspect` finds requirements.txt and bindep.txt through it;
#              `ansible-builder create` writes the build context of tests/ecosystem/ee (no image)
#   changelog  antsibull-changelog lint; CHANGELOG.md is what `antsibull-changelog generate`
#              makes of changelogs/changelog.yaml; every plugin released in the latest release
#              is listed in changelogs/changelog.yaml
#   runner     AWX-style jobs with ansible-runner and a private data directory: a check job of
#              the bridge_tiers role on a fresh engine (changes reported, nothing made), the real
#              job twice (changes, then none), the demo (with -vvv: modules from the fresh path),
#              a check job of it and its cleanup job, then the role with state absent; then the
#              overlay role (on the engine made a one-node swarm) and the macvlan role (host shim, ip
#              commands delegated to the inventory host dockerhost), each as a check job, twice for
#              real and absent. Every role job runs with a PATH that holds no docker CLI, as in an
#              execution environment
#
# The tools (ansible-runner, antsibull-changelog, ansible-builder) live in a venv of their own,
# $DN_TMP/eco-venv, never in the harness venv or the collection's requirements. Networks and
# containers the suite makes are named eco-* with subnets in 10.132.0.0/16, except the demo's own
# (my_network, containerA, containerB), which it removes again.

ECO_TOOLS=(
    "ansible-runner==2.4.3"
    "antsibull-changelog==0.36.0"
    "ansible-builder==3.2.0"
)
ECO_DEMO_NETWORK=my_network
ECO_DEMO_CONTAINERS=(containerA containerB)
ECO_ROLE_CONTAINERS=(eco-web eco-db)
ECO_ROLE_TOPOLOGY=eco-tiers
ECO_OVERLAY=eco-overlay
ECO_LAN=eco-lan
ECO_LAN_PARENT=eco-mv0a
ECO_LAN_SHIM=eco-shim0

eco_log() {
    printf '[ecosystem %s] %s\n' "$(date +%H:%M:%S)" "$*"
}

eco_fail() {
    printf '[ecosystem %s] FAILED: %s\n' "$(date +%H:%M:%S)" "$*"
    return 1
}

# eco_run LOG CMD...: run CMD with its output in LOG; on failure show the end of LOG.
eco_run() {
    local log="$1"
    shift
    if "$@" >"$log" 2>&1; then
        return 0
    fi
    local rc=$?
    dn_show_log "$log" 30
    eco_fail "exit $rc: $* (log: $log)"
}

# eco_isolated CMD...: CMD sees only the fresh collections path (no user or system collections).
eco_isolated() {
    (
        cd "$ECO_DIR" || exit 1
        env -u ANSIBLE_COLLECTIONS_PATHS -u ANSIBLE_CONFIG \
            ANSIBLE_COLLECTIONS_PATH="$ECO_FRESH" ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false \
            ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 "$@"
    )
}

# --------------------------------------------------------------------------
# setup and cleanup
# --------------------------------------------------------------------------

# eco_setup_venv: $DN_TMP/eco-venv with the pinned tools, plus the harness's ansible-core version
# (antsibull-changelog asks ansible which plugin types exist; without it, it misses filters).
eco_setup_venv() {
    local core want stamp="$ECO_VENV/.dockernet-stamp" log="$DN_LOGS/eco-venv.log"
    core="$("$DN_PY" -c 'import ansible.release; print(ansible.release.__version__)')" || return 1
    want="$("$DN_PY" -c 'import sys; print(sys.version)' | head -n1)"
    want+=$'\n'"$(printf '%s\n' "${ECO_TOOLS[@]}" "ansible-core==$core")"
    if [[ -x "$ECO_VENV/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
        eco_log "tools venv up to date: $ECO_VENV"
        return 0
    fi
    eco_log "creating tools venv $ECO_VENV (log: $log)"
    rm -rf "$ECO_VENV"
    eco_run "$log" "$DN_PY" -m venv "$ECO_VENV" || return 1
    eco_run "$log" "$ECO_VENV/bin/python" -m pip install -q --disable-pip-version-check \
        "${ECO_TOOLS[@]}" "ansible-core==$core" || return 1
    printf '%s' "$want" >"$stamp"
}

# eco_demo_objects: the demo's network and containers that exist on the engine, one a line.
eco_demo_objects() {
    docker network inspect "$ECO_DEMO_NETWORK" >/dev/null 2>&1 && echo "network $ECO_DEMO_NETWORK"
    local name
    for name in "${ECO_DEMO_CONTAINERS[@]}"; do
        docker container inspect "$name" >/dev/null 2>&1 && echo "container $name"
    done
    return 0
}

eco_remove_demo_objects() {
    docker rm -f "${ECO_DEMO_CONTAINERS[@]}" >/dev/null 2>&1 || true
    docker network rm "$ECO_DEMO_NETWORK" >/dev/null 2>&1 || true
    rm -f "$DN_TMP/eco-demo-owned"
}

# eco_cleanup: remove what this suite makes. The demo's objects go only when this suite made
# them (marker file), so a user's my_network on a shared engine is never touched.
eco_cleanup() {
    local net
    docker rm -f "${ECO_ROLE_CONTAINERS[@]}" >/dev/null 2>&1 || true
    docker network rm "$ECO_OVERLAY" "$ECO_LAN" >/dev/null 2>&1 || true
    eco_ip link del "$ECO_LAN_SHIM" >/dev/null 2>&1 || true
    eco_ip link del "$ECO_LAN_PARENT" >/dev/null 2>&1 || true
    if [[ -f "$DN_TMP/eco-swarm-owned" ]]; then
        docker swarm leave --force >/dev/null 2>&1 || true
        rm -f "$DN_TMP/eco-swarm-owned"
    fi
    while read -r net; do
        [[ -n "$net" ]] && docker network rm "$net" >/dev/null 2>&1
    done < <(docker network ls --format '{{.Name}}' --filter "label=dockernet.topology=$ECO_ROLE_TOPOLOGY" 2>/dev/null)
    if [[ -f "$DN_TMP/eco-demo-owned" ]]; then
        eco_remove_demo_objects
    fi
    return 0
}

# eco_ip ARGS...: ip in the engine's network namespace (where the macvlan job's parent and shim live).
eco_ip() {
    if [[ -n "${DN_ENGINE_NETNS:-}" ]]; then
        ip -n "$DN_ENGINE_NETNS" "$@"
    else
        ip "$@"
    fi
}

# eco_path_without_docker: $PATH with no docker command, as in an execution environment (which
# has no docker CLI); the role_overlay integration target builds its PATH with the same script.
eco_path_without_docker() {
    sh "$DN_COLLECTION_DIR/tests/integration/targets/setup_docker/files/path_without_docker.sh" "$DN_TMP/eco-nodocker"
}

# eco_claim_demo_objects: the demo uses fixed names. Start from none of them, and only remove
# objects that this suite (or tests/demo on the harness's own engine) made.
eco_claim_demo_objects() {
    local existing
    existing="$(eco_demo_objects)"
    if [[ -n "$existing" && ! -f "$DN_TMP/eco-demo-owned" ]]; then
        if [[ "${DN_ENGINE_KIND:-}" == private* ]]; then
            eco_log "removing the demo's objects left on the harness's private engine (by tests/demo): ${existing//$'\n'/, }"
        else
            eco_fail "the demo's objects exist on $DOCKER_HOST (${existing//$'\n'/, }) and were not made by this suite;" \
                "remove them, or run the suite against a private engine"
            return 1
        fi
    fi
    eco_remove_demo_objects
    : >"$DN_TMP/eco-demo-owned"
}

# --------------------------------------------------------------------------
# 1. build
# --------------------------------------------------------------------------

# What must never ship (extended regular expressions on the paths in the tarball).
ECO_FORBIDDEN=(
    '(^|/)\.tmp(/|$)' '^tests/output(/|$)' '(^|/)__pycache__(/|$)' '\.py[co]$'
    '(^|/)(\.?venv|\.tox|\.nox)(/|$)' '(^|/)\.git(/|$)' '^\.(github|ci)(/|$)' '\.log$'
    '(^|/)\.ansible(/|$)' '(^|/)node_modules(/|$)' '(^|/)\.(mypy|pytest|ruff)_cache(/|$)' '(^|/)\.cache(/|$)'
    '\.tar\.gz$' '(^|/)\.(idea|vscode)(/|$)' '\.sw[po]$' '~$' '(^|/)\.DS_Store$' '(^|/)(\.coverage|htmlcov)'
    '^docs/_?build(/|$)' '^tests/benchmark/results(/|$)' '^tests/integration/(integration_config\.yml|inventory)$'
    '^changelogs/\.plugin-cache\.yaml$'
)

# One file for each kind of thing build_ignore must keep out, at the top and deeper down.
ECO_DECOYS=(
    .tmp/venv/bin/python .venv/pyvenv.cfg venv/pyvenv.cfg plugins/.venv/pyvenv.cfg .tox/log .nox/log
    tests/output/junit/result.xml tests/integration/integration_config.yml tests/integration/inventory
    plugins/modules/__pycache__/network.cpython-311.pyc plugins/module_utils/_stale.pyc plugins/module_utils/_stale.pyo
    .mypy_cache/3.11/cache.json plugins/.mypy_cache/cache.json .pytest_cache/v/cache/lastfailed
    tests/unit/.pytest_cache/v/cache/nodeids .ruff_cache/0.1/cache tests/.ruff_cache/cache .cache/pip/x
    .ansible/collections/x roles/bridge_tiers/.ansible/x node_modules/x/package.json docs/node_modules/x/package.json
    docs/_build/html/index.html docs/build/index.html tests/benchmark/results/run.json
    harness.log tests/integration/targets/network/debug.log dockernet-core-0.0.1.tar.gz docs/old.tar.gz
    .idea/workspace.xml .vscode/settings.json plugins/modules/.network.py.swp docs/.notes.md.swo README.md~
    .DS_Store docs/.DS_Store .coverage .coverage.host.1234 htmlcov/index.html changelogs/.plugin-cache.yaml
    .git/HEAD .github/workflows/ci.yml .ci/run
)

# eco_list_tarball TARBALL OUT: the paths in TARBALL, one a line, without a leading ./ or trailing /.
eco_list_tarball() {
    tar -tzf "$1" | sed -e 's|^\./||' -e 's|/$||' | grep -v '^$' | sort -u >"$2"
}

# eco_check_forbidden LISTING: fail on every path that must not ship.
eco_check_forbidden() {
    local listing="$1" pattern bad status=0
    for pattern in "${ECO_FORBIDDEN[@]}"; do
        bad="$(grep -E -- "$pattern" "$listing" | head -n 5 || true)"
        if [[ -n "$bad" ]]; then
            eco_fail "$(basename "$listing"): ships paths matching $pattern (add them to build_ignore in galaxy.yml): ${bad//$'\n'/, }"
            status=1
        fi
    done
    return "$status"
}

eco_step_build() {
    local build="$ECO_DIR/build" listing="$ECO_DIR/build/tarball.txt" status=0 path
    mkdir -p "$build"
    eco_run "$ECO_DIR/logs/build.log" ansible-galaxy collection build --output-path "$build" "$DN_REPO" || return 1
    ECO_TARBALL="$(find "$build" -maxdepth 1 -name 'dockernet-core-*.tar.gz' | head -n1)"
    [[ -n "$ECO_TARBALL" ]] || { eco_fail "ansible-galaxy collection build wrote no dockernet-core-*.tar.gz"; return 1; }
    eco_list_tarball "$ECO_TARBALL" "$listing"
    eco_log "built $(basename "$ECO_TARBALL") from $DN_REPO: $(wc -l <"$listing") paths, $(du -k "$ECO_TARBALL" | cut -f1) KiB"
    eco_check_forbidden "$listing" || status=1

    # what a user needs: metadata, docs, every module, role, filter and doc fragment of the repository
    local required=(MANIFEST.json FILES.json README.md CHANGELOG.md changelogs/changelog.yaml meta/runtime.yml
        meta/execution-environment.yml requirements.txt bindep.txt docs/README.md docs/getting-started.md playbooks/demo.yml
        CONTRIBUTING.md CODE_OF_CONDUCT.md)
    for path in LICENSE LICENSE.md COPYING; do
        [[ -f "$DN_REPO/$path" ]] && required+=("$path")
    done
    while IFS= read -r path; do
        required+=("${path#./}")
    done < <(cd "$DN_REPO" && find ./plugins ./roles ./docs ./meta -type f \
        ! -path '*/__pycache__/*' ! -name '*.py[co]' ! -path '*_cache/*' ! -name '*.sw[po]' ! -name '*~' ! -name '.*' | sort)
    local missing=()
    for path in "${required[@]}"; do
        grep -qxF -- "$path" "$listing" || missing+=("$path")
    done
    if ((${#missing[@]})); then
        eco_fail "the tarball lacks: ${missing[*]}"
        status=1
    fi
    grep -qE '^plugins/modules/[a-z_]+\.py$' "$listing" || { eco_fail "no module in plugins/modules/"; status=1; }
    grep -qE '^roles/[a-z_]+/tasks/main\.yml$' "$listing" || { eco_fail "no role in roles/"; status=1; }

    # MANIFEST.json says what galaxy.yml says
    if ! tar -xzOf "$ECO_TARBALL" MANIFEST.json | "$DN_PY" -c '
import json, sys, yaml
info = json.load(sys.stdin)["collection_info"]
galaxy = yaml.safe_load(open(sys.argv[1]))
bad = [k for k in ("namespace", "name", "version") if info[k] != galaxy[k]]
for k in bad:
    print("MANIFEST.json %s is %r, galaxy.yml says %r" % (k, info[k], galaxy[k]))
sys.exit(1 if bad else 0)
' "$DN_REPO/galaxy.yml"; then
        eco_fail "MANIFEST.json does not match galaxy.yml"
        status=1
    fi

    # build_ignore itself: a copy of the repository with a decoy for each kind of ignored file
    local decoy="$ECO_DIR/decoy" decoy_listing="$ECO_DIR/build/decoy-tarball.txt"
    rsync -a --exclude /.git --exclude /.tmp --exclude /tests/output --exclude '*_cache' --exclude __pycache__ \
        --exclude '/*.tar.gz' "$DN_REPO/" "$decoy/"
    for path in "${ECO_DECOYS[@]}"; do
        mkdir -p "$decoy/$(dirname "$path")"
        echo decoy >"$decoy/$path"
    done
    mkdir -p "$build/decoy"
    eco_run "$ECO_DIR/logs/build-decoy.log" ansible-galaxy collection build --output-path "$build/decoy" "$decoy" || return 1
    eco_list_tarball "$(find "$build/decoy" -maxdepth 1 -name 'dockernet-core-*.tar.gz' | head -n1)" "$decoy_listing"
    local shipped=()
    for path in "${ECO_DECOYS[@]}"; do
        grep -qxF -- "$path" "$decoy_listing" && shipped+=("$path")
    done
    if ((${#shipped[@]})); then
        eco_fail "build_ignore in galaxy.yml lets these ship: ${shipped[*]}"
        status=1
    fi
    eco_check_forbidden "$decoy_listing" || status=1
    ((status == 0)) && eco_log "build: ${#required[@]} required paths present; none of ${#ECO_FORBIDDEN[@]} forbidden kinds; ${#ECO_DECOYS[@]} decoys ignored"
    return "$status"
}

# --------------------------------------------------------------------------
# 2. install
# --------------------------------------------------------------------------

eco_step_install() {
    local log="$ECO_DIR/logs/install.log"
    eco_run "$log" eco_isolated ansible-galaxy collection install "$ECO_TARBALL" -p "$ECO_FRESH" || return 1
    [[ -f "$ECO_FRESH/ansible_collections/dockernet/core/MANIFEST.json" ]] \
        || { eco_fail "no MANIFEST.json under $ECO_FRESH/ansible_collections/dockernet/core after the install"; return 1; }
    eco_isolated ansible-galaxy collection list dockernet.core --format json >"$ECO_DIR/collection-list.json" 2>>"$log" \
        || { eco_fail "ansible-galaxy collection list failed (log: $log)"; return 1; }
    eco_isolated ansible-doc --json dockernet.core.network >"$ECO_DIR/doc-network.json" 2>>"$log" \
        || { eco_fail "ansible-doc dockernet.core.network failed (log: $log)"; return 1; }
    eco_isolated ansible-doc --json --list dockernet.core >"$ECO_DIR/doc-list.json" 2>>"$log" \
        || { eco_fail "ansible-doc --list dockernet.core failed (log: $log)"; return 1; }
    "$DN_PY" - "$ECO_FRESH" "$ECO_DIR" "$DN_REPO" <<'EOF' || { eco_fail "the installed collection is not the one Ansible uses"; return 1; }
import json, os, sys
fresh, work, repo = sys.argv[1:]
root = os.path.join(fresh, "ansible_collections") + os.sep
listing = json.load(open(os.path.join(work, "collection-list.json")))
paths = [p for p, found in listing.items() if "dockernet.core" in found]
doc = json.load(open(os.path.join(work, "doc-network.json")))["dockernet.core.network"]["doc"]
modules = sorted(json.load(open(os.path.join(work, "doc-list.json"))))
want = sorted("dockernet.core." + f[:-3] for f in os.listdir(os.path.join(repo, "plugins", "modules")) if f.endswith(".py") and not f.startswith("_"))
errors = []
if paths != [root.rstrip(os.sep)]:
    errors.append("ansible-galaxy collection list finds dockernet.core in %s, expected only %s" % (paths, root))
if not doc["filename"].startswith(root):
    errors.append("ansible-doc reads dockernet.core.network from %s, not from %s" % (doc["filename"], root))
if modules != want:
    errors.append("ansible-doc lists modules %s, the repository has %s" % (modules, want))
for error in errors:
    print("install: " + error)
if not errors:
    print("install: dockernet.core %s in %s only; ansible-doc reads %s; %d modules" % (listing[paths[0]]["dockernet.core"]["version"], paths[0], doc["filename"], len(modules)))
sys.exit(1 if errors else 0)
EOF
}

# --------------------------------------------------------------------------
# 3. demo from the installed collection
# --------------------------------------------------------------------------

# eco_recap LOG: "ok changed failed unreachable" summed over the hosts of the PLAY RECAP in LOG.
eco_recap() {
    awk '
        /^PLAY RECAP/ { ok = 0; changed = 0; failed = 0; unreachable = 0; seen = 1; next }
        seen && /[[:space:]]ok=[0-9]+/ {
            for (i = 1; i <= NF; i++) {
                split($i, kv, "=")
                if (kv[1] in want) want[kv[1]] += kv[2]
            }
        }
        BEGIN { want["ok"] = 0; want["changed"] = 0; want["failed"] = 0; want["unreachable"] = 0 }
        END { if (seen) print want["ok"], want["changed"], want["failed"], want["unreachable"]; else print "none" }
    ' "$1"
}

# eco_demo_run LOG CHANGED ARGS...: `ansible-playbook -vvv dockernet.core.demo ARGS` from the fresh
# collections path, as a user of the tarball runs it; it must succeed, report changes (CHANGED some)
# or none (none), and load every dockernet.core module from the fresh path.
eco_demo_run() {
    local log="$1" want="$2" totals ok changed failed unreachable used outside
    shift 2
    if ! eco_isolated ansible-playbook -vvv dockernet.core.demo -e "demo_docker_host=$DOCKER_HOST" \
        -e "demo_image=$DN_TEST_IMAGE" -e "ansible_python_interpreter=$DN_PY" "$@" >"$log" 2>&1; then
        dn_show_log "$log" 30
        eco_fail "ansible-playbook dockernet.core.demo $* failed (log: $log)"
        return 1
    fi
    totals="$(eco_recap "$log")"
    [[ "$totals" != none ]] || { eco_fail "demo $*: no PLAY RECAP (log: $log)"; return 1; }
    read -r ok changed failed unreachable <<<"$totals"
    eco_log "demo ${*:-(converge)}: ok=$ok changed=$changed failed=$failed unreachable=$unreachable"
    ((failed == 0 && unreachable == 0)) || { eco_fail "demo $* had failures (log: $log)"; return 1; }
    if [[ "$want" == some ]] && ((changed == 0)); then
        eco_fail "demo $*: expected changes, got changed=0 (log: $log)"
        return 1
    fi
    if [[ "$want" == none ]] && ((changed != 0)); then
        eco_fail "demo $*: reported changed=$changed, expected changed=0 (log: $log)"
        return 1
    fi
    used="$(grep -oE 'Using module file [^ ]+' "$log" | awk '{print $4}' | grep '/ansible_collections/dockernet/core/' | sort -u || true)"
    outside="$(grep -vF -- "$ECO_FRESH/ansible_collections/dockernet/core/plugins/modules/" <<<"$used" || true)"
    [[ -n "$used" ]] || { eco_fail "demo $*: no 'Using module file' line for a dockernet.core module (log: $log)"; return 1; }
    [[ -z "$outside" ]] || { eco_fail "demo $* used modules outside $ECO_FRESH: $outside"; return 1; }
}

eco_step_demo() {
    local logs="$ECO_DIR/logs" left
    [[ -f "$ECO_FRESH/ansible_collections/dockernet/core/playbooks/demo.yml" ]] \
        || { eco_fail "the installed collection has no playbooks/demo.yml"; return 1; }
    eco_claim_demo_objects || return 1
    # converge twice (changes, then none); its cleanup mode in check mode (changes reported, nothing
    # removed), then for real twice (changes, then none)
    eco_demo_run "$logs/demo-run1.log" some || return 1
    eco_demo_run "$logs/demo-run2.log" none || return 1
    local before
    before="$(eco_demo_objects)"
    eco_demo_run "$logs/demo-absent-check.log" some -e demo_state=absent --check || return 1
    left="$(eco_demo_objects)"
    [[ "$left" == "$before" && "$(wc -l <<<"$left")" == 3 ]] \
        || { eco_fail "the cleanup mode's check run changed the engine: before ${before//$'\n'/, }; after ${left//$'\n'/, }"; return 1; }
    eco_demo_run "$logs/demo-absent1.log" some -e demo_state=absent || return 1
    eco_demo_run "$logs/demo-absent2.log" none -e demo_state=absent || return 1
    left="$(eco_demo_objects)"
    [[ -z "$left" ]] || { eco_fail "the demo's cleanup mode left: ${left//$'\n'/, }"; return 1; }
    eco_log "demo: converged, then removed everything it named, from $ECO_FRESH"

    # a container of the demo's name that the demo did not make: the demo fails before creating
    # anything, and its cleanup mode leaves the container alone
    local foreign="${ECO_DEMO_CONTAINERS[0]}" log="$logs/demo-foreign.log"
    eco_run "$logs/demo-foreign-setup.log" docker run --detach --name "$foreign" "$DN_TEST_IMAGE" sleep 3600 || return 1
    if eco_isolated ansible-playbook dockernet.core.demo -e "demo_docker_host=$DOCKER_HOST" \
        -e "demo_image=$DN_TEST_IMAGE" -e "ansible_python_interpreter=$DN_PY" >"$log" 2>&1; then
        eco_fail "the demo converged next to a container $foreign it did not make (log: $log)"
        return 1
    fi
    grep -q "exist without the label" "$log" || { eco_fail "the demo failed, but not for $foreign (log: $log)"; return 1; }
    left="$(eco_demo_objects)"
    [[ "$left" == "container $foreign" ]] || { eco_fail "after the refused run, expected only container $foreign, found: ${left//$'\n'/, }"; return 1; }
    eco_demo_run "$logs/demo-foreign-absent.log" none -e demo_state=absent || return 1
    left="$(eco_demo_objects)"
    [[ "$left" == "container $foreign" ]] || { eco_fail "the cleanup mode touched $foreign it did not make: ${left//$'\n'/, }"; return 1; }
    eco_log "demo: refused to use $foreign that it did not make, and its cleanup left it alone"
    eco_remove_demo_objects
}

# --------------------------------------------------------------------------
# 4. execution environment
# --------------------------------------------------------------------------

eco_step_ee() {
    local ee="$ECO_DIR/ee" tarball status=0
    mkdir -p "$ee/collections"
    "$ECO_VENV/bin/ansible-builder" introspect "$ECO_FRESH" >"$ee/introspect.txt" 2>"$ECO_DIR/logs/introspect.log" \
        || { dn_show_log "$ECO_DIR/logs/introspect.log"; eco_fail "ansible-builder introspect $ECO_FRESH failed"; return 1; }
    "$ECO_VENV/bin/python" "$DN_COLLECTION_DIR/tests/ecosystem/check_ee.py" "$ECO_FRESH" "$ee/introspect.txt" || status=1

    # an execution environment definition that installs the tarball: create its build context only
    tarball="$(basename "$ECO_TARBALL")"
    cp "$DN_COLLECTION_DIR/tests/ecosystem/ee/execution-environment.yml" "$ee/"
    cp "$ECO_TARBALL" "$ee/collections/"
    printf -- '---\ncollections:\n  - name: /build/collections/%s\n    type: file\n' "$tarball" >"$ee/requirements.yml"
    # The file name is given: left to itself, ansible-builder picks Dockerfile or Containerfile
    # by which container runtime it finds on PATH, so the result would depend on the machine.
    (cd "$ee" && eco_run "$ECO_DIR/logs/ee-create.log" "$ECO_VENV/bin/ansible-builder" create \
        --file execution-environment.yml --context context --output-filename Containerfile) || return 1
    local want=(context/Containerfile context/_build/requirements.yml "context/_build/collections/$tarball")
    local path
    for path in "${want[@]}"; do
        [[ -f "$ee/$path" ]] || { eco_fail "ansible-builder create wrote no $path"; status=1; }
    done
    if [[ -f "$ee/context/Containerfile" ]] && ! grep -q 'ansible-galaxy collection install .*-r requirements.yml' "$ee/context/Containerfile"; then
        eco_fail "the Containerfile of ansible-builder create installs no collections"
        status=1
    fi
    ((status == 0)) && eco_log "ee: ansible-builder create wrote $ee/context (Containerfile installs $tarball)"
    return "$status"
}

# --------------------------------------------------------------------------
# 5. changelog
# --------------------------------------------------------------------------

eco_step_changelog() {
    local copy="$ECO_DIR/changelog/ansible_collections/dockernet/core" log="$ECO_DIR/logs/changelog.log" status=0
    local changelog=("$ECO_VENV/bin/antsibull-changelog")
    [[ -f "$DN_COLLECTION_DIR/changelogs/changelog.yaml" ]] || { eco_fail "no changelogs/changelog.yaml"; return 1; }
    [[ -f "$DN_COLLECTION_DIR/CHANGELOG.md" ]] || { eco_fail "no CHANGELOG.md"; return 1; }
    # antsibull-changelog writes a plugin cache: work in a copy laid out as a collection
    mkdir -p "$copy"
    rsync -a --exclude /tests/output --exclude /.git "$DN_COLLECTION_DIR/" "$copy/"
    (cd "$copy" && eco_run "$log" "${changelog[@]}" lint) || status=1
    (cd "$copy" && eco_run "$log" "${changelog[@]}" lint-changelog-yaml changelogs/changelog.yaml) || status=1
    (cd "$copy" && eco_run "$log" "${changelog[@]}" generate) || return 1
    if ! diff -u "$DN_COLLECTION_DIR/CHANGELOG.md" "$copy/CHANGELOG.md" >"$ECO_DIR/changelog/CHANGELOG.md.diff"; then
        head -n 30 "$ECO_DIR/changelog/CHANGELOG.md.diff"
        eco_fail "CHANGELOG.md is stale: run \`antsibull-changelog generate\` (see CONTRIBUTING.md)"
        status=1
    fi

    # the latest release lists every plugin whose version_added is that release: redo it without
    # the pending fragments (they belong to the next release) and compare
    local latest
    latest="$("$DN_PY" -c '
import sys, yaml
from ansible.module_utils.compat.version import LooseVersion
releases = yaml.safe_load(open(sys.argv[1]))["releases"]
version = max(releases, key=LooseVersion)
print(version, releases[version]["release_date"])
' "$copy/changelogs/changelog.yaml")" || { eco_fail "cannot read the releases of changelogs/changelog.yaml"; return 1; }
    read -r version date <<<"$latest"
    cp "$copy/changelogs/changelog.yaml" "$ECO_DIR/changelog/changelog.yaml.orig"
    find "$copy/changelogs/fragments" -type f ! -name '.*' -delete
    (cd "$copy" && eco_run "$log" "${changelog[@]}" release --version "$version" --date "$date" --update-existing --reload-plugins) || return 1
    if ! diff -u "$ECO_DIR/changelog/changelog.yaml.orig" "$copy/changelogs/changelog.yaml" >"$ECO_DIR/changelog/changelog.yaml.diff"; then
        cat "$ECO_DIR/changelog/changelog.yaml.diff"
        eco_fail "changelogs/changelog.yaml misses plugins released in $version (above); add them with" \
            "\`antsibull-changelog release --version $version --date $date --update-existing --reload-plugins\` (see CONTRIBUTING.md)"
        status=1
    fi
    ((status == 0)) && eco_log "changelog: fragments lint clean; CHANGELOG.md current; release $version ($date) lists every plugin added in it"
    return "$status"
}

# --------------------------------------------------------------------------
# 6. AWX-style jobs with ansible-runner
# --------------------------------------------------------------------------

# eco_runner_pdd DIR CMDLINE: a private data directory as AWX writes one for each job: env/envvars
# (the execution environment's collections path), env/extravars (the job template's variables),
# env/cmdline (the job type's options, e.g. --check), inventory/hosts and the project's playbooks.
eco_runner_pdd() {
    local pdd="$1" cmdline="$2"
    mkdir -p "$pdd/env" "$pdd/inventory" "$pdd/project"
    cat >"$pdd/env/envvars" <<EOF
---
ANSIBLE_COLLECTIONS_PATH: "$ECO_FRESH"
ANSIBLE_COLLECTIONS_SCAN_SYS_PATH: "false"
ANSIBLE_NOCOLOR: "1"
EOF
    cat >"$pdd/env/extravars" <<EOF
---
dockernet_docker_host: "$DOCKER_HOST"
dockernet_test_image: "$DN_TEST_IMAGE"
demo_docker_host: "$DOCKER_HOST"
demo_image: "$DN_TEST_IMAGE"
dockernet_engine_netns: "${DN_ENGINE_NETNS:-}"
EOF
    # ansible-runner keeps env/cmdline for every later job of its directory: one directory per job
    if [[ -n "$cmdline" ]]; then
        printf '%s\n' "$cmdline" >"$pdd/env/cmdline"
    fi
    # dockerhost: the Docker host under its own inventory name, for the macvlan role's delegated ip commands
    printf '%s ansible_connection=local ansible_python_interpreter=%s\n' localhost "$DN_PY" dockerhost "$DN_PY" >"$pdd/inventory/hosts"
    cp "$DN_COLLECTION_DIR"/tests/ecosystem/runner/project/*.yml "$pdd/project/"
    cp "$ECO_FRESH/ansible_collections/dockernet/core/playbooks/demo.yml" "$pdd/project/demo.yml"
}

# eco_runner_job IDENT PLAYBOOK CHANGED [CMDLINE] [MODULE_ROOT]: one job, `ansible-runner run PDD
# -p PLAYBOOK`, in a private data directory of its own; then its artifacts are checked (status,
# rc, stats and events; CHANGED is some or none; see tests/ecosystem/runner_job.py).
eco_runner_job() {
    local ident="$1" playbook="$2" changed="$3" cmdline="${4:-}" module_root="${5:-}"
    local pdd="$ECO_DIR/runner/$ident" path="$PATH"
    eco_runner_pdd "$pdd" "$cmdline"
    # ansible-runner starts ansible-playbook from PATH: the harness venv's. An execution environment
    # has no DOCKER_* variables: the job template's module_defaults alone must reach the engine, in
    # the roles' tasks too. Nor has it a docker CLI: the roles' jobs run without one on PATH (the demo
    # starts its containers with it).
    if [[ "$playbook" != demo.yml ]]; then
        path="$(eco_path_without_docker)"
        if PATH="$path" command -v docker >/dev/null 2>&1; then
            eco_fail "job $ident: a docker command is still on PATH ($path)"
            return 1
        fi
    fi
    if ! (cd "$ECO_DIR" && env -u ANSIBLE_COLLECTIONS_PATHS -u ANSIBLE_CONFIG \
        -u DOCKER_HOST -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH PATH="$path" \
        "$ECO_VENV/bin/ansible-runner" run "$pdd" -p "$playbook" --ident "$ident") >"$ECO_DIR/logs/runner-$ident.log" 2>&1; then
        eco_log "ansible-runner exited non-zero for job $ident (the artifacts say why)"
    fi
    local check=("$ECO_VENV/bin/python" "$DN_COLLECTION_DIR/tests/ecosystem/runner_job.py" "$pdd/artifacts/$ident" --changed "$changed")
    [[ -n "$module_root" ]] && check+=(--module-root "$module_root")
    if ! "${check[@]}"; then
        dn_show_log "$pdd/artifacts/$ident/stdout" 30
        return 1
    fi
}

# eco_engine_snapshot: the engine's networks and each role container's networks, for "made nothing".
eco_engine_snapshot() {
    docker network ls --no-trunc --format '{{.ID}} {{.Name}}' | sort
    local name
    for name in "${ECO_ROLE_CONTAINERS[@]}"; do
        printf '%s: %s\n' "$name" "$(docker container inspect --format '{{json .NetworkSettings.Networks}}' "$name")"
    done
    # the interfaces of the engine's namespace, for the macvlan role's shim
    eco_ip -o link show | awk '{print $2}' | sort
}

# eco_swarm_settled: after `docker swarm init` the daemon goes on alone for a moment (it creates
# docker_gwbridge and wires the ingress sandbox's veth pair to it). Wait until the snapshot the
# check jobs compare stays the same over three readings two seconds apart (at most 60 s), so a check
# job sees only its own doing.
eco_swarm_settled() {
    local previous="" current same=0 tries=0
    while ((tries < 30)); do
        current="$(eco_engine_snapshot)"
        if [[ "$current" == "$previous" ]]; then
            same=$((same + 1))
            ((same >= 2)) && return 0
        else
            same=0
        fi
        previous="$current"
        tries=$((tries + 1))
        sleep 2
    done
    eco_fail "the engine's swarm setup did not settle within 60 s after docker swarm init"
    return 1
}

# eco_check_job IDENT PLAYBOOK: an AWX job of type "Check" (ansible-playbook --check --diff); it
# must predict changes and make none.
eco_check_job() {
    local ident="$1" playbook="$2" before after
    before="$(eco_engine_snapshot)"
    eco_runner_job "$ident" "$playbook" some '--check --diff' || return 1
    after="$(eco_engine_snapshot)"
    if [[ "$before" != "$after" ]]; then
        diff <(echo "$before") <(echo "$after")
        eco_fail "the check job $ident changed the engine (above)"
        return 1
    fi
    eco_log "job $ident: the engine's networks, the members' endpoints and the interfaces are unchanged"
}

eco_step_runner() {
    # the role's members; fresh engine state: no network of the role yet
    local name
    for name in "${ECO_ROLE_CONTAINERS[@]}"; do
        eco_run "$ECO_DIR/logs/runner-setup.log" docker run --detach --name "$name" "$DN_TEST_IMAGE" sleep 3600 || return 1
    done
    [[ -z "$(docker network ls -q --filter "label=dockernet.topology=$ECO_ROLE_TOPOLOGY")" ]] \
        || { eco_fail "networks of $ECO_ROLE_TOPOLOGY exist before the check job"; return 1; }

    eco_check_job role-check bridge_tiers.yml || return 1

    eco_runner_job role-run1 bridge_tiers.yml some || return 1
    local inspect expected
    expected="${ECO_ROLE_TOPOLOGY}_front 10.132.1.0/24 internal=false 1"$'\n'"${ECO_ROLE_TOPOLOGY}_back 10.132.2.0/24 internal=true 2"
    inspect="$(docker network inspect --format '{{.Name}} {{(index .IPAM.Config 0).Subnet}} internal={{.Internal}} {{len .Containers}}' \
        "$ECO_ROLE_TOPOLOGY"_front "$ECO_ROLE_TOPOLOGY"_back 2>&1)" || { eco_fail "the role's networks are missing: $inspect"; return 1; }
    if [[ "$inspect" != "$expected" ]]; then
        eco_fail "the role's networks are not as declared: ${inspect//$'\n'/; }"
        return 1
    fi
    local db_address
    db_address="$(docker container inspect --format "{{(index .NetworkSettings.Networks \"${ECO_ROLE_TOPOLOGY}_back\").IPAddress}}" eco-db)"
    [[ "$db_address" == 10.132.2.10 ]] || { eco_fail "eco-db has $db_address on ${ECO_ROLE_TOPOLOGY}_back, expected 10.132.2.10"; return 1; }
    eco_log "job role-run1: ${inspect//$'\n'/; }; eco-db at $db_address"
    eco_runner_job role-run2 bridge_tiers.yml none || return 1

    # the demo: a check job on an engine without its objects (changes reported, none made), the real
    # job (verbose, to see where each module came from), then a check job of the converged demo
    eco_claim_demo_objects || return 1
    eco_runner_job demo-check-fresh demo.yml some --check || return 1
    local leftover
    leftover="$(eco_demo_objects)"
    [[ -z "$leftover" ]] || { eco_fail "the demo's check job on a fresh engine created: ${leftover//$'
'/, }"; return 1; }
    eco_runner_job demo-run demo.yml some -vvv "$ECO_FRESH" || return 1
    eco_runner_job demo-check demo.yml none --check || return 1
    eco_runner_job demo-absent demo.yml some '-e demo_state=absent' || return 1
    leftover="$(eco_demo_objects)"
    [[ -z "$leftover" ]] || { eco_fail "the demo's cleanup job left: ${leftover//$'\n'/, }"; return 1; }
    eco_remove_demo_objects

    eco_runner_job role-absent bridge_tiers.yml some '-e eco_state=absent' || return 1
    [[ -z "$(docker network ls -q --filter "label=dockernet.topology=$ECO_ROLE_TOPOLOGY")" ]] \
        || { eco_fail "networks of $ECO_ROLE_TOPOLOGY remain after the absent job"; return 1; }
    eco_log "job role-absent: no network of $ECO_ROLE_TOPOLOGY left"

    eco_overlay_jobs || return 1
    eco_macvlan_jobs
}

# eco_role_jobs PREFIX PLAYBOOK VERIFY: a role's check job, its real job twice (changes, then none),
# VERIFY (a function) after the first, then the job with eco_state=absent.
eco_role_jobs() {
    local prefix="$1" playbook="$2" verify="$3"
    eco_check_job "$prefix-check" "$playbook" || return 1
    eco_runner_job "$prefix-run1" "$playbook" some || return 1
    "$verify" || return 1
    eco_runner_job "$prefix-run2" "$playbook" none || return 1
    eco_runner_job "$prefix-absent" "$playbook" some '-e eco_state=absent'
}

eco_verify_overlay() {
    local inspect aliases
    inspect="$(docker network inspect --format '{{.Driver}} {{.Scope}} {{(index .IPAM.Config 0).Subnet}}' "$ECO_OVERLAY" 2>&1)" \
        || { eco_fail "the overlay network is missing: $inspect"; return 1; }
    [[ "$inspect" == "overlay swarm 10.132.10.0/24" ]] || { eco_fail "the overlay network is not as declared: $inspect"; return 1; }
    aliases="$(docker container inspect --format "{{json (index .NetworkSettings.Networks \"$ECO_OVERLAY\").Aliases}}" eco-web 2>&1)"
    [[ "$aliases" == *'"web"'* ]] || { eco_fail "eco-web is not on $ECO_OVERLAY with the alias web: $aliases"; return 1; }
    eco_log "job overlay-run1: $ECO_OVERLAY: $inspect; eco-web with aliases $aliases"
}

# The overlay role on the engine made a one-node swarm (left again at the end).
eco_overlay_jobs() {
    if [[ -z "${DN_SWARM_ADDR:-}" ]]; then
        eco_log "overlay jobs: skipped (no swarm address for this engine; see DOCKERNET_SWARM_ADDR)"
        return 0
    fi
    if [[ "$(docker info --format '{{.Swarm.LocalNodeState}}')" != active ]]; then
        eco_run "$ECO_DIR/logs/runner-setup.log" docker swarm init --advertise-addr "$DN_SWARM_ADDR" || return 1
        : >"$DN_TMP/eco-swarm-owned"
        eco_swarm_settled || return 1
    fi
    eco_role_jobs overlay overlay.yml eco_verify_overlay || return 1
    docker network inspect "$ECO_OVERLAY" >/dev/null 2>&1 && { eco_fail "$ECO_OVERLAY remains after the absent job"; return 1; }
    if [[ -f "$DN_TMP/eco-swarm-owned" ]]; then
        eco_run "$ECO_DIR/logs/runner-setup.log" docker swarm leave --force || return 1
        rm -f "$DN_TMP/eco-swarm-owned"
    fi
    eco_log "job overlay-absent: $ECO_OVERLAY removed"
}

eco_verify_macvlan() {
    local address shim
    address="$(docker container inspect --format "{{(index .NetworkSettings.Networks \"$ECO_LAN\").IPAddress}}" eco-db 2>&1)"
    [[ "$address" == 10.132.20.10 ]] || { eco_fail "eco-db has $address on $ECO_LAN, expected 10.132.20.10"; return 1; }
    shim="$(eco_ip -o addr show dev "$ECO_LAN_SHIM" 2>&1)"
    [[ "$shim" == *" inet 10.132.20.250/32 "* ]] || { eco_fail "the shim $ECO_LAN_SHIM is not as declared: $shim"; return 1; }
    eco_log "job macvlan-run1: eco-db at $address on $ECO_LAN; shim $ECO_LAN_SHIM at 10.132.20.250/32"
}

# The macvlan role with a host shim, on a veth parent in the engine's namespace.
eco_macvlan_jobs() {
    eco_run "$ECO_DIR/logs/runner-setup.log" eco_ip link add "$ECO_LAN_PARENT" type veth peer name eco-mv0b || return 1
    # both ends up: a veth without its peer has no carrier, and nothing passes its macvlan interfaces
    eco_run "$ECO_DIR/logs/runner-setup.log" eco_ip link set "$ECO_LAN_PARENT" up || return 1
    eco_run "$ECO_DIR/logs/runner-setup.log" eco_ip link set eco-mv0b up || return 1
    eco_role_jobs macvlan macvlan.yml eco_verify_macvlan || return 1
    docker network inspect "$ECO_LAN" >/dev/null 2>&1 && { eco_fail "$ECO_LAN remains after the absent job"; return 1; }
    eco_ip link show "$ECO_LAN_SHIM" >/dev/null 2>&1 && { eco_fail "the shim $ECO_LAN_SHIM remains after the absent job"; return 1; }
    eco_log "job macvlan-absent: $ECO_LAN and the shim removed"
}

# --------------------------------------------------------------------------

dn_suite_ecosystem() {
    local start=$SECONDS step status=0 results=() step_start
    ECO_DIR="$DN_TMP/eco"
    ECO_VENV="$DN_TMP/eco-venv"
    ECO_FRESH="$ECO_DIR/collections"
    ECO_TARBALL=""
    rm -rf "$ECO_DIR"
    mkdir -p "$ECO_DIR/logs"
    eco_setup_venv || return 1
    eco_cleanup

    for step in build install demo ee changelog runner; do
        case "$step" in
            install | demo | ee | runner)
                if [[ -z "$ECO_TARBALL" || ( "$step" != install && ! -d "$ECO_FRESH/ansible_collections/dockernet/core" ) ]]; then
                    results+=("$step: skipped (no tarball or no installed collection)")
                    status=1
                    continue
                fi
                ;;
        esac
        printf -- '----- ecosystem: %s -----\n' "$step"
        step_start=$SECONDS
        if "eco_step_$step"; then
            results+=("$step: passed ($((SECONDS - step_start))s)")
        else
            results+=("$step: FAILED ($((SECONDS - step_start))s)")
            status=1
        fi
    done
    eco_cleanup

    printf -- '----- ecosystem: summary (%ss) -----\n' "$((SECONDS - start))"
    printf '%s\n' "${results[@]}"
    return "$status"
}
