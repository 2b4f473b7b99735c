#!/usr/bin/env bash
# A call storm against the lab Asterisk with siaga112 running: RATE calls/s for SECONDS seconds,
# each held HOLD_MS. Prints one JSON line: how many sipp calls succeeded or failed, and how the
# records split between siaga112's own flow and the dialplan fallback (admission control).
#   bash bench/storm.sh [rate=50] [seconds=10] [hold_ms=2000]     (root; a built dist/)
# Only 127.0.0.1 is ever targeted. Extra siaga112 settings can be passed in the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${1:-50}
seconds=${2:-10}
hold=${3:-2000}
calls=$((rate * seconds))
work=$(mktemp -d)
pid=""
cleanup() { [ "${asterisk_was_running:-1}" = 0 ] && bash scripts/lab-asterisk.sh stop >/dev/null 2>&1; [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; [ -n "${KEEP:-}" ] && cp -r "$work" "$KEEP"; rm -rf "$work"; }
trap cleanup EXIT

# Leave the lab Asterisk as found: stop it at the end only if this script started it.
bash scripts/lab-asterisk.sh status >/dev/null 2>&1 && asterisk_was_running=1 || asterisk_was_running=0
bash scripts/lab-asterisk.sh start >&2
SIAGA112_MODE=lab SIAGA112_HTTP_PORT=3998 SIAGA112_DB_PATH="$work/storm.db" SIAGA112_LOG_LEVEL=warn \
  node dist/main.js >"$work/service.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:3998/health >/dev/null 2>&1 && break; sleep 0.1; done
caller="0819$(date +%s | tail -c 8)"
start=$(date +%s.%N)
set +e
sipp 127.0.0.1:5060 -i 127.0.0.1 -p 45160 -mp 46100 -sf scripts/sipp/caller.xml -s 112 -set caller "$caller" \
  -d "$hold" -m "$calls" -r "$rate" -l $((rate * 20)) -nostdin -timeout $((seconds * 6 + 60))s -timeout_error \
  -trace_stat -stf "$work/stat.csv" >"$work/sipp.log" 2>&1
sipp_rc=$?
set -e
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
ok=$(grep -oE 'Successful call +\| +[0-9]+ +\| +[0-9]+' "$work/sipp.log" | awk '{print $NF}')
failed=$(grep -oE 'Failed call +\| +[0-9]+ +\| +[0-9]+' "$work/sipp.log" | awk '{print $NF}')
sleep 3
summary=$(node -e '
    const Database = require("better-sqlite3");
    const db = new Database(process.argv[1], { readonly: true });
    const rows = db.prepare("SELECT coalesce(fallback_reason, ?) AS path, count(*) AS n FROM calls WHERE caller_number = ? GROUP BY 1").all("siaga112", process.argv[2]);
    console.log(JSON.stringify(Object.fromEntries(rows.map((r) => [r.path, r.n]))));
  ' "$work/storm.db" "$caller")
echo "{\"rate\":$rate,\"seconds\":$seconds,\"holdMs\":$hold,\"calls\":$calls,\"sippExit\":$sipp_rc,\"successful\":${ok:-0},\"failed\":${failed:-0},\"wallSeconds\":$elapsed,\"records\":$summary}"
