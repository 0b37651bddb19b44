"""fuzz_replay_test: replays a fuzz target's checked-in corpus in `bazel test`."""

load("@rules_cc//cc:defs.bzl", "cc_test")

def fuzz_replay_test(name, fuzz_target, corpus, **kwargs):
    """A cc_test that runs `fuzz_target` (a cc_library defining
    LLVMFuzzerTestOneInput, alwayslink) over every file of `corpus` (a
    filegroup)."""
    cc_test(
        name = name,
        srcs = ["//tests/fuzz:fuzz_replay_main.cc"],
        args = ["$(locations %s)" % corpus],
        data = [corpus],
        deps = [fuzz_target],
        **kwargs
    )
