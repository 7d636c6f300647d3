// Bare kafkajs 2.2.4 consumer: fetch and count, nothing else. Prints one JSON line.
import { Kafka, logLevel } from 'kafkajs';

const { BROKERS, TOPIC, RECORDS } = process.env;
const expected = Number(RECORDS);
const kafka = new Kafka({ brokers: String(BROKERS).split(','), clientId: 'bench-clients', logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({ groupId: `bench-clients-kafkajs-${Date.now()}`, maxBytesPerPartition: 4 * 1_048_576, maxBytes: 32 * 1_048_576 });
await consumer.connect();
await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
let count = 0;
let started;
let cpu;
await new Promise((resolve) => {
  consumer.run({
    partitionsConsumedConcurrently: 6,
    eachBatch: async ({ batch }) => {
      if (started === undefined) [started, cpu] = [performance.now(), process.cpuUsage()];
      count += batch.messages.length;
      if (count >= expected) resolve();
    },
  });
});
const used = process.cpuUsage(cpu);
process.stdout.write(`${JSON.stringify({ records: count, seconds: (performance.now() - started) / 1000, cpuMicros: used.user + used.system })}\n`);
await consumer.disconnect();
process.exit(0);
