// Bare node-rdkafka consumer (loaded from CLIENTS_DIR), batches of 10,000: fetch and count, nothing else. Its CPU
// includes librdkafka's own threads (same process). Prints one JSON line.
const { createRequire } = require('node:module');
const { join } = require('node:path');

const { BROKERS, TOPIC, RECORDS, CLIENTS_DIR } = process.env;
const expected = Number(RECORDS);
const Kafka = createRequire(join(String(CLIENTS_DIR), 'package.json'))('node-rdkafka');
const consumer = new Kafka.KafkaConsumer(
  {
    'group.id': `bench-clients-rdkafka-${Date.now()}`,
    'metadata.broker.list': BROKERS,
    'enable.auto.commit': false,
    'fetch.max.bytes': 32 * 1_048_576,
    'max.partition.fetch.bytes': 4 * 1_048_576,
  },
  { 'auto.offset.reset': 'earliest' },
);
let count = 0;
let started;
let cpu;
consumer.on('ready', () => {
  consumer.subscribe([TOPIC]);
  const next = () =>
    consumer.consume(10_000, (error, messages) => {
      if (error) throw error;
      if (messages.length > 0 && started === undefined) [started, cpu] = [performance.now(), process.cpuUsage()];
      count += messages.length;
      if (count < expected) return setImmediate(next);
      const used = process.cpuUsage(cpu);
      process.stdout.write(`${JSON.stringify({ records: count, seconds: (performance.now() - started) / 1000, cpuMicros: used.user + used.system })}\n`);
      consumer.disconnect(() => process.exit(0));
    });
  next();
});
consumer.connect();
