# lib.sh: shared by the end-to-end scripts: a scratch folder, checks and the
# closing "N passed, N failed" line.  $BULLETIN is the binary under test.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BULLETIN=${BULLETIN:-$ROOT/build/bulletin}
PASSED=0 FAILED=0
ok() { PASSED=$((PASSED + 1)); }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $*" >&2; }
# check NAME COMMAND...: passes when the command succeeds
check() { name=$1; shift; if "$@"; then ok; else fail "$name"; fi; }
# not COMMAND...: succeeds when the command fails
not() { ! "$@"; }
finish() { echo "$PASSED passed, $FAILED failed"; [ "$FAILED" -eq 0 ]; }
