# shellcheck shell=bash disable=SC2034
# (SC2034: the DN_MX_* globals set here are read by tests/run and the suites)
# The ansible-core x Python support matrix of tests/run (sourced after lib.sh).
#
# The policy is tests/matrix.yml: ansible-core minor versions, each with the controller Python
# its venv is made with, and the managed-node Pythons. Each version gets a venv of its own
# (.tmp/matrix/VERSION/venv) and a collection copy of its own
# (.tmp/matrix/VERSION/ansible_collections/dockernet/core), so ansible-test's delegation and
# sanity venvs of one version never serve another. Every cell run (or that could not run) is
# recorded by tests/harness/matrix.py in .tmp/matrix/results.jsonl; tests/run prints the table
# at the end (`matrix.py table`; with CI=true a cell that could not run fails the run).

DN_MATRIX_DIR=""

# dn_matrix_py ARGS...: tests/harness/matrix.py with the harness venv's Python (it has PyYAML).
dn_matrix_py() {
    "$DN_PY" "$DN_REPO/tests/harness/matrix.py" "$@"
}

# dn_python_path X.Y: a Python X.Y interpreter: pyenv's (PYENV_ROOT, default ~/.pyenv), else
# pythonX.Y on PATH when it really is X.Y (a pyenv shim of a version not selected is not).
dn_python_path() {
    local version="$1" candidate
    for candidate in "${PYENV_ROOT:-$HOME/.pyenv}/versions/$version".*/bin/"python$version" "$(command -v "python$version" 2>/dev/null || true)"; do
        [[ -n "$candidate" && -x "$candidate" ]] || continue
        if [[ "$("$candidate" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" == "$version" ]]; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    return 1
}

# dn_matrix_init: start a new run's results; .tmp/matrix/bin gets a pythonX.Y for every Python
# found (ansible-test --venv looks for pythonX.Y on PATH).
dn_matrix_init() {
    [[ -n "$DN_MATRIX_DIR" ]] && return 0
    DN_MATRIX_DIR="$DN_TMP/matrix"
    mkdir -p "$DN_MATRIX_DIR/bin"
    rm -f "$DN_MATRIX_DIR/results.jsonl" "$DN_MATRIX_DIR/bin"/python*
    local version path
    for version in 3.7 3.8 3.9 3.10 3.11 3.12 3.13 3.14; do
        if path="$(dn_python_path "$version")"; then
            ln -s "$path" "$DN_MATRIX_DIR/bin/python$version"
        fi
    done
    DN_MATRIX_VERSIONS=()
    DN_MATRIX_CONTROLLERS=()
    local only=" ${DOCKERNET_MATRIX_VERSIONS:-} "
    only="${only//,/ }"
    if [[ -n "${DOCKERNET_MATRIX_VERSIONS:-}" && "${CI:-}" == true ]]; then
        dn_die "DOCKERNET_MATRIX_VERSIONS=$DOCKERNET_MATRIX_VERSIONS: CI runs the whole matrix"
    fi
    while read -r version path; do
        if [[ -n "${DOCKERNET_MATRIX_VERSIONS:-}" && "$only" != *" $version "* ]]; then
            dn_log "DOCKERNET_MATRIX_VERSIONS: leaving out ansible-core $version"
            continue
        fi
        DN_MATRIX_VERSIONS+=("$version")
        DN_MATRIX_CONTROLLERS+=("$path")
    done < <(dn_matrix_py versions)
    ((${#DN_MATRIX_VERSIONS[@]} > 0)) || dn_die "no ansible-core version of tests/matrix.yml to test (DOCKERNET_MATRIX_VERSIONS=${DOCKERNET_MATRIX_VERSIONS:-})"
}

# dn_matrix_record VERSION PYTHON SUITE STATUS SECONDS DETAIL
dn_matrix_record() {
    dn_matrix_py record --version "$1" --python "$2" --suite "$3" --status "$4" --seconds "$5" \
        --detail "$6" --release "${DN_MX_RELEASE:-}"
}

# dn_matrix_version VERSION CONTROLLER_PYTHON: prepare that version's venv, pip bootstrap
# stand-ins and collection copy; sets DN_MX_VENV, DN_MX_PY, DN_MX_RELEASE, DN_MX_COPY and
# DN_MX_PYTHONS (the policy's Pythons this version supports). Returns 1 when it cannot.
dn_matrix_version() {
    local version="$1" controller="$2" python next
    dn_matrix_init
    DN_MX_VENV="$DN_MATRIX_DIR/$version/venv"
    DN_MX_PY="$DN_MX_VENV/bin/python"
    DN_MX_COPY="$DN_MATRIX_DIR/$version/ansible_collections/dockernet/core"
    DN_MX_RELEASE=""
    DN_MX_PYTHONS=()
    DN_MX_WHY=""
    if ! python="$(dn_python_path "$controller")"; then
        DN_MX_WHY="no python$controller (its controller Python) on this machine"
        return 1
    fi
    next="${version%.*}.$((${version#*.} + 1))"
    if ! dn_venv_ensure "$DN_MX_VENV" "$python" "$DN_LOGS/venv-$version.log" \
        "ansible-core>=$version,<$next" "${DN_VENV_PACKAGES[@]:1}"; then
        DN_MX_WHY="ansible-core $version could not be installed with Python $controller (log: $DN_LOGS/venv-$version.log)"
        return 1
    fi
    DN_MX_RELEASE="$("$DN_MX_PY" -c 'from ansible.release import __version__; print(__version__)')"
    local supported=()
    # the Pythons this ansible-test supports: on the controller (first line), and on targets
    mapfile -t supported < <("$DN_MX_PY" -c 'from ansible_test._util.target.common.constants import CONTROLLER_PYTHON_VERSIONS as C, REMOTE_ONLY_PYTHON_VERSIONS as R; print(" ".join(C)); print("\n".join(C + R))')
    [[ " ${supported[0]:-} " == *" $controller "* ]] \
        || dn_die "tests/matrix.yml: ansible-core $version does not support Python $controller on the controller (it supports ${supported[0]:-?})"
    mapfile -t DN_MX_PYTHONS < <(dn_matrix_py pythons "$version" "${supported[@]:1}")
    local target_pythons=()
    for python in "${DN_MX_PYTHONS[@]}"; do
        [[ -e "$DN_MATRIX_DIR/bin/python$python" ]] && target_pythons+=("$python")
    done
    dn_write_pip_bootstrap "$DN_MX_PY" "${target_pythons[@]}"
    # the copy tests/run laid out, with this version's tests/output kept
    mkdir -p "$DN_MX_COPY"
    rsync -a --delete --exclude=/tests/output/ --exclude=/.git/ "$DN_COLLECTION_DIR/" "$DN_MX_COPY/"
    [[ -d "$DN_MX_COPY/.git" ]] || git -C "$DN_MX_COPY" init -q
}

# dn_matrix_run VERSION PYTHON SUITE DETAIL COMMAND...: run one cell in the version's copy with
# its venv first on PATH, tee to .tmp/logs/matrix-VERSION-pyPYTHON-SUITE.log, record the result.
# Returns 1 when the cell failed.
dn_matrix_run() {
    local version="$1" python="$2" suite="$3" detail="$4" log start rc status
    shift 4
    log="$DN_LOGS/matrix-$version-py$python-$suite.log"
    start=$SECONDS
    printf -- '--- ansible-core %s, Python %s, %s: %s\n' "${DN_MX_RELEASE:-$version}" "$python" "$suite" "$*"
    set +e
    (
        cd "$DN_MX_COPY" || exit 1
        export VIRTUAL_ENV="$DN_MX_VENV"
        export PATH="$DN_MX_VENV/bin:$DN_MATRIX_DIR/bin:$PATH"
        "$@"
    ) 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    set -e
    status=passed
    ((rc == 0)) || status=failed
    printf -- '--- %s in %ss (log: %s)\n' "$status" "$((SECONDS - start))" "$log"
    dn_matrix_record "$version" "$python" "$suite" "$status" "$((SECONDS - start))" "$detail"
    ((rc == 0))
}

# dn_matrix_prepare VERSION CONTROLLER SUITE: dn_matrix_version, or record why the suite's
# cell of that version could not run and return 1.
dn_matrix_prepare() {
    dn_matrix_version "$1" "$2" && return 0
    dn_warn "ansible-core $1: $DN_MX_WHY"
    dn_matrix_record "$1" "$2" "$3" "not available" 0 "$DN_MX_WHY"
    return 1
}

# dn_matrix_each SUITE FUNCTION: FUNCTION VERSION CONTROLLER for each version it could prepare;
# fails when a call failed.
dn_matrix_each() {
    local suite="$1" function="$2" i rc=0
    for i in "${!DN_MATRIX_VERSIONS[@]}"; do
        dn_matrix_prepare "${DN_MATRIX_VERSIONS[$i]}" "${DN_MATRIX_CONTROLLERS[$i]}" "$suite" || continue
        "$function" "${DN_MATRIX_VERSIONS[$i]}" "${DN_MATRIX_CONTROLLERS[$i]}" || rc=1
    done
    return "$rc"
}

# dn_matrix_sanity VERSION CONTROLLER: every sanity test on the controller Python, and compile
# and import (the tests that run per Python) on each other managed-node Python it supports.
dn_matrix_sanity() {
    local version="$1" controller="$2" python rc=0
    dn_matrix_run "$version" "$controller" sanity "every test" \
        ansible-test sanity --venv --python "$controller" --color no || rc=1
    for python in "${DN_MX_PYTHONS[@]}"; do
        [[ "$python" == "$controller" ]] && continue
        if [[ ! -e "$DN_MATRIX_DIR/bin/python$python" ]]; then
            dn_warn "ansible-core $version: no python$python on this machine"
            dn_matrix_record "$version" "$python" sanity "not available" 0 "no python$python on this machine"
            continue
        fi
        dn_matrix_run "$version" "$python" sanity "compile, import" \
            ansible-test sanity --venv --python "$python" --color no --test compile --test import || rc=1
    done
    return "$rc"
}

# dn_matrix_units VERSION CONTROLLER: ansible-test units on the controller Python.
dn_matrix_units() {
    dn_matrix_run "$1" "$2" units "" ansible-test units --venv --python "$2" --requirements --color no
}

dn_suite_sanity() {
    dn_matrix_each sanity dn_matrix_sanity
}

dn_suite_units() {
    dn_matrix_each units dn_matrix_units
}

# dn_matrix_integration WHICH DETAIL ARGS...: ansible-test integration of the oldest or newest
# version (WHICH: 0 or -1) on its controller Python, in its copy, against DOCKER_HOST. The copy
# gets the integration_config.yml of the engine the caller set up.
dn_matrix_integration() {
    local which="$1" detail="$2" version controller
    shift 2
    version="${DN_MATRIX_VERSIONS[$which]}"
    controller="${DN_MATRIX_CONTROLLERS[$which]}"
    dn_matrix_prepare "$version" "$controller" integration || return 1
    dn_write_integration_config "$DN_MX_COPY"
    dn_log "integration on ansible-core $DN_MX_RELEASE (Python $controller): $detail"
    dn_matrix_run "$version" "$controller" integration "$detail" \
        ansible-test integration --local --python "$controller" --color no -v --continue-on-error "$@"
}
