#!/usr/bin/env bash
# npm run call [-- NUMBER]: one real SIP call from a sipp "citizen" to the lab Asterisk.
#   CALLER=0812... HOLD_MS=5000 npm run call -- 110
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
number=${1:-112}
exec sipp 127.0.0.1:5060 -i 127.0.0.1 -sf "$here/sipp/caller.xml" -s "$number" \
  -set caller "${CALLER:-081234567890}" -d "${HOLD_MS:-5000}" -m 1 -nostdin -timeout 60s -timeout_error
