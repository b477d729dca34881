# shellcheck shell=bash
# The docs suite of tests/run (sourced; runs in the collection copy, $DN_COLLECTION_DIR).

dn_suite_docs() {
    echo "suite docs: nothing yet"
}
