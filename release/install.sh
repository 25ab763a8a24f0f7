#!/bin/sh
# Installs (or re-installs) the ShelfAgent release this script came with (docs/install.md):
#   sudo ./install.sh --thing shelf-0042-01 --store store-0042 --endpoint abc-ats.iot.eu-west-1.amazonaws.com
# Creates the shelf-agent user (in the gpio and i2c groups where they exist), the folders with their owners and modes,
# /opt/shelf-agent/releases/<version> and the `current` link, /usr/local/bin/shelf-agent, the systemd units, and
# /etc/shelf-agent/agent.json from the flags (an existing agent.json is kept), then enables the service.
# Idempotent: a second run changes nothing and says so. --root DIR installs under DIR (a throw-away root for tests;
# nothing is enabled or started there).
set -eu

usage() {
  cat <<USAGE
usage: install.sh [--thing NAME] [--store ID] [--endpoint HOST] [--port N] [--no-start] [--root DIR]
  --thing NAME      Device:ThingName (the AWS IoT thing; also the MQTT client id)
  --store ID        Device:StoreId
  --endpoint HOST   Mqtt:Host (aws iot describe-endpoint --endpoint-type iot:Data-ATS)
  --port N          Mqtt:Port (8883; 443 uses ALPN)
  --no-start        enable the service but do not start it now
  --root DIR        install under DIR instead of / (tests); implies --no-start and no systemctl
An existing /etc/shelf-agent/agent.json is kept as it is; the flags only write a new one.
USAGE
}

ROOT="" THING="" STORE="" ENDPOINT="" PORT=8883 START=1
while [ $# -gt 0 ]; do
  case "$1" in
    --thing) THING=$2; shift 2 ;;
    --store) STORE=$2; shift 2 ;;
    --endpoint) ENDPOINT=$2; shift 2 ;;
    --port) PORT=$2; shift 2 ;;
    --no-start) START=0; shift ;;
    --root) ROOT=$(cd "$2" && pwd); START=0; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; usage >&2; exit 64 ;;
  esac
done

HERE=$(cd "$(dirname "$0")" && pwd)
VERSION=$(cat "$HERE/VERSION")
USER_NAME=shelf-agent
OPT=/opt/shelf-agent
changed=0
say() { echo "install.sh: $*"; }
did() { changed=$((changed + 1)); say "$*"; }

if [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: run as root (sudo ./install.sh …): it creates a user and system folders" >&2
  exit 77
fi

# The archive's own manifest: a file changed since the release was built is not installed.
(cd "$HERE" && sha256sum --quiet -c SHA256SUMS) || { echo "install.sh: SHA256SUMS does not match the files beside it" >&2; exit 65; }

prefix() { if [ -n "$ROOT" ]; then echo "--prefix $ROOT"; fi; }
id_of() { awk -F: -v n="$2" '$1 == n { print $3 }' "$ROOT/etc/$1"; }

# --- the user and its groups -------------------------------------------------------------------------------------
if [ -z "$(id_of passwd "$USER_NAME")" ]; then
  # shellcheck disable=SC2046
  useradd $(prefix) --system --user-group --no-create-home --home-dir /var/lib/shelf-agent --shell /usr/sbin/nologin "$USER_NAME"
  did "created user $USER_NAME"
fi
for group in gpio i2c; do
  line=$(awk -F: -v n="$group" '$1 == n' "$ROOT/etc/group")
  if [ -z "$line" ]; then
    # Raspberry Pi OS has these groups and udev rules giving them /dev/gpiochip* and /dev/i2c-*; plain Debian has not.
    say "group $group does not exist here: the sensors' device nodes need it (Raspberry Pi OS has it; elsewhere create it and a udev rule)"
  elif ! echo "$line" | awk -F: '{ print $4 }' | tr ',' '\n' | grep -qx "$USER_NAME"; then
    # shellcheck disable=SC2046
    usermod $(prefix) --append --groups "$group" "$USER_NAME"
    did "added $USER_NAME to group $group"
  fi
done
UID_=$(id_of passwd "$USER_NAME")
GID_=$(id_of group "$USER_NAME")

# --- folders, files and links --------------------------------------------------------------------------------------
# ensure_dir PATH OWNER:GROUP (numeric) MODE
ensure_dir() {
  if [ ! -d "$ROOT$1" ]; then mkdir -p "$ROOT$1"; did "created $1"; fi
  if [ "$(stat -c %u:%g "$ROOT$1")" != "$2" ]; then chown "$2" "$ROOT$1"; did "owner of $1 set"; fi
  if [ "$(stat -c %a "$ROOT$1")" != "$3" ]; then chmod "$3" "$ROOT$1"; did "mode of $1 set to $3"; fi
}
# ensure_file SOURCE TARGET MODE (root-owned)
ensure_file() {
  if ! cmp -s "$1" "$ROOT$2"; then
    mkdir -p "$(dirname "$ROOT$2")"
    cp "$1" "$ROOT$2.tmp" && mv -f "$ROOT$2.tmp" "$ROOT$2"
    did "installed $2"
  fi
  if [ "$(stat -c %u:%g:%a "$ROOT$2")" != "0:0:$3" ]; then chown 0:0 "$ROOT$2"; chmod "$3" "$ROOT$2"; fi
}
# ensure_link TARGET LINK: replaced atomically (rename), so a reader sees the old or the new target
ensure_link() {
  if [ "$(readlink "$ROOT$2" 2>/dev/null || true)" != "$1" ]; then
    ln -sfn "$1" "$ROOT$2.new" && mv -T "$ROOT$2.new" "$ROOT$2"
    did "linked $2 -> $1"
  fi
}

ensure_dir /opt 0:0 755
# root:shelf-agent 0775: agent-update (running as shelf-agent) unpacks into releases/ and switches `current` here.
ensure_dir $OPT "0:$GID_" 775
ensure_dir $OPT/releases "$UID_:$GID_" 755
ensure_dir "$OPT/releases/$VERSION" 0:0 755
for f in shelf-agent libe_sqlite3.so; do ensure_file "$HERE/$f" "$OPT/releases/$VERSION/$f" 755; done
ensure_dir "$OPT/releases/$VERSION/certs" 0:0 755
for f in "$HERE"/certs/*.pem; do ensure_file "$f" "$OPT/releases/$VERSION/certs/$(basename "$f")" 644; done
for f in README.md VERSION SHA256SUMS agent.json.example install.sh uninstall.sh rollback.sh; do
  mode=644; case "$f" in *.sh) mode=755 ;; esac
  ensure_file "$HERE/$f" "$OPT/releases/$VERSION/$f" $mode
done
ensure_dir "$OPT/releases/$VERSION/systemd" 0:0 755
for f in "$HERE"/systemd/*.service "$HERE"/systemd/*.conf; do ensure_file "$f" "$OPT/releases/$VERSION/systemd/$(basename "$f")" 644; done
if [ ! -e "$ROOT$OPT/current" ]; then
  ensure_link "releases/$VERSION" "$OPT/current"
elif [ "$(readlink "$ROOT$OPT/current")" != "releases/$VERSION" ]; then
  say "current was $(readlink "$ROOT$OPT/current"); switching it to releases/$VERSION"
  ensure_link "releases/$VERSION" "$OPT/current"
fi
# The rollback guard must not change with an update: it is what runs when the new release cannot start.
ensure_file "$HERE/rollback.sh" "$OPT/rollback.sh" 755
ensure_dir /usr 0:0 755
ensure_dir /usr/local 0:0 755
ensure_dir /usr/local/bin 0:0 755
ensure_link "$OPT/current/shelf-agent" /usr/local/bin/shelf-agent

ensure_dir /etc 0:0 755
ensure_dir /etc/shelf-agent "0:$GID_" 750
# `sudo shelf-agent provision` writes the identity here and sets these owners itself (certs/README.md).
ensure_dir /etc/shelf-agent/certs "0:$GID_" 750
ensure_dir /var 0:0 755
ensure_dir /var/lib 0:0 755
ensure_dir /var/lib/shelf-agent "$UID_:$GID_" 700
ensure_dir /var/lib/shelf-agent/updates "$UID_:$GID_" 700

ensure_file "$HERE/agent.json.example" /etc/shelf-agent/agent.json.example 644
CONFIG=/etc/shelf-agent/agent.json
if [ -f "$ROOT$CONFIG" ]; then
  if [ -n "$THING$STORE$ENDPOINT" ]; then say "kept the existing $CONFIG (flags not applied; edit it or remove it to write a new one)"; fi
elif [ -n "$THING" ] && [ -n "$STORE" ]; then
  sed -e "s|\"ThingName\": \"[^\"]*\"|\"ThingName\": \"$THING\"|" \
      -e "s|\"StoreId\": \"[^\"]*\"|\"StoreId\": \"$STORE\"|" \
      -e "s|\"Host\": \"[^\"]*\"|\"Host\": \"${ENDPOINT:-YOUR-ENDPOINT-ats.iot.REGION.amazonaws.com}\"|" \
      -e "s|\"Port\": 8883|\"Port\": $PORT|" \
      "$HERE/agent.json.example" > "$ROOT$CONFIG.tmp"
  chown "0:$GID_" "$ROOT$CONFIG.tmp" && chmod 640 "$ROOT$CONFIG.tmp" && mv -f "$ROOT$CONFIG.tmp" "$ROOT$CONFIG"
  did "wrote $CONFIG for thing $THING in store $STORE"
else
  say "no $CONFIG yet: run again with --thing NAME --store ID --endpoint HOST, or copy $CONFIG.example"
fi

# --- systemd ---------------------------------------------------------------------------------------------------------
units=0
for f in "$HERE"/systemd/*.service; do
  before=$changed
  ensure_file "$f" "/etc/systemd/system/$(basename "$f")" 644
  if [ $changed -ne $before ]; then units=1; fi
done
# The journal's own bounds (64 MB, 10% kept free, a month): the agent's console log must not fill a Pi's card.
ensure_dir /etc/systemd/journald.conf.d 0:0 755
before=$changed
ensure_file "$HERE/systemd/journald-shelf-agent.conf" /etc/systemd/journald.conf.d/shelf-agent.conf 644
journald=$((changed - before))
if [ -z "$ROOT" ] && command -v systemctl >/dev/null; then
  if [ $journald -ne 0 ]; then systemctl restart systemd-journald; fi
  if [ $units -eq 1 ]; then systemctl daemon-reload; fi
  if ! systemctl is-enabled --quiet shelf-agent.service; then systemctl enable --quiet shelf-agent.service; did "enabled shelf-agent.service"; fi
  cert=$(sed -n 's/.*"CertFile": *"\([^"]*\)".*/\1/p' "$CONFIG" 2>/dev/null || true)
  if [ $START -eq 1 ] && [ -n "$cert" ] && [ -f "$cert" ]; then
    if ! systemctl is-active --quiet shelf-agent.service; then systemctl start shelf-agent.service; did "started shelf-agent.service"; fi
  elif [ $START -eq 1 ]; then
    say "not started: give the device its identity first (sudo shelf-agent provision …, certs/README.md), then: sudo systemctl start shelf-agent"
  fi
fi

if [ $changed -eq 0 ]; then
  say "ShelfAgent $VERSION is installed; nothing changed"
else
  say "ShelfAgent $VERSION installed ($changed changes)"
fi
