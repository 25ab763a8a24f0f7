#!/bin/sh
# The rollback guard (shelf-agent-rollback.service, started by the agent unit's OnFailure=): when the agent unit has
# failed (a new release that cannot start hits StartLimitBurst, or exits 78) while an agent-update is pending, switch
# /opt/shelf-agent/current back to the previous release, record why, and start the agent again. The previous
# release then reports the job FAILED with that reason (docs/jobs.md, agent-update). With no update pending it does
# nothing: the failure is not the update's. Usage: rollback.sh [ROOT] (ROOT: a throw-away root for tests).
set -eu
ROOT=${1:-}
OPT=$ROOT/opt/shelf-agent
PENDING=$ROOT/var/lib/shelf-agent/updates/update.state

if [ ! -f "$PENDING" ]; then
  echo "rollback: no agent-update pending; nothing to roll back"
  exit 0
fi
value() { sed -n "s/^$1=//p" "$PENDING" | head -n 1; }
from=$(value from)
to=$(value to)
phase=$(value phase)
current=$(readlink "$OPT/current" || true)
if [ "$phase" != switched ] || [ "$current" != "releases/$to" ] || [ ! -x "$OPT/releases/$from/shelf-agent" ]; then
  echo "rollback: update $from -> $to is at phase '$phase', current is '$current': nothing to roll back"
  exit 0
fi

ln -sfn "releases/$from" "$OPT/current.rollback" && mv -T "$OPT/current.rollback" "$OPT/current"
reason="the new version $to could not keep running: systemd stopped restarting shelf-agent.service (crash loop or exit at start)"
# The agent's record, rewritten whole (tmp + rename), keeping the job's lines.
grep -v -e '^phase=' -e '^reason=' "$PENDING" > "$PENDING.tmp"
printf 'phase=rolled-back\nreason=%s\n' "$reason" >> "$PENDING.tmp"
chown --reference="$PENDING" "$PENDING.tmp" 2>/dev/null || true
chmod 600 "$PENDING.tmp"
mv -f "$PENDING.tmp" "$PENDING"
sync
echo "rollback: switched current back to releases/$from ($reason)"
if [ -z "$ROOT" ] && command -v systemctl >/dev/null; then
  systemctl reset-failed shelf-agent.service || true
  systemctl start --no-block shelf-agent.service
fi
