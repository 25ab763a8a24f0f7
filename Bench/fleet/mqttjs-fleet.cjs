// A fleet of MQTT.js clients doing a shelf-sim device's work on the wire, as the peer in Bench/fleet-scale.sh:
// each client its own certificate and client id (= thing name = certificate CN), MQTT 5 over mutual TLS, a
// shelf.telemetry.v1 batch of 6 readings every 5 s at QoS 1, CONNECTs admitted at --connect-rate for the whole fleet.
// Prints one JSON line at the end: devices, connected, messages, PUBACK percentiles, peak RSS, CPU seconds.
'use strict';
const fs = require('fs');
const path = require('path');
const mqtt = require(path.join(process.env.TOOLS_DIR || path.join(__dirname, '..', '..', '.tools'), 'node_modules', 'mqtt'));

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const devices = Number(args.devices || 100);
const seconds = Number(args.seconds || 60);
const rate = Number(args['connect-rate'] || 100);
const slots = Number(args.slots || 6);
const samplingMs = Number(args['sampling-ms'] || 5000);
const certs = args.certs; // folder with <thing>.crt and <thing>.key
const ca = fs.readFileSync(args.ca);
const started = process.hrtime.bigint();
const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;

let connected = 0;
let everConnected = 0;
let messages = 0;
let allConnectedAt = null;
const latencies = [];
const clients = [];

function payload(thing, seq) {
  const ts = new Date().toISOString();
  const readings = [];
  for (let s = 0; s < slots; s++) {
    readings.push({ seq: seq + s, ts, slot: `A${s + 1}`, sku: 'sku-cola-330', grams: 3300, count: 10, status: 'ok' });
  }
  return JSON.stringify({ schema: 'shelf.telemetry.v1', thing, store: 'store-js', sent: ts, readings });
}

function start(i) {
  const thing = `js-${String(i + 1).padStart(5, '0')}`;
  const client = mqtt.connect({
    host: args.host || '127.0.0.1', port: Number(args.port), protocol: 'mqtts', protocolVersion: 5, clientId: thing,
    ca, cert: fs.readFileSync(path.join(certs, `${thing}.crt`)), key: fs.readFileSync(path.join(certs, `${thing}.key`)),
    keepalive: 60, reconnectPeriod: 5000, clean: true, rejectUnauthorized: true, servername: 'localhost',
  });
  let seq = 1;
  let timer = null;
  client.on('connect', () => {
    connected++;
    everConnected++;
    if (everConnected === devices && allConnectedAt === null) allConnectedAt = elapsed();
    if (timer === null) {
      // Each device samples on its own phase, as devices that booted at different times do.
      setTimeout(() => {
        timer = setInterval(() => {
          const sentAt = process.hrtime.bigint();
          client.publish(`dt/shelf/store-js/${thing}/telemetry`, payload(thing, seq), { qos: 1 }, (err) => {
            if (!err) {
              messages++;
              latencies.push(Number(process.hrtime.bigint() - sentAt) / 1e6);
            }
          });
          seq += slots;
        }, samplingMs);
      }, Math.random() * samplingMs);
    }
  });
  client.on('close', () => { if (client.connected === false && connected > 0) connected = Math.max(0, connected - 1); });
  client.on('error', () => {});
  clients.push(client);
}

let next = 0;
const admit = setInterval(() => {
  if (next >= devices) { clearInterval(admit); return; }
  start(next++);
}, 1000 / rate);

function percentile(p) {
  if (latencies.length === 0) return null;
  const sorted = Float64Array.from(latencies).sort();
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] * 100) / 100;
}

function peakRssMb() {
  const line = fs.readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return Math.round(Number(line.split(/\s+/)[1]) / 1024 * 10) / 10;
}

setTimeout(() => {
  const cpu = process.cpuUsage();
  const result = {
    client: `MQTT.js ${require(path.join(process.env.TOOLS_DIR || path.join(__dirname, '..', '..', '.tools'), 'node_modules', 'mqtt', 'package.json')).version}`,
    devices, connected_at_end: clients.filter((c) => c.connected).length, seconds_to_connect_fleet: allConnectedAt,
    messages, messages_per_second: Math.round(messages / elapsed() * 10) / 10,
    p50_ms: percentile(0.5), p95_ms: percentile(0.95), p99_ms: percentile(0.99),
    peak_rss_mb: peakRssMb(), cpu_seconds: Math.round((cpu.user + cpu.system) / 1e5) / 10,
  };
  result.memory_per_device_kb = Math.round(result.peak_rss_mb * 1024 / devices * 10) / 10;
  result.devices_per_gb = Math.round(devices / (result.peak_rss_mb / 1024));
  console.log(JSON.stringify(result));
  clients.forEach((c) => c.end(true));
  process.exit(0);
}, seconds * 1000);
