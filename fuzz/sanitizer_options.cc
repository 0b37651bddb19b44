// AddressSanitizer's defaults for the libFuzzer binaries (not the corpus
// replay tests). ASAN_OPTIONS set by the caller still override them.
//
// quarantine_size_mb=16 (ASan's default is 256): every execution frees
// libFuzzer's copy of the input, so with the default quarantine each new
// allocation touches memory last used 256 MB of frees ago: cache and TLB
// misses, page faults and a 460 MB RSS. 16 MB keeps freed memory poisoned for
// the next ~150k frees (a second of fuzzing; the codec allocates nothing per
// input), which is what use-after-free detection needs here, and makes the
// codec_raw fuzzer about a third faster (docs/design.md, "Fuzzing").
extern "C" const char* __asan_default_options() {
  return "quarantine_size_mb=16";
}
