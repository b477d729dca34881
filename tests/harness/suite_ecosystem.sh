# shellcheck shell=bash
# The ecosystem suite of tests/run (sourced; runs in the collection copy, $DN_COLLECTION_DIR).

dn_suite_ecosystem() {
    echo "suite ecosystem: nothing yet"
}
