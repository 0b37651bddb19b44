#!/usr/bin/env bash
# Runs a Python test of this folder with Debian's /usr/bin/python3 (which has
# python3-paho-mqtt), whatever python3 comes first on PATH.
# Usage: run_python_test.sh MQLAB_BINARY TEST.py
set -euo pipefail
export MQLAB_BIN="$1"
exec /usr/bin/python3 "$2" -v
