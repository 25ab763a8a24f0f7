// cdk-nag's AwsSolutions pack over synthesized templates (Cloud/lint.sh, CI): each template is loaded with
// CfnInclude into a plain aws-cdk-lib stack, the pack runs as an Aspect, and every finding is an error unless
// suppressions.json names its rule with a written reason (and, when it lists resources, only for those logical
// ids). Exit 1 on any unsuppressed error; warnings are printed.
//   node Cloud/nag/nag.js TEMPLATE.json [TEMPLATE.json …]
'use strict';
const fs = require('fs');
const path = require('path');
const { App, Stack, Validations } = require('aws-cdk-lib');
const { CfnInclude } = require('aws-cdk-lib/cloudformation-include');
const { AwsSolutionsChecks } = require('cdk-nag');

const suppressions = JSON.parse(fs.readFileSync(path.join(__dirname, 'suppressions.json'), 'utf8'));
for (const s of suppressions) {
  if (!/^AwsSolutions-[A-Za-z0-9]+(\[.+\])?$/.test(s.id) || typeof s.reason !== 'string' || s.reason.length < 20) {
    throw new Error(`suppressions.json: ${JSON.stringify(s)} needs an AwsSolutions id and a written reason`);
  }
}

let errors = 0;
for (const file of process.argv.slice(2)) {
  const app = new App();
  const stack = new Stack(app, 'Nag');
  const included = new CfnInclude(stack, 'T', { templateFile: file });
  const used = new Set();
  for (const s of suppressions) {
    const targets = s.resources
      ? s.resources.map((prefix) => Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')).Resources)
        .filter((id) => id.startsWith(prefix)).map((id) => included.getResource(id))).flat()
      : [stack];
    for (const t of targets) Validations.of(t).acknowledge({ id: s.id, reason: s.reason });
    if (targets.length > 0) used.add(s);
  }
  const report = new AwsSolutionsChecks(app, { verbose: true }).validateScope(stack);
  let found = 0;
  for (const v of report.violations) {
    for (const r of v.violatingResources) {
      found++;
      console.log(`${v.ruleName} ${(r.resourceLogicalId ?? r.constructPath ?? "").replace("Nag/T/", "")}: ${String(v.description).split('\n')[0]}`);
    }
  }
  console.log(`nag: ${path.basename(file)}: ${found} findings not acknowledged (AwsSolutions, cdk-nag 3.0.2, ` +
    `${used.size} of ${suppressions.length} acknowledgements apply)`);
  errors += found;
}
process.exit(errors > 0 ? 1 : 0);
