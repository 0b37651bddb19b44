#!/usr/bin/env bash
# Runs //bench:codec_bench briefly so that a broken benchmark fails
# `bazel test`, and checks that no decode benchmark allocates.
set -euo pipefail
out="$("$1" --benchmark_min_time=0.001)"
echo "$out"
decodes="$(grep '^BM_Decode/' <<<"$out")"
[[ $(wc -l <<<"$decodes") -eq 4 ]] || { echo "expected 4 decode benchmarks"; exit 1; }
if grep -v 'heap_allocs=0$' <<<"$decodes"; then
  echo "a decode benchmark allocates (above)"
  exit 1
fi
echo "codec_bench smoke: 1 passed, 0 failed"
