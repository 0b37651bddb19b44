#!/usr/bin/env bash
# The mqlab binary end to end: `decode` on the captures, exit codes, --help.
set -euo pipefail
mqlab="$1"
captures="$2"

out="$("$mqlab" decode --hex "$captures/telemetry.hex")"
grep -q '^@0 (48 bytes, MQTT 5.0)$' <<<"$out"
grep -q '^11 packets$' <<<"$out"

set +e
bad="$("$mqlab" decode --hex "$captures/malformed.hex")"
code=$?
set -e
[[ $code -eq 1 ]] || { echo "malformed capture: exit $code, want 1"; exit 1; }
grep -q '^error at offset 76: 0x81 Malformed Packet$' <<<"$bad"

# Raw bytes from stdin, forced version.
printf '\xc0\x00' | "$mqlab" decode --v311 - | grep -q '^PINGREQ$'

set +e
"$mqlab" decode --v5 --v311 - </dev/null >/dev/null 2>&1
code=$?
set -e
[[ $code -ne 0 ]] || { echo "--v5 with --v311 must fail"; exit 1; }

"$mqlab" decode --help | grep -q 'Usage: mqlab decode'
"$mqlab" --help | grep -q 'decode'
echo "mqlab decode: 1 passed, 0 failed"
