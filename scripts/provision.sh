#!/usr/bin/env bash
# Installs what siaga112's lab and tests need and is missing: Debian packages (debootstrap for
# the Asterisk root, sipp, espeak-ng and sox for the prompts, a C++ toolchain for
# better-sqlite3), npm dependencies, and the lab
# Asterisk 22 root. Idempotent: what is present is left alone. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "provision: run as root (apt-get, debootstrap)" >&2; exit 1; }

packages=(debootstrap sip-tester baresip-core espeak-ng sox tcpdump python3 make g++ ca-certificates)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "provision: apt-get install ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "provision: npm ci" >&2
  npm ci --no-audit --no-fund
fi

bash scripts/lab-asterisk.sh install
