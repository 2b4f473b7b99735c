#!/usr/bin/env bash
# npm run test:chaos [-- --seed N --rounds R]: the seeded chaos suite against the lab Asterisk
# (test/chaos). The seed is printed first; the same seed and rounds replay the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
while [ $# -gt 0 ]; do
  case "$1" in
    --seed) export CHAOS_SEED="$2"; shift 2 ;;
    --rounds) export CHAOS_ROUNDS="$2"; shift 2 ;;
    *) echo "chaos: unknown argument $1 (use --seed N --rounds R)" >&2; exit 2 ;;
  esac
done
npm run --silent build
exec npx vitest run --config test/chaos/vitest.config.ts
