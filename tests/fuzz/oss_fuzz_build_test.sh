#!/bin/bash
# Runs fuzz/oss-fuzz/build.sh as OSS-Fuzz would (CC, CXX, CFLAGS, CXXFLAGS,
# LIB_FUZZING_ENGINE, SRC, OUT, SANITIZER set; clang, ASan, libFuzzer) into a
# temporary $OUT, then checks that every fuzzer it left there runs a few
# inputs of its seed corpus (-runs=N) and that each has its seed corpus.
# It compiles every target with clang: tagged manual, .ci/run runs it.
set -euo pipefail

build_sh="$(realpath "$1")"
# The checkout the script lives in (runfiles link to the source tree).
checkout="$(cd "$(dirname "$build_sh")/../.." && pwd)"
work="${TEST_TMPDIR:-$(mktemp -d)}"
mkdir -p "$work/src" "$work/out"
ln -sfn "$checkout" "$work/src/mqlab"

# The caller's own home (bazel test points HOME at a temporary folder), so
# that the nested build finds the shared disk cache and keeps its output
# base between runs.
real_home="$(getent passwd "$(id -u)" | cut -d: -f6)"
export HOME="$real_home"
export CC=clang CXX=clang++
export SANITIZER=address
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
export CXXFLAGS="$CFLAGS"
export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
export SRC="$work/src" OUT="$work/out"

"$build_sh"

fuzzers=0
for fuzzer in "$OUT"/*; do
  [[ -f "$fuzzer" && -x "$fuzzer" ]] || continue
  name="$(basename "$fuzzer")"
  corpus="$work/corpus-$name"
  mkdir -p "$corpus"
  if [[ ! -f "$OUT/${name}_seed_corpus.zip" ]]; then
    echo "FAIL: $name has no ${name}_seed_corpus.zip"
    exit 1
  fi
  unzip -q -o "$OUT/${name}_seed_corpus.zip" -d "$corpus"
  dict=()
  [[ -f "$OUT/$name.dict" ]] && dict=("-dict=$OUT/$name.dict")
  if ! "$fuzzer" "${dict[@]}" -runs=20 -seed=1 "$corpus" >"$work/$name.log" 2>&1; then
    echo "FAIL: $name did not run 20 inputs:"
    tail -20 "$work/$name.log"
    exit 1
  fi
  echo "ok: $name ran 20 inputs ($(grep -c . "$work/$name.log") log lines)"
  fuzzers=$((fuzzers + 1))
done
if [[ $fuzzers -eq 0 ]]; then
  echo "FAIL: build.sh left no fuzzer in \$OUT"
  exit 1
fi
echo "PASS: $fuzzers fuzzers"
