// Bare @platformatic/kafka consumer (loaded from CLIENTS_DIR): fetch and count, nothing else. Prints one JSON line.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const { BROKERS, TOPIC, RECORDS, CLIENTS_DIR } = process.env;
const expected = Number(RECORDS);
const resolve = createRequire(join(String(CLIENTS_DIR), 'package.json')).resolve;
const { Consumer } = await import(pathToFileURL(resolve('@platformatic/kafka')).href);
const consumer = new Consumer({ groupId: `bench-clients-platformatic-${Date.now()}`, clientId: 'bench-clients', bootstrapBrokers: String(BROKERS).split(',') });
const stream = await consumer.consume({ topics: [TOPIC], mode: 'earliest', autocommit: false, maxBytes: 32 * 1_048_576, highWaterMark: 4096 });
let count = 0;
let started;
let cpu;
await new Promise((done) => {
  stream.on('data', () => {
    if (started === undefined) [started, cpu] = [performance.now(), process.cpuUsage()];
    if (++count >= expected) done();
  });
});
const used = process.cpuUsage(cpu);
process.stdout.write(`${JSON.stringify({ records: count, seconds: (performance.now() - started) / 1000, cpuMicros: used.user + used.system })}\n`);
await stream.close();
await consumer.close();
process.exit(0);
