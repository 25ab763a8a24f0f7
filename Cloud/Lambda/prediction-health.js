'use strict';
// Runs the prediction-health Athena query once a day and publishes yesterday's (UTC) caught and missed
// stock-outs per store (dimension Store) and for the fleet (no dimension) as CloudWatch metrics, so the
// dashboard and the missed-share alarm show what only Athena could answer. Clients come from the SDK v3 the
// runtime ships; a failed, cancelled or unfinished query throws (the Lambda's Errors alarm fires).
const { AthenaClient, StartQueryExecutionCommand, GetQueryExecutionCommand, GetQueryResultsCommand } = require('@aws-sdk/client-athena');
const { CloudWatchClient, PutMetricDataCommand } = require('@aws-sdk/client-cloudwatch');

const athena = new AthenaClient({});
const cloudwatch = new CloudWatchClient({});
const env = process.env;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(id) {
  const polls = Number(env.POLL_LIMIT || 60);
  for (let i = 0; i < polls; i++) {
    const out = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    const status = out.QueryExecution.Status;
    if (status.State === 'SUCCEEDED') return;
    if (status.State === 'FAILED' || status.State === 'CANCELLED') {
      throw new Error('prediction-health query ' + id + ' ' + status.State + ': ' + (status.StateChangeReason || 'no reason'));
    }
    await sleep(Number(env.POLL_MS || 2000));
  }
  throw new Error('prediction-health query ' + id + ' not finished after ' + polls + ' polls');
}

async function rows(id) {
  const all = [];
  let header, token;
  do {
    const out = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token }));
    for (const row of out.ResultSet.Rows) {
      const cells = row.Data.map((d) => (d.VarCharValue === undefined ? null : d.VarCharValue));
      if (!header) { header = cells; continue; }
      all.push(Object.fromEntries(header.map((h, i) => [h, cells[i]])));
    }
    token = out.NextToken;
  } while (token);
  return all;
}

// The last complete UTC day, as the query's dt (yyyy-mm-dd).
function yesterday(now) {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1)).toISOString().slice(0, 10);
}

function datum(name, value, store, at) {
  const d = { MetricName: name, Value: value, Unit: 'Count', Timestamp: at };
  if (store) d.Dimensions = [{ Name: 'Store', Value: store }];
  return d;
}

exports.handler = async (event) => {
  const now = event && event.time ? new Date(event.time) : new Date();
  const day = yesterday(now);
  const started = await athena.send(new StartQueryExecutionCommand({
    QueryString: env.QUERY_SQL,
    WorkGroup: env.WORKGROUP,
    QueryExecutionContext: { Database: env.DATABASE },
  }));
  const id = started.QueryExecutionId;
  await waitFor(id);
  const data = [];
  let caught = 0, missed = 0, stores = 0;
  for (const row of await rows(id)) {
    if (row.dt !== day || !row.store) continue;
    const c = Number(row.caught) || 0, m = Number(row.missed) || 0;
    caught += c; missed += m; stores++;
    data.push(datum('StockOutsCaught', c, row.store, now), datum('StockOutsMissed', m, row.store, now));
  }
  // The fleet total is published even on a day without stock-outs, so the alarm sees data, not a gap.
  data.push(datum('StockOutsCaught', caught, null, now), datum('StockOutsMissed', missed, null, now));
  for (let i = 0; i < data.length; i += 20) {
    await cloudwatch.send(new PutMetricDataCommand({ Namespace: env.NAMESPACE, MetricData: data.slice(i, i + 20) }));
  }
  console.log(JSON.stringify({ query: id, day, stores, caught, missed }));
  return { query: id, day, stores, caught, missed };
};
