import { PassThrough } from 'node:stream';
import type { Alert, Severity, TlpLabel } from '@gtwatch/schema';
import type { CommandIo } from '../src/index.js';

export interface CapturedIo extends CommandIo {
  out(): string;
  err(): string;
}

/**
 * In-process stdio for running CLI commands in tests. The top-level security tests use it too, to run `gtwatch`
 * commands as a given user from a given directory.
 */
export function captureIo(input = '', env: CommandIo['env'] = {}, cwd = process.cwd()): CapturedIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => {
    out += String(chunk);
  });
  stderr.on('data', (chunk) => {
    err += String(chunk);
  });
  const stdin = new PassThrough();
  stdin.end(input);
  return { stdin, stdout, stderr, env, cwd, out: () => out, err: () => err };
}

export interface AlertEventOptions {
  jurisdictions?: string[];
  tlp?: TlpLabel;
  severity?: Severity;
  status?: 'open' | 'update';
  time?: string;
}

/**
 * A valid alert-v1 event `id` of alert `alertId`. The explanation names the alert, so a test can find an event's line
 * in what `gtwatch alerts tail` prints.
 */
export function alertEvent(id: string, alertId: string, options: AlertEventOptions = {}): Alert {
  const status = options.status ?? 'open';
  return {
    specversion: '1.0',
    id,
    source: 'urn:gtwatch:scorer:test',
    type: status === 'open' ? 'org.gtwatch.alert.opened.v1' : 'org.gtwatch.alert.updated.v1',
    subject: '2250760000123',
    time: options.time ?? '2026-11-30T10:16:00.000Z',
    datacontenttype: 'application/json',
    dataschema: 'urn:gtwatch:schema:alert:1',
    tlp: options.tlp ?? 'amber',
    data: {
      alertId,
      status,
      pattern: 'category-1',
      category: 1,
      severity: options.severity ?? 'high',
      score: 87,
      source: { type: 'gt', id: '2250760000123', country: 'CI', plmn: null, operator: null, leased: false },
      victims: { plmns: ['234-15'], countries: ['GB'], subscribers: 3 },
      reporters: ['234-15'],
      jurisdictions: options.jurisdictions ?? ['gb'],
      crossBorder: true,
      firstSeen: '2026-11-30T10:15:02.120Z',
      lastSeen: '2026-11-30T10:15:40.000Z',
      count: 3,
      operations: [{ protocol: 'MAP', operation: 71, name: 'anyTimeInterrogation', count: 3 }],
      evidence: { operations: 3 },
      explanation: `Alert ${alertId}: GT 2250760000123 (CI) sent anyTimeInterrogation over the interconnect.`,
    },
  };
}
