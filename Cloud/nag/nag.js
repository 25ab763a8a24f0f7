// cdk-nag's AwsSolutions pack over synthesized templates (Cloud/lint.sh, CI): each template is loaded with
// CfnInclude into a plain aws-cdk-lib stack, the pack runs as an Aspect, and every finding is an error unless
// suppressions.json names its rule with a written reason (and, when it lists resources, only for those logical
// ids). Exit 1 on any unsuppressed error; warnings are printed.
//   node Cloud/nag/nag.js TEMPLATE.json [TEMPLATE.json …]
'use strict';
const fs = require('fs');
const path = require('path');
const { App, Stack, Aspects } = require('aws-cdk-lib');
const { CfnInclude } = require('aws-cdk-lib/cloudformation-include');
const { AwsSolutionsChecks, NagSuppressions } = require('cdk-nag');

const suppressions = JSON.parse(fs.readFileSync(path.join(__dirname, 'suppressions.json'), 'utf8'));
for (const s of suppressions) {
  if (!/^AwsSolutions-[A-Za-z0-9]+$/.test(s.id) || typeof s.reason !== 'string' || s.reason.length < 20) {
    throw new Error(`suppressions.json: ${JSON.stringify(s)} needs an AwsSolutions id and a written reason`);
  }
}

let errors = 0;
for (const file of process.argv.slice(2)) {
  const app = new App();
  const stack = new Stack(app, 'Nag');
  const included = new CfnInclude(stack, 'T', { templateFile: file });
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  for (const s of suppressions) {
    const rule = [{ id: s.id, reason: s.reason, ...(s.appliesTo ? { appliesTo: s.appliesTo } : {}) }];
    if (!s.resources) {
      NagSuppressions.addStackSuppressions(stack, rule);
      continue;
    }
    for (const id of s.resources) {
      // A suppression for a resource the template lacks is stale: say so rather than keep it silently.
      let resource;
      try { resource = included.getResource(id); } catch { resource = undefined; }
      if (resource) NagSuppressions.addResourceSuppressions(resource, rule);
    }
  }
  const assembly = app.synth();
  const messages = assembly.getStackByName(stack.stackName).messages;
  const found = messages.filter((m) => m.level === 'error');
  const warned = messages.filter((m) => m.level === 'warning');
  for (const m of [...found, ...warned]) {
    console.log(`${m.level.toUpperCase()} ${m.id.replace('/Nag/T/', '')}: ${String(m.entry.data).split('\n')[0]}`);
  }
  console.log(`nag: ${path.basename(file)}: ${found.length} errors, ${warned.length} warnings (AwsSolutions, cdk-nag 3.0.2)`);
  errors += found.length;
}
process.exit(errors > 0 ? 1 : 0);
