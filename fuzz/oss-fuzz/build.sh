#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build script: builds every fuzz target
# (fuzz/<target>_fuzzer.cc) with the engine's compiler and flags and leaves
# in $OUT, per target, in OSS-Fuzz's naming: the fuzzer binary <target>,
# <target>_seed_corpus.zip (the checked-in corpora/<target>/) and
# <target>.dict when fuzz/<target>.dict exists.
#
# Honours OSS-Fuzz's variables: CC, CXX, CFLAGS, CXXFLAGS (compile flags,
# the sanitizer's and -fsanitize=fuzzer-no-link included), LIB_FUZZING_ENGINE
# (the engine to link, e.g. -fsanitize=fuzzer), SRC (where the checkout is:
# $SRC/mqlab), OUT (where results go) and SANITIZER (address, undefined,
# memory, coverage: only named in the log; CFLAGS carry its flags). The build
# itself is Bazel's, offline, with these flags in place of --config=fuzz, in
# its own output base. MQLAB_FUZZ_TARGETS (space-separated) limits the
# targets built (local checks).
cd "$SRC/mqlab"

targets="${MQLAB_FUZZ_TARGETS:-$(ls fuzz/*_fuzzer.cc | sed 's#fuzz/\(.*\)_fuzzer.cc#\1#')}"
labels=()
for t in $targets; do labels+=("//fuzz:${t}_fuzzer"); done

flags=(--repo_env=CC="$CC" --repo_env=CXX="$CXX" --symlink_prefix=/ -c opt
  --copt=-DMQLAB_FUZZING)
for f in $CFLAGS; do flags+=("--conlyopt=$f"); done
for f in $CXXFLAGS; do flags+=("--cxxopt=$f" "--linkopt=$f"); done
for f in $LIB_FUZZING_ENGINE; do flags+=("--linkopt=$f"); done

# One output base per flag set, so that engine builds do not evict the
# everyday ones.
base="${MQLAB_OSS_FUZZ_OUTPUT_BASE:-${XDG_CACHE_HOME:-$HOME/.cache}/mqlab/oss-fuzz-output-base}"
echo "mqlab oss-fuzz build: sanitizer ${SANITIZER:-unset}; targets: $targets"
bazel --output_base="$base" build "${flags[@]}" "${labels[@]}"
bin="$(bazel --output_base="$base" info "${flags[@]}" bazel-bin 2>/dev/null)"

mkdir -p "$OUT"
for t in $targets; do
  install -m 755 "$bin/fuzz/${t}_fuzzer" "$OUT/$t"
  rm -f "$OUT/${t}_seed_corpus.zip"
  if compgen -G "corpora/$t/*" >/dev/null; then
    (cd "corpora/$t" && zip -q -r -X "$OUT/${t}_seed_corpus.zip" . -x BUILD.bazel)
  fi
  if [[ -f "fuzz/$t.dict" ]]; then cp "fuzz/$t.dict" "$OUT/$t.dict"; fi
done
echo "mqlab oss-fuzz build: $(ls "$OUT" | wc -l) files in $OUT"
