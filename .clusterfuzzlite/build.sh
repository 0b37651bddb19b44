#!/bin/bash -eu
# ClusterFuzzLite builds exactly as OSS-Fuzz does.
exec "$SRC/mqlab/fuzz/oss-fuzz/build.sh"
