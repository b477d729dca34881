# shellcheck shell=bash
# The lint suite of tests/run (sourced; runs in the collection copy, $DN_COLLECTION_DIR):
# ansible-lint with the production profile (.ansible-lint) on the roles, the demo playbook,
# meta/runtime.yml and the modules' EXAMPLES, each written as a playbook by the same helper
# the integration target module_examples runs them with; then ruff (plugins, unit tests) and mypy
# (plugins) with the settings of pyproject.toml.

DN_LINT_HELPER=tests/integration/targets/module_examples/files/module_examples.py

# dn_lint_venv: create or reuse <repo>/.tmp/lint-venv with the pinned tools of
# tests/harness/lint-requirements.txt. A venv of its own, so that ansible-lint's
# dependencies never move the harness venv. Sets DN_LINT_VENV.
dn_lint_venv() {
    local python want log stamp requirements="$DN_REPO/tests/harness/lint-requirements.txt"
    DN_LINT_VENV="$DN_TMP/lint-venv"
    log="$DN_LOGS/lint-venv.log"
    stamp="$DN_LINT_VENV/.dockernet-stamp"
    python="$(dn_find_python)" || dn_die "no usable python3 (>= 3.10 with venv and ensurepip) found"
    want="$("$python" -c 'import sys; print(sys.version)' | head -n1)"$'\n'"$(cat "$requirements")"
    if [[ -x "$DN_LINT_VENV/bin/ansible-lint" && -f "$stamp" ]] && [[ "$(cat "$stamp")" == "$want" ]]; then
        dn_log "lint venv up to date: $DN_LINT_VENV"
        return 0
    fi
    dn_log "creating lint venv $DN_LINT_VENV (log: $log)"
    rm -rf "$DN_LINT_VENV"
    if ! "$python" -m venv "$DN_LINT_VENV" >"$log" 2>&1 \
        || ! "$DN_LINT_VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements" >>"$log" 2>&1; then
        dn_show_log "$log"
        dn_die "installing the lint tools into $DN_LINT_VENV failed"
    fi
    printf '%s' "$want" >"$stamp"
}

dn_suite_lint() {
    dn_lint_venv
    local examples="$DN_TMP/lint-examples" rc=0
    rm -rf "$examples"
    # the examples as the target runs them; outside the copy, so that nothing is added to it
    "$DN_PY" "$DN_LINT_HELPER" playbooks "$examples" plugins/modules/*.py || return 1
    "$DN_LINT_VENV/bin/ansible-lint" --nocolor --version 2>/dev/null | head -n1
    # ANSIBLE_COLLECTIONS_PATH: the examples outside the copy find dockernet.core there too.
    # ANSIBLE_HOME: with that set, ansible-lint caches in ANSIBLE_HOME, by default ~/.ansible.
    mkdir -p "$DN_TMP/lint-ansible-home"
    PATH="$DN_LINT_VENV/bin:$PATH" VIRTUAL_ENV="$DN_LINT_VENV" ANSIBLE_HOME="$DN_TMP/lint-ansible-home" \
        ANSIBLE_COLLECTIONS_PATH="$DN_COLLECTIONS" \
        "$DN_LINT_VENV/bin/ansible-lint" --nocolor roles playbooks/demo.yml meta/runtime.yml "$examples"/*.yml || rc=1
    dn_log "ruff $("$DN_LINT_VENV/bin/ruff" --version | cut -d' ' -f2): plugins, tests/unit"
    "$DN_LINT_VENV/bin/ruff" check --no-cache --config pyproject.toml plugins tests/unit || rc=1
    # mypy needs the collection's dotted path: it runs from the directory that holds ansible_collections.
    dn_log "mypy $("$DN_LINT_VENV/bin/mypy" --version | cut -d' ' -f2): plugins"
    (cd "$DN_COLLECTIONS" && "$DN_LINT_VENV/bin/mypy" --config-file "$DN_COLLECTION_DIR/pyproject.toml" \
        --cache-dir "$DN_TMP/mypy-cache" ansible_collections/dockernet/core/plugins) || rc=1
    return "$rc"
}
