#!/bin/sh
# Removes ShelfAgent (docs/install.md): the service, the releases, the links and the units. Keeps the buffer
# (/var/lib/shelf-agent: unsent readings, calibration) and the identity and configuration (/etc/shelf-agent) unless
# --purge is given; --purge also removes the shelf-agent user. --root DIR works under DIR (tests).
set -eu
ROOT="" PURGE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --purge) PURGE=1; shift ;;
    --root) ROOT=$(cd "$2" && pwd); shift 2 ;;
    -h|--help) echo "usage: uninstall.sh [--purge] [--root DIR]"; exit 0 ;;
    *) echo "uninstall.sh: unknown option $1" >&2; exit 64 ;;
  esac
done
if [ "$(id -u)" -ne 0 ]; then echo "uninstall.sh: run as root (sudo)" >&2; exit 77; fi
say() { echo "uninstall.sh: $*"; }

if [ -z "$ROOT" ] && command -v systemctl >/dev/null; then
  systemctl disable --now shelf-agent.service 2>/dev/null || true
fi
rm -f "$ROOT/etc/systemd/system/shelf-agent.service" "$ROOT/etc/systemd/system/shelf-agent-rollback.service" "$ROOT/etc/systemd/journald.conf.d/shelf-agent.conf"
if [ -z "$ROOT" ] && command -v systemctl >/dev/null; then systemctl daemon-reload || true; fi
if [ "$(readlink "$ROOT/usr/local/bin/shelf-agent" 2>/dev/null || true)" = /opt/shelf-agent/current/shelf-agent ]; then
  rm -f "$ROOT/usr/local/bin/shelf-agent"
fi
rm -rf "$ROOT/opt/shelf-agent"
say "removed the service, /opt/shelf-agent and /usr/local/bin/shelf-agent"

if [ $PURGE -eq 1 ]; then
  rm -rf "$ROOT/var/lib/shelf-agent" "$ROOT/etc/shelf-agent" "$ROOT/var/log/shelf-agent"
  if awk -F: '$1 == "shelf-agent"' "$ROOT/etc/passwd" | grep -q .; then
    if [ -n "$ROOT" ]; then userdel --prefix "$ROOT" shelf-agent; else userdel shelf-agent; fi
  fi
  if awk -F: '$1 == "shelf-agent"' "$ROOT/etc/group" | grep -q .; then
    if [ -n "$ROOT" ]; then groupdel --prefix "$ROOT" shelf-agent; else groupdel shelf-agent; fi
  fi
  say "purged the buffer (/var/lib/shelf-agent), the identity and configuration (/etc/shelf-agent) and the user"
else
  say "kept the buffer (/var/lib/shelf-agent) and the identity and configuration (/etc/shelf-agent); --purge removes them"
fi
