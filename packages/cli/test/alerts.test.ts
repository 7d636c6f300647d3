import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert } from '@gtwatch/schema';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';
import { alertEvent, captureIo } from './helpers.js';

async function ndjsonFile(events: Alert[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gtwatch-alerts-'));
  const path = join(dir, 'alerts.ndjson');
  await writeFile(path, events.map((e) => JSON.stringify(e)).join('\n'));
  return path;
}

describe('gtwatch alerts export --input', () => {
  const events = [
    alertEvent('a1', 'A', { jurisdictions: ['gb'] }),
    alertEvent('b1', 'B', { jurisdictions: ['us'] }),
    alertEvent('a2', 'A', { jurisdictions: ['gb', 'us'], status: 'update', time: '2026-11-30T11:00:00.000Z' }),
    alertEvent('r1', 'R', { tlp: 'red', jurisdictions: ['gb'] }),
  ];

  it('writes the latest state of each alert for one jurisdiction as NDJSON, withholding red', async () => {
    const input = await ndjsonFile(events);
    const io = captureIo();
    expect(await runCli(['alerts', 'export', '--format', 'ndjson', '--input', input, '--jurisdiction', 'gb'], io)).toBe(0);
    expect(io.out().trim().split('\n').map((line) => JSON.parse(line).id)).toEqual(['a2']);
    expect(io.err()).toBe('exported 1 alerts as ndjson, 1 TLP:RED withheld\n');
  });

  it('writes a STIX bundle and a MISP document to a file, honouring --since', async () => {
    const input = await ndjsonFile(events);
    const output = join(await mkdtemp(join(tmpdir(), 'gtwatch-out-')), 'bundle.json');
    const io = captureIo();
    expect(await runCli(['alerts', 'export', '--format', 'stix', '--input', input, '--output', output, '--since', '2026-11-30T10:30:00Z'], io)).toBe(0);
    const bundle = JSON.parse(await readFile(output, 'utf8'));
    expect(bundle.type).toBe('bundle');
    expect(bundle.objects.filter((o: { type: string }) => o.type === 'indicator')).toHaveLength(1);
    const misp = captureIo();
    expect(await runCli(['alerts', 'export', '--format', 'misp', '--input', input], misp)).toBe(0);
    expect(JSON.parse(misp.out()).response).toHaveLength(2);
  });

  it('reports input lines that are not alert events, with their line numbers, and exits 1', async () => {
    const input = await ndjsonFile(events);
    await writeFile(input, `${await readFile(input, 'utf8')}\n{"id":"x"}\n`);
    const io = captureIo();
    expect(await runCli(['alerts', 'export', '--format', 'ndjson', '--input', input], io)).toBe(1);
    expect(io.err()).toContain(`${input}:5: not an alert-v1 event`);
    expect(io.out().trim().split('\n')).toHaveLength(2);
  });

  it('refuses unusable arguments with exit 2', async () => {
    expect(await runCli(['alerts'], captureIo())).toBe(2);
    expect(await runCli(['alerts', 'export', '--format', 'csv'], captureIo())).toBe(2);
    expect(await runCli(['alerts', 'export', '--format', 'stix', '--since', 'yesterday'], captureIo())).toBe(2);
    expect(await runCli(['alerts', 'export', '--format', 'stix', '--jurisdiction', 'GB'], captureIo())).toBe(2);
    expect(await runCli(['alerts', 'withdraw', 'abc'], captureIo())).toBe(2);
    expect(await runCli(['alerts', 'withdraw', '--reason', 'x'], captureIo())).toBe(2);
    expect(await runCli(['alerts', 'tail', '--min-severity', 'huge'], captureIo())).toBe(2);
  });

  it('fails with exit 1 naming a routing policy file that is wrong', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gtwatch-policy-'));
    const policy = join(dir, 'policy.json');
    await writeFile(policy, '{"jurisdictions":["GB"]}');
    const io = captureIo();
    expect(await runCli(['alerts', 'withdraw', 'abc', '--reason', 'x', '--policy', policy], io)).toBe(1);
    expect(io.err()).toContain(`${policy}: jurisdictions.0`);
  });
});
