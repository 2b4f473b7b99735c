#!/usr/bin/env bash
# npm run lab: provisions what is missing, starts the lab Asterisk (a daemon; npm run lab:stop
# stops it) and runs siaga112 in the foreground on its embedded SQLite database. Ctrl-C stops
# siaga112 gracefully (live calls drain, new ones go to the dialplan fallback).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/provision.sh
npm run --silent build
bash scripts/lab-asterisk.sh start

export SIAGA112_MODE=lab
# Speak any IVR prompt that has no audio yet (espeak-ng + sox, into the lab root's sounds).
node dist/prompts-cli.js >/dev/null
port=${SIAGA112_HTTP_PORT:-3000}
cat >&2 <<INFO

siaga112 lab
  SIP (callers, operators)  udp/tcp 127.0.0.1:5060    call 112:  npm run call
  ARI / Asterisk HTTP       http://127.0.0.1:8088
  AMI                       127.0.0.1:5038
  siaga112 HTTP             http://127.0.0.1:${port}   (OpenAPI: /docs, health: /health)
  API token                 ${SIAGA112_API_TOKEN:-lab-api-token-change-me}
  operator softphones       op001 ... op010 @ 127.0.0.1:5060, password ${SIAGA112_OPERATOR_PASSWORD:-lab-operator-secret}
  operator API tokens       lab-operator-token-op001 ... (POST /api/operator/login, /pause, /resume)
  supervisor phones, token  sup001, sup002 (same password); ${SIAGA112_SUPERVISOR_TOKEN:-lab-supervisor-token-change-me}
  trunk (agencies, overflow, callbacks)  sipp answering on 127.0.0.1:5070
  guardian                  hands callers to the fallback if siaga112 stops answering
  database                  ${SIAGA112_DB_PATH:-/var/lib/siaga112/siaga112.db}

  curl -H "Authorization: Bearer ${SIAGA112_API_TOKEN:-lab-api-token-change-me}" http://127.0.0.1:${port}/api/calls
  Ctrl-C stops siaga112; npm run lab:stop stops the lab Asterisk.

INFO
# The outside world behind the trunk: a sipp UAS answers every number (agencies, the overflow
# centre, citizens called back). It lives as long as this script.
peer_pid=''
if ! ss -Hlun 'sport = :5070' 2>/dev/null | grep -q .; then
  sipp -sn uas -i 127.0.0.1 -p 5070 -mp 5080 -nostdin >/dev/null 2>&1 &
  peer_pid=$!
fi
# The guardian watches siaga112 like its systemd unit does in production (its log: stderr).
node dist/guardian/main.js >&2 &
guardian_pid=$!
trap 'kill "$guardian_pid" 2>/dev/null; [ -n "$peer_pid" ] && kill "$peer_pid" 2>/dev/null; true' EXIT
node dist/main.js
