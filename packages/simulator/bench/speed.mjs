// Generation speed: `npm run build -w @gtwatch/simulator && node packages/simulator/bench/speed.mjs [records] [runs]`.
// Iterates the lines (no I/O) and reports the best of several runs, since a shared machine is noisy; CPU time is
// shown too because wall time on a loaded machine understates the speed.
import { simulate } from '../dist/index.js';

const records = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 3);
let best = 0;
for (let run = 1; run <= runs; run++) {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const sim = simulate({ seed: run, records, badRate: 0.001 });
  let lines = 0;
  let chars = 0;
  for (const line of sim.lines) {
    lines++;
    chars += line.length;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rate = lines / seconds;
  best = Math.max(best, rate);
  const heapMb = process.memoryUsage().heapUsed / 1e6;
  console.log(
    `run ${run}: ${lines} lines, ${(chars / lines).toFixed(0)} chars/line, ${seconds.toFixed(2)} s wall ` +
      `(${Math.round(rate)} lines/s), ${cpuSeconds.toFixed(2)} s CPU (${Math.round(lines / cpuSeconds)} lines per CPU-second, ` +
      `GC threads included), heap ${heapMb.toFixed(0)} MB`,
  );
}
console.log(`best: ${Math.round(best)} lines/s`);
