# shellcheck shell=bash disable=SC2034
# (SC2034: the DN_* and DOCKERNET_ENGINE set here are read by the lib.sh functions it calls)
# The debian12 suite of tests/run (sourced; runs in the collection copy, $DN_COLLECTION_DIR).
#
# Runs the module integration targets a second time, on the OLDEST ansible-core of the support
# policy (tests/matrix.yml; the integration suite runs on the newest), against a private Docker
# Engine 20.10 (Debian 12's docker.io, API 1.41): the oldest engine the collection supports, while the
# other suites run on DOCKERNET_ENGINE (current by default). The engine runs in a network
# namespace of its own with all its state under $DN_TMP/engine-debian12, beside the main one.
# The targets ask the engine for its API version and assert, for what 1.41 lacks, the early
# refusal instead. tests/run runs it only as root: starting an engine needs root.

dn_suite_debian12() {
    local config="$DN_COLLECTION_DIR/tests/integration/integration_config.yml" saved=""
    if [[ -f "$config" ]]; then
        saved="$(mktemp "$DN_TMP/integration_config.main.XXXXXX")"
        cp "$config" "$saved"
    fi
    # A subshell: the second engine's paths, PATH and DOCKER_HOST stay in it, and the trap
    # stops the engine and restores the main engine's config however the suite ends.
    (
        trap 'dn_engine_stop || true; if [[ -n "$saved" ]]; then mv -f "$saved" "$config"; else rm -f "$config"; fi' EXIT
        trap 'exit 130' INT
        trap 'exit 143' TERM
        set -e
        # Debian 12's dockerd, containerd and docker CLI, not the build the other suites use
        if [[ -n "${DN_ENGINE_BIN:-}" ]]; then
            PATH="${PATH//"$DN_ENGINE_BIN:"/}"
        fi
        DOCKERNET_ENGINE=debian12
        DN_ENGINE_BUILD_READY=""
        dn_ensure_engine_build
        DN_ENGINE_STARTED=0
        dn_engine_paths debian12 "$(( ${DOCKERNET_ENGINE_OCTET:-100} + 1 ))"
        dn_engine_start_private
        dn_engine_describe
        dn_log "debian12 suite: $DN_ENGINE_DESC"
        dn_build_image
        set +e
        # the oldest ansible-core of tests/matrix.yml: this suite is also the matrix's
        # "module targets on the oldest version" cell
        dn_matrix_integration 0 "the six module targets; $DN_ENGINE_DESC" "${DN_MODULE_TARGETS[@]}"
    )
}
