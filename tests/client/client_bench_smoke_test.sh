#!/usr/bin/env bash
# Runs //bench:client_bench briefly so that a broken benchmark fails
# `bazel test`, and checks that the publish and receive paths make no heap
# allocation per message (the few the benchmark library makes per run show as
# a fraction below 0.001) and that the memory benchmarks report.
set -euo pipefail
out="$("$1" --benchmark_min_time=0.05)"
echo "$out"
paths="$(grep -E '^BM_(Publish|Receive)' <<<"$out")"
[[ $(wc -l <<<"$paths") -eq 6 ]] || { echo "expected 6 publish/receive benchmarks"; exit 1; }
if grep -vE 'heap_allocs=(0|[0-9.]+[nu])( |$)' <<<"$paths"; then
  echo "a publish or receive benchmark allocates per message (above)"
  exit 1
fi
[[ $(grep -c 'heap_bytes_per_client=' <<<"$out") -eq 2 ]] || {
  echo "expected 2 memory benchmarks"; exit 1; }
echo "client_bench smoke: 1 passed, 0 failed"
