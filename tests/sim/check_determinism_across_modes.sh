#!/usr/bin/env bash
# Builds the mqlab tool in -c dbg, -c opt and --config=asan, runs every
# scenario and seed of tests/sim/pinned_trace_hashes.txt with each, and
# checks that all three print the pinned trace hash. Run from the checkout:
#
#   tests/sim/check_determinism_across_modes.sh
#
# Not a Bazel test (it runs Bazel); run it when the simulator, the broker or
# the client changes, and before updating the pinned hashes. Takes a few
# minutes on 2 cores: three builds of the tool.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
pinned=tests/sim/pinned_trace_hashes.txt
modes=("-c dbg" "-c opt" "--config=asan")
failures=0
for mode in "${modes[@]}"; do
  # shellcheck disable=SC2086
  bazel build $mode --ui_event_filters=-info --noshow_progress //tools:mqlab >&2
  # shellcheck disable=SC2086
  bin="$(bazel info $mode bazel-bin 2>/dev/null)/tools/mqlab"
  while read -r scenario seed hash; do
    [[ -z "$scenario" || "$scenario" == \#* ]] && continue
    got="$("$bin" run "$scenario" --seed "$seed" --no-progress | tail -n 1)"
    if [[ "$got" == "trace_hash=$hash" ]]; then
      echo "ok    [$mode] $scenario seed $seed"
    else
      echo "FAIL  [$mode] $scenario seed $seed: $got, pinned $hash"
      failures=$((failures + 1))
    fi
  done <"$pinned"
done
if ((failures > 0)); then
  echo "$failures runs differ from $pinned"
  exit 1
fi
echo "every mode gives the pinned trace hashes"
