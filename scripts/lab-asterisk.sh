#!/usr/bin/env bash
# The lab Asterisk: Debian sid's asterisk package (22.x) inside a debootstrap root, run with the
# configuration in asterisk-config/ (the same files a production install uses).
#
#   scripts/lab-asterisk.sh install|start|stop|restart|status|rx "<cli command>"
#
# Idempotent. Stops only the Asterisk it started (pid file). Needs root (debootstrap, chroot).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
lab_root=${SIAGA112_LAB_ROOT:-/var/lib/siaga112/lab}
rootfs="$lab_root/rootfs"
mirror=${SIAGA112_LAB_MIRROR:-http://deb.debian.org/debian}
# Inside the root: our config dir (asterisk.conf names the others) and the pid file it writes.
etc_in_root=/etc/siaga112
pidfile="$rootfs/run/asterisk/asterisk.pid"

log() { printf 'lab-asterisk: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

need_root() { [ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap and chroot need it)"; }

installed() { [ -x "$rootfs/usr/sbin/asterisk" ]; }

install_root() {
  need_root
  if installed; then log "Asterisk already installed in $rootfs"; return 0; fi
  command -v debootstrap >/dev/null || die "debootstrap missing: apt-get install debootstrap"
  mkdir -p "$lab_root"
  if [ ! -x "$rootfs/usr/bin/apt-get" ]; then
    log "debootstrap --variant=minbase sid $rootfs (about a minute)"
    rm -rf "$rootfs"
    debootstrap --variant=minbase sid "$rootfs" "$mirror" >"$lab_root/debootstrap.log" 2>&1 \
      || die "debootstrap failed, see $lab_root/debootstrap.log"
  fi
  # sid's Release file may be past its Valid-Until on the mirror.
  echo 'Acquire::Check-Valid-Until "false";' >"$rootfs/etc/apt/apt.conf.d/99siaga112-no-valid-until"
  # Package scripts must not start daemons inside the root: we start Asterisk ourselves.
  printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
  chmod 755 "$rootfs/usr/sbin/policy-rc.d"
  mount -t proc proc "$rootfs/proc"
  trap 'umount "$rootfs/proc" 2>/dev/null || true' RETURN
  log "apt-get install asterisk inside the root"
  chroot "$rootfs" apt-get update -qq >"$lab_root/apt.log" 2>&1 || die "apt-get update failed, see $lab_root/apt.log"
  DEBIAN_FRONTEND=noninteractive chroot "$rootfs" apt-get install -y -qq --no-install-recommends \
    asterisk asterisk-moh-opsound-gsm asterisk-core-sounds-en-gsm >>"$lab_root/apt.log" 2>&1 \
    || die "apt-get install asterisk failed, see $lab_root/apt.log"
  chroot "$rootfs" apt-get clean
  log "installed $(chroot "$rootfs" dpkg-query -W -f='${Version}' asterisk)"
}

running_pid() {
  [ -f "$pidfile" ] || return 1
  local pid; pid=$(cat "$pidfile" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$rootfs" ] \
    && { echo "$pid"; return 0; }
  return 1
}

# Copies asterisk-config/ into the root and writes the secrets it #includes from the environment.
sync_config() {
  local dest="$rootfs$etc_in_root"
  mkdir -p "$dest"
  find "$dest" -mindepth 1 -delete
  cp -r "$repo/asterisk-config/." "$dest/"
  # The lab takes callers' SIP location (its callers are our own sipp scenarios, whose PIDF-LO
  # always carries usage-rules); production opts in the same way (README, "Caller location").
  cp "$dest/citizens-geolocation.conf.example" "$dest/citizens-geolocation.conf"
  bash "$here/render-asterisk-secrets.sh" "$dest/secrets"
  chown -R root:root "$dest"
  chmod -R go-w "$dest"
  # The secrets dir is readable by the asterisk user only.
  local astuid astgid
  astuid=$(chroot "$rootfs" id -u asterisk); astgid=$(chroot "$rootfs" id -g asterisk)
  chown -R "$astuid:$astgid" "$dest/secrets"; chmod 700 "$dest/secrets"; chmod 600 "$dest/secrets"/*
  mkdir -p "$rootfs/run/asterisk" "$rootfs/var/lib/asterisk/keys"
  chown "$astuid:$astgid" "$rootfs/run/asterisk"
  # Asterisk resolves the host name to find its own address (acl.c ast_find_ourip); when that
  # fails it tries A.ROOT-SERVERS.NET, and a box without DNS then stalls on every call set-up.
  printf '127.0.0.1\tlocalhost %s\n::1\tlocalhost ip6-localhost\n' "$(hostname)" >"$rootfs/etc/hosts"
  # Directory that siaga112 reads fallback-call records from (cdr_custom writes here).
  mkdir -p "$rootfs/var/log/asterisk/cdr-custom"
  chown "$astuid:$astgid" "$rootfs/var/log/asterisk/cdr-custom"
  # ARI bridge recordings go to the recordings spool, which the package does not create.
  mkdir -p "$rootfs/var/spool/asterisk/recording"
  chown "$astuid:$astgid" "$rootfs/var/spool/asterisk/recording"
}

rx() { chroot "$rootfs" /usr/sbin/asterisk -C "$etc_in_root/asterisk.conf" -rx "$1"; }

start() {
  need_root
  installed || install_root
  if pid=$(running_pid); then log "already running (pid $pid)"; return 0; fi
  # Another Asterisk (another lab root, a system one) on our ports would answer in our place.
  local port
  for port in 8088 5038; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      die "127.0.0.1:$port is already in use (another Asterisk?); stop it first"
    fi
  done
  sync_config
  rm -f "$pidfile"
  log "starting Asterisk"
  # setsid and redirected stdio: the daemon never holds the caller's terminal or CI's stdout.
  setsid chroot "$rootfs" /usr/sbin/asterisk -C "$etc_in_root/asterisk.conf" -U asterisk -G asterisk \
    </dev/null >>"$lab_root/asterisk.out" 2>&1
  local i
  for i in $(seq 1 100); do
    if running_pid >/dev/null && rx "core waitfullybooted" >/dev/null 2>&1; then
      log "running (pid $(running_pid)); SIP udp/tcp 127.0.0.1:5060, ARI http://127.0.0.1:8088, AMI 127.0.0.1:5038"
      return 0
    fi
    sleep 0.1
  done
  die "Asterisk did not come up in 10 s, see $lab_root/asterisk.out and $rootfs/var/log/asterisk/messages.log"
}

stop() {
  local pid
  if ! pid=$(running_pid); then log "not running"; rm -f "$pidfile"; return 0; fi
  kill -CONT "$pid" 2>/dev/null || true
  kill -TERM "$pid"
  local i
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || { log "stopped"; rm -f "$pidfile"; return 0; }; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
  log "killed (did not stop in 5 s)"
}

status() {
  if pid=$(running_pid); then echo "running pid=$pid root=$rootfs"; else echo "stopped root=$rootfs"; return 3; fi
}

case "${1:-}" in
  install) install_root ;;
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  rx) shift; rx "$*" ;;
  pid) running_pid ;;
  *) echo "usage: $0 install|start|stop|restart|status|pid|rx <cli command>" >&2; exit 2 ;;
esac
