#!/usr/bin/env bash
# Time from answer to enqueue through the default IVR on real calls: a caller who presses
# nothing, one who presses a category key over the greeting, one who presses it after the menu
# started. Uses the call records (answeredAt -> enqueuedAt). Root; a built dist/.
#   bash bench/ivr-timing.sh [runs=3]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
work=$(mktemp -d)
pid=""
cleanup() { [ "${asterisk_was_running:-1}" = 0 ] && bash scripts/lab-asterisk.sh stop >/dev/null 2>&1; [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
# Leave the lab Asterisk as found: stop it at the end only if this script started it.
bash scripts/lab-asterisk.sh status >/dev/null 2>&1 && asterisk_was_running=1 || asterisk_was_running=0
bash scripts/lab-asterisk.sh start >&2
SIAGA112_MODE=lab SIAGA112_DB_PATH="$work/p.db" node dist/prompts-cli.js >/dev/null
SIAGA112_MODE=lab SIAGA112_HTTP_PORT=3995 SIAGA112_DB_PATH="$work/ivr.db" SIAGA112_LOG_LEVEL=warn node dist/main.js >"$work/service.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:3995/health >/dev/null 2>&1 && break; sleep 0.1; done
call() { # caller scenario extra-args...
  local caller=$1 scenario=$2; shift 2
  sipp 127.0.0.1:5060 -i 127.0.0.1 -p 45360 -mp 46300 -sf "scripts/sipp/$scenario" -s 112 -set caller "$caller" \
    -d 1000 -m 1 -nostdin -timeout 60s -timeout_error "$@" >/dev/null 2>&1
}
for i in $(seq 1 "$runs"); do
  call "0813000100$i" caller-dtmf.xml -set key 2 -set wait 800
  call "0813000200$i" caller-dtmf.xml -set key 2 -set wait 5000
  call "0813000300$i" caller.xml -d 17000
done
sleep 1
node -e '
  const Database = require("better-sqlite3");
  const db = new Database(process.argv[1], { readonly: true });
  const rows = db.prepare("SELECT caller_number AS n, enqueued_at - answered_at AS ms, tags, category FROM calls ORDER BY arrived_at").all();
  const group = (prefix) => rows.filter((r) => r.n.startsWith(prefix)).map((r) => r.ms);
  console.log(JSON.stringify({
    keyOverGreetingMs: group("08130001"), keyDuringMenuMs: group("08130002"), pressesNothingMs: group("08130003"),
  }));
' "$work/ivr.db"
