#!/usr/bin/env bash
# The mqlab binary's simulator commands end to end: run (summary, last line,
# report, exit codes), sweep (worker processes, summary), replay of a file
# written by hand, --help.
set -euo pipefail
mqlab="$(realpath "$1")"
work="${TEST_TMPDIR:-$(mktemp -d)}/sim-commands"
rm -rf "$work"
mkdir -p "$work"
cd "$work"

cat >fleet.textproto <<'SCENARIO'
name: "fleet"
duration: "10m"
event_grid_namespace { json_file: "ns.json" }
populations {
  name: "cars" count: 20 authentication_name: "car{index}"
  registration { enabled: true validation_scheme: THUMBPRINT_MATCH }
  behaviours { telemetry { topic: "cars/{auth}" qos: 1 rate_per_second: 1 } }
}
populations {
  name: "dashboard" count: 1 authentication_name: "dashboard"
  registration { enabled: true validation_scheme: THUMBPRINT_MATCH }
  behaviours { subscriber { filters: "cars/+" qos: 1 } }
}
faults {
  swarm { enabled: true warmup: "10s" final_quiet: "1m"
          min_mean_interval: "5s" max_mean_interval: "20s" }
}
SCENARIO
cat >ns.json <<'NAMESPACE'
{"topicSpaces": [{"name": "cars", "properties": {"topicTemplates": ["cars/#"]}}],
 "permissionBindings": [
   {"name": "carsPub", "properties": {"clientGroupName": "$all",
     "topicSpaceName": "cars", "permission": "Publisher"}},
   {"name": "carsSub", "properties": {"clientGroupName": "$all",
     "topicSpaceName": "cars", "permission": "Subscriber"}}]}
NAMESPACE

out="$("$mqlab" run fleet.textproto --seed 4 --report report --no-progress)"
grep -q '^mqlab run: scenario "fleet" (fleet.textproto), seed 4$' <<<"$out"
grep -q '^fleet: 21 clients, 21 sessions, 22 hosts$' <<<"$out"
grep -q '^traffic: .* deliveries$' <<<"$out"
grep -q '^checkers: 9 on, 0 violations$' <<<"$out"
[[ "$(tail -n 1 <<<"$out")" =~ ^trace_hash=[0-9a-f]{16}$ ]] ||
  { echo "last line: $(tail -n 1 <<<"$out")"; exit 1; }
hash="$(tail -n 1 <<<"$out")"
[[ -s report/report.html && -s report/report.json ]]
grep -q '<svg' report/report.html
# The same seed, the same hash.
[[ "$("$mqlab" run fleet.textproto --seed 4 --no-progress | tail -n 1)" == "$hash" ]]

set +e
"$mqlab" run missing.textproto >/dev/null 2>err.txt
code=$?
set -e
[[ $code -eq 2 ]] || { echo "missing scenario: exit $code, want 2"; exit 1; }
grep -q 'cannot open missing.textproto' err.txt

sweep="$("$mqlab" sweep fleet.textproto --seeds 1-3 --jobs 2 --no-progress)"
grep -q '^mqlab sweep: fleet.textproto, seeds 1-3, 2 jobs$' <<<"$sweep"
grep -q '^3 seeds in .* s: 3 passed, 0 with violations, 0 errors$' <<<"$sweep"
[[ -z "$(ls mqlab-replays/sweep-logs)" ]] || { echo "passing logs kept"; exit 1; }

# A replay file written by hand: no violation recorded, a stale hash.
cat >hand.replay.json <<'REPLAY'
{"format": "mqlab-replay", "version": 1,
 "scenario": {"path": "hand.textproto",
              "text": "name: \"hand\" duration: \"1m\" event_grid_namespace { json: \"{}\" } populations { name: \"a\" count: 2 authentication_name: \"a{index}\" registration { enabled: true validation_scheme: THUMBPRINT_MATCH } }"},
 "namespace": {"source": "hand", "json": "{}"},
 "seed": 9, "git_commit": "", "stop_at_first_violation": false,
 "faults": [{"at": "10s", "kind": "reset-connections", "hosts": ["a/a1"],
             "other_hosts": [], "clients": [], "duration": "0s", "amount": 0}],
 "violation": null, "trace_hash": "0000000000000000", "shrunk": []}
REPLAY
set +e
replay="$("$mqlab" replay hand.replay.json --no-progress)"
code=$?
set -e
[[ $code -eq 1 ]] || { echo "replay: exit $code, want 1"; exit 1; }
grep -q '^violation: none recorded; none now either$' <<<"$replay"
grep -q '^trace hash: differs: recorded 0000000000000000$' <<<"$replay"
grep -q '^faults: 1 planned, 1 taken, 0 skipped' <<<"$replay"

for command in run replay shrink sweep; do
  "$mqlab" "$command" --help | grep -q "Usage: mqlab $command"
done
echo "mqlab simulator commands: passed"
