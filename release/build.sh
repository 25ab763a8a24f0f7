#!/usr/bin/env bash
# Builds the release archive shelf-agent-<version>-<rid>.tar.gz (docs/install.md, "Release archive"):
#   release/build.sh [--rid linux-arm64|linux-x64] [--version V] [--out DIR] [--publish-dir DIR] [--sign KEY.pem]
# It holds the native binary and libe_sqlite3.so, the systemd units, install.sh/uninstall.sh/rollback.sh, the Amazon
# root CAs, agent.json.example, README.md, VERSION and SHA256SUMS (the manifest install.sh and agent-update check),
# all under one folder shelf-agent-<version>/. Beside the archive: <archive>.sha256 and, with --sign, <archive>.sig
# (base64 ECDSA P-256/SHA-256, the "signature" of an agent-update job; docs/jobs.md).
# The version comes from git: the tag vX.Y.Z on HEAD, else <Version of Directory.Build.props>-dev.<commits>.<short commit>.
# --publish-dir takes an already published folder instead of running dotnet publish (tests).
set -euo pipefail
cd "$(dirname "$0")/.."
rid=linux-arm64 version="" out=out/release publish="" sign=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rid) rid=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --publish-dir) publish=$2; shift 2 ;;
    --sign) sign=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown option $1" >&2; exit 64 ;;
  esac
done

commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
if [ -z "$version" ]; then
  if tag=$(git describe --tags --exact-match --match 'v[0-9]*' 2>/dev/null); then
    version=${tag#v}
  else
    base=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)
    version="$base-dev.$(git rev-list --count HEAD 2>/dev/null || echo 0).$(git rev-parse --short=8 HEAD 2>/dev/null || echo 0)"
  fi
fi
case "$version" in *[!0-9A-Za-z.+-]*|"") echo "build.sh: bad version '$version'" >&2; exit 64 ;; esac

name=shelf-agent-$version
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
dir=$stage/$name
mkdir -p "$dir/certs" "$dir/systemd"

if [ -z "$publish" ]; then
  publish=$stage/publish
  # -p:Version gives --version its number; the SDK adds the commit (+<sha>) from git.
  # To stderr: stdout is the archive's path and summary, which CI reads.
  dotnet publish Agent/Agent.csproj -p:PublishProfile="$rid" -p:Version="$version" -p:SourceRevisionId="$commit" -o "$publish" --nologo -v q >&2
fi
install -m 0755 "$publish/shelf-agent" "$dir/shelf-agent"
install -m 0755 "$publish/libe_sqlite3.so" "$dir/libe_sqlite3.so"
install -m 0644 certs/AmazonRootCA*.pem "$dir/certs/"
install -m 0644 systemd/*.service systemd/journald-shelf-agent.conf "$dir/systemd/"
install -m 0755 release/install.sh release/uninstall.sh release/rollback.sh "$dir/"
install -m 0644 release/agent.json.example "$dir/agent.json.example"
install -m 0644 release/README.md "$dir/README.md"
echo "$version" > "$dir/VERSION"
# The manifest: every file but itself, relative paths, sorted (sha256sum -c checks it).
(cd "$dir" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum > SHA256SUMS)

mkdir -p "$out"
archive=$(cd "$out" && pwd)/$name-$rid.tar.gz
# Reproducible: fixed order, owners and times (the commit's time).
mtime=$(git log -1 --format=%ct 2>/dev/null || echo 0)
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$mtime" -C "$stage" -cf - "$name" | gzip -n -9 > "$archive"
(cd "$(dirname "$archive")" && sha256sum "$(basename "$archive")" > "$(basename "$archive").sha256")
if [ -n "$sign" ]; then
  openssl dgst -sha256 -sign "$sign" "$archive" | base64 -w0 > "$archive.sig"
fi
echo "$archive"
echo "  version $version (commit $commit), $(stat -c %s "$archive") bytes, sha256 $(cut -d' ' -f1 "$archive.sha256")"
