#!/usr/bin/env bash
# Synthesizes the stack twice — defaults, and every optional part on (lint-full-context.json: example identifiers)
# — and runs cfn-lint and cdk-nag's AwsSolutions pack on both templates. Fails on any cfn-lint error or any cdk-nag
# finding not acknowledged with a written reason in Cloud/nag/suppressions.json; cfn-lint warnings are printed.
# cdk-nag comes from npm (Cloud/nag/package-lock.json: cdk-nag 3.0.2, aws-cdk-lib 2.276.0), installed on first run.
# cfn-lint comes from the machine (pip install cfn-lint==1.51.0); npm's "cfn-lint" is an unrelated retired tool.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v cfn-lint >/dev/null 2>&1; then
  echo "lint: cfn-lint is not installed; install the Python one: pip install 'cfn-lint==1.51.0'" >&2
  exit 1
fi
version=$(cfn-lint --version | awk '{print $2}')
case "$version" in
  1.*) ;;
  *) echo "lint: cfn-lint $version found, 1.x (1.51.0 tested) needed: pip install 'cfn-lint==1.51.0'" >&2; exit 1 ;;
esac
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet build Cloud -c Release --nologo -v q >/dev/null
synth() { CDK_OUTDIR="$out/$1" CDK_CONTEXT_JSON="$2" dotnet run -c Release --no-build --project Cloud >"$out/$1.log" 2>&1 || { cat "$out/$1.log" >&2; exit 1; }; }
synth default '{"stage":"lint"}'
full=$(python3 -c 'import json,sys; c=json.load(open("Cloud/lint-full-context.json")); c["stage"]="lintfull"; print(json.dumps(c))')
synth full "$full"
for template in "$out/default/ShelfAgent-lint.template.json" "$out/full/ShelfAgent-lintfull.template.json"; do
  echo "lint: cfn-lint $version $(basename "$template")"
  # W3005 (DependsOn also implied by a GetAtt) is how CDK makes Firehose wait for its role's policy: not a defect.
  cfn-lint --non-zero-exit-code error --ignore-checks W3005 -- "$template"
done
echo "lint: no cfn-lint errors"
if [ ! -f Cloud/nag/node_modules/cdk-nag/package.json ]; then
  echo "lint: installing cdk-nag into Cloud/nag/node_modules (npm ci)"
  npm ci --silent --no-audit --no-fund --prefix Cloud/nag >/dev/null
fi
node Cloud/nag/nag.js "$out/default/ShelfAgent-lint.template.json" "$out/full/ShelfAgent-lintfull.template.json"
echo "lint: no unacknowledged cdk-nag findings"
