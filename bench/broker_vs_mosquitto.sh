#!/usr/bin/env bash
# Debian's mosquitto (2.0.11) and `mqlab broker`, one after the other, on
# loopback, driven by mosquitto's own clients: `mosquitto_pub -l` (one
# message per input line) feeding `mosquitto_sub`. Cases: QoS 0 and QoS 1,
# one publisher to one subscriber and four publishers to one subscriber.
# Event Grid's per-session rate limits are lifted (namespace setting
# rateLimitsLifted) and its queue limits raised, and mosquitto's queue limit
# is lifted, so that the QoS 1 runs complete. Prints messages per second
# (received by the subscriber, over the time from the first publish to the
# last message) and the broker's CPU time per message (utime + stime from
# /proc/PID/stat), and mqlab's ratios to mosquitto.
#
# Usage: bench/broker_vs_mosquitto.sh [MESSAGES_PER_CASE] [PAYLOAD_BYTES]
set -euo pipefail

messages="${1:-100000}"
payload_bytes="${2:-64}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
broker_pid=""
cleanup() {
  [[ -n "$broker_pid" ]] && kill "$broker_pid" 2>/dev/null && wait "$broker_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

(cd "$root" && bazel build -c opt --ui_event_filters=-info --noshow_progress //tools:mqlab >&2)
mqlab="$(cd "$root" && bazel info -c opt bazel-bin 2>/dev/null)/tools/mqlab"
ticks_per_second="$(getconf CLK_TCK)"

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# CPU ticks (user + system) the process has used.
cpu_ticks() {
  awk '{print $14 + $15}' "/proc/$1/stat"
}

cat >"$work/namespace.json" <<'JSON'
{
  "namespace": {"name": "mqlab-bench", "properties": {
    "topicSpacesConfiguration": {"state": "Enabled"},
    "mqlab": {"allowUnauthenticatedUsername": true, "limits": {
      "rateLimitsLifted": true,
      "maximumOfflineMessages": 10000000,
      "maximumOfflineBytes": 4294967295}}}},
  "clients": [{"name": "sub"}, {"name": "pub0"}, {"name": "pub1"},
              {"name": "pub2"}, {"name": "pub3"}],
  "topicSpaces": [{"name": "bench", "properties": {"topicTemplates": ["bench/#"]}}],
  "permissionBindings": [
    {"name": "pub", "properties": {"clientGroupName": "$all",
      "topicSpaceName": "bench", "permission": "Publisher"}},
    {"name": "sub", "properties": {"clientGroupName": "$all",
      "topicSpaceName": "bench", "permission": "Subscriber"}}]
}
JSON

start_broker() {  # NAME PORT: sets broker_pid
  case "$1" in
    mosquitto)
      cat >"$work/mosquitto.conf" <<CONF
listener $2 127.0.0.1
allow_anonymous true
max_queued_messages 0
max_queued_bytes 0
max_inflight_messages 0
CONF
      mosquitto -c "$work/mosquitto.conf" >"$work/broker.log" 2>&1 &
      ;;
    mqlab)
      "$mqlab" broker --config "$work/namespace.json" --dev-listener "127.0.0.1:$2" \
        --log-level warning >"$work/broker.log" 2>&1 &
      ;;
  esac
  broker_pid=$!
  for _ in $(seq 100); do
    (echo >"/dev/tcp/127.0.0.1/$2") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "$1 did not start: $(cat "$work/broker.log")" >&2
  exit 1
}

stop_broker() {
  kill "$broker_pid" 2>/dev/null || true
  wait "$broker_pid" 2>/dev/null || true
  broker_pid=""
}

# One case: prints "received msgs_per_s cpu_us_per_msg".
run_case() {  # BROKER QOS PUBLISHERS
  local broker="$1" qos="$2" publishers="$3"
  local port per_publisher total
  port="$(free_port)"
  per_publisher=$((messages / publishers))
  total=$((per_publisher * publishers))
  start_broker "$broker" "$port"
  awk -v n="$per_publisher" -v size="$payload_bytes" 'BEGIN {
    line = sprintf("%*s", size, ""); gsub(/ /, "x", line);
    for (i = 0; i < n; i++) print line }' >"$work/input"
  mosquitto_sub -p "$port" -i sub -u sub -q "$qos" -t 'bench/#' -C "$total" \
    >"$work/received" 2>"$work/sub.err" &
  local sub_pid=$!
  # Time for the subscriber to subscribe (a benchmark, not a test).
  sleep 0.5
  local cpu_before start
  cpu_before="$(cpu_ticks "$broker_pid")"
  start="$(date +%s.%N)"
  local pids=()
  for i in $(seq 0 $((publishers - 1))); do
    mosquitto_pub -p "$port" -i "pub$i" -u "pub$i" -q "$qos" -t "bench/$i" -l \
      <"$work/input" 2>"$work/pub$i.err" &
    pids+=($!)
  done
  # Until every message arrived, or (QoS 0 may drop) the count stopped
  # growing for a second after the publishers finished.
  local count=0 last_count=-1 last_change end publishers_done=0
  last_change="$(date +%s.%N)"
  while kill -0 "$sub_pid" 2>/dev/null; do
    count="$(wc -l <"$work/received")"
    if [[ "$count" != "$last_count" ]]; then
      last_count="$count"
      last_change="$(date +%s.%N)"
    fi
    if ((publishers_done == 0)); then
      publishers_done=1
      for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && publishers_done=0; done
    fi
    if ((publishers_done)) && awk -v a="$(date +%s.%N)" -v b="$last_change" 'BEGIN{exit !(a-b>1)}'; then
      kill "$sub_pid" 2>/dev/null || true
      break
    fi
    sleep 0.02
  done
  wait "$sub_pid" 2>/dev/null || true
  count="$(wc -l <"$work/received")"
  if ((count == total)); then end="$(date +%s.%N)"; else end="$last_change"; fi
  local cpu_after
  cpu_after="$(cpu_ticks "$broker_pid")"
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  stop_broker
  awk -v n="$count" -v s="$start" -v e="$end" -v c0="$cpu_before" -v c1="$cpu_after" \
    -v hz="$ticks_per_second" \
    'BEGIN { rate = n / (e - s); cpu = n > 0 ? (c1 - c0) / hz / n * 1e6 : 0;
             printf "%d %.0f %.2f\n", n, rate, cpu }'
}

printf '%s messages per case, %s-byte payloads, loopback, %s\n' "$messages" "$payload_bytes" "$(nproc) cores"
printf '%-22s %-10s %10s %12s %14s\n' case broker received msgs/s "cpu us/msg"
for qos in 0 1; do
  for publishers in 1 4; do
    label="QoS $qos, $publishers pub -> 1 sub"
    read -r m_n m_rate m_cpu < <(run_case mosquitto "$qos" "$publishers")
    read -r q_n q_rate q_cpu < <(run_case mqlab "$qos" "$publishers")
    printf '%-22s %-10s %10s %12s %14s\n' "$label" mosquitto "$m_n" "$m_rate" "$m_cpu"
    printf '%-22s %-10s %10s %12s %14s\n' "" mqlab "$q_n" "$q_rate" "$q_cpu"
    awk -v mr="$m_rate" -v qr="$q_rate" -v mc="$m_cpu" -v qc="$q_cpu" \
      'BEGIN { printf "%-22s %-10s %10s %12s %14s\n", "", "ratio", "",
               sprintf("%.2fx", qr / mr), (mc > 0 ? sprintf("%.2fx", qc / mc) : "n/a") }'
  done
done
