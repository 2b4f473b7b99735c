#!/usr/bin/env bash
# INVITE -> 200 OK latency of 20 calls to 112 at 5 calls/s through siaga112 and the lab Asterisk,
# measured from a packet capture on the loopback interface (sipp's own timer has ~4 ms steps).
#   bash bench/invite-latency.sh [calls] [rate]     (root; needs tcpdump, a built dist/)
# Prints one JSON line; record it in bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-20}
rate=${2:-5}
work=$(mktemp -d)
pids=()
cleanup() { [ "${asterisk_was_running:-1}" = 0 ] && bash scripts/lab-asterisk.sh stop >/dev/null 2>&1;
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
command -v tcpdump >/dev/null || { echo "install tcpdump" >&2; exit 1; }

# Leave the lab Asterisk as found: stop it at the end only if this script started it.
bash scripts/lab-asterisk.sh status >/dev/null 2>&1 && asterisk_was_running=1 || asterisk_was_running=0
bash scripts/lab-asterisk.sh start >&2
# BENCH_FALLBACK_ONLY=1: no siaga112, so the dialplan fallback answers (the native baseline).
if [ "${BENCH_FALLBACK_ONLY:-0}" != 1 ]; then
SIAGA112_MODE=lab SIAGA112_HTTP_PORT=3999 SIAGA112_DB_PATH="$work/bench.db" SIAGA112_LOG_LEVEL=warn \
  node dist/main.js >"$work/service.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:3999/health >/dev/null 2>&1 && break; sleep 0.1; done
fi

tcpdump -i lo -n -s 0 -U -w "$work/sip.pcap" 'udp port 5060' 2>/dev/null &
pids+=($!)
sleep 1
sipp 127.0.0.1:5060 -i 127.0.0.1 -p 45060 -mp 46000 -sf scripts/sipp/caller.xml -s 112 -set caller 081200000000 \
  -d 2000 -m "$calls" -r "$rate" -nostdin -timeout 120s -timeout_error >"$work/sipp.log" 2>&1 || { tail -20 "$work/sipp.log" >&2; exit 1; }
sleep 1
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
tcpdump -tt -n -A -r "$work/sip.pcap" 2>/dev/null | node bench/pcap-sip-latency.mjs
