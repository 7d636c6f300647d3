/**
 * alert-v1.md "Never in an alert": subscriber pseudonyms, calledGt values, raw identifiers; and subscriber counts
 * below 10 only under TLP amber or stricter. This runs the simulator's scenarios through the detector with labels
 * set so that every TLP level occurs, routes the events as the publisher would, and scans everything a recipient can
 * get — the published events, their STIX and MISP exports and the tail lines — for what the simulator knows to be
 * private. A leak anywhere fails the test; the last case proves the scanner finds each kind of leak.
 */
import {
  formatTailLine,
  routeAlerts,
  routingPolicy,
  selectForExport,
  toMispDocument,
  toStixBundle,
} from '@gtwatch/alerting';
import { topicNames } from '@gtwatch/config';
import { Detector, RecordScorer, resolveDetectionConfig } from '@gtwatch/detection';
import { createNumbering, loadReferenceDataFromStrings } from '@gtwatch/numbering';
import { type Alert, AlertSchema, TLP_LABELS } from '@gtwatch/schema';
import { referenceFiles, simulate } from '@gtwatch/simulator';
import { beforeAll, describe, expect, it } from 'vitest';

interface Secrets {
  pseudonyms: Set<string>;
  /** The 32-hex HMAC part of each pseudonym: found even if a pseudonym's prefix was cut off or reformatted. */
  pseudonymHex: Set<string>;
  /**
   * calledGt values that never appear in a node role (callingGt, vlrGt, scAddress): those are node addresses the
   * contract publishes in clear (a spoofing alert names the VLR GT it saw), whatever other record called them.
   */
  calledGts: Set<string>;
}

interface Artifact {
  what: string;
  tlp: string;
  text: string;
  /** The alert's own source: the one GT an alert may name (it may also be some other record's calledGt). */
  sourceId: string;
}

const FORBIDDEN_KEYS = /^(imsi|msisdn|imei|imeisv|subscriber|calledgt|pseudonyms?|subscriberpseudonyms?)$/i;
/** MISP template slots that hold subscriber identity (misp-objects ss7-attack / diameter-attack). */
const FORBIDDEN_MISP_RELATIONS = new Set(['MapImsi', 'MapMsisdn', 'SccpCdGT', 'Username', 'MapSmsTP-OA']);
const SMALL_COUNT_IN_TEXT = /\b([1-9]) (?:distinct )?subscribers?\b/;

function collectSecrets(lines: Iterable<string>, feed: (line: string) => void): Secrets {
  const pseudonyms = new Set<string>();
  const called = new Set<string>();
  const nodes = new Set<string>();
  for (const line of lines) {
    feed(line);
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof record.subscriber === 'string') pseudonyms.add(record.subscriber);
    if (typeof record.calledGt === 'string') called.add(record.calledGt);
    for (const role of ['callingGt', 'vlrGt', 'scAddress']) if (typeof record[role] === 'string') nodes.add(record[role] as string);
  }
  const pseudonymHex = new Set([...pseudonyms].map((p) => /[0-9a-f]{16,}$/i.exec(p)?.[0]).filter((h): h is string => h !== undefined));
  return { pseudonyms, pseudonymHex, calledGts: new Set([...called].filter((gt) => !nodes.has(gt))) };
}

function walk(value: unknown, visit: (key: string, value: unknown) => void): void {
  const stack: unknown[] = [value];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (typeof node !== 'object' || node === null) continue;
    for (const [key, child] of Object.entries(node)) {
      if (!Array.isArray(node)) visit(key, child);
      stack.push(child);
    }
  }
}

/** Every way `artifact` breaks the privacy rules, as readable findings. */
function leaks(artifact: Artifact, secrets: Secrets): string[] {
  const found: string[] = [];
  for (const token of artifact.text.match(/[A-Za-z0-9._:-]{16,}/g) ?? []) {
    const trimmed = token.replace(/^[._:-]+|[._:-]+$/g, '');
    if (secrets.pseudonyms.has(trimmed)) found.push(`${artifact.what}: subscriber pseudonym ${trimmed}`);
  }
  for (const hex of artifact.text.match(/[0-9a-f]{16,}/gi) ?? []) {
    if (secrets.pseudonymHex.has(hex)) found.push(`${artifact.what}: pseudonym digest ${hex}`);
  }
  for (const digits of artifact.text.match(/\d+/g) ?? []) {
    if (digits !== artifact.sourceId && secrets.calledGts.has(digits)) found.push(`${artifact.what}: calledGt ${digits}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(artifact.text);
  } catch {
    json = undefined;
  }
  const mayShowSmallCounts = TLP_LABELS.indexOf(artifact.tlp as (typeof TLP_LABELS)[number]) >= TLP_LABELS.indexOf('amber');
  walk(json, (key, value) => {
    if (FORBIDDEN_KEYS.test(key)) found.push(`${artifact.what}: raw identifier key "${key}"`);
    if (key === 'object_relation' && typeof value === 'string' && FORBIDDEN_MISP_RELATIONS.has(value)) {
      found.push(`${artifact.what}: MISP subscriber slot ${value}`);
    }
    if (!mayShowSmallCounts && /subscriber/i.test(key) && typeof value === 'number' && value > 0 && value < 10) {
      found.push(`${artifact.what}: ${key} = ${value} under TLP:${artifact.tlp.toUpperCase()}`);
    }
  });
  const small = SMALL_COUNT_IN_TEXT.exec(artifact.text);
  if (!mayShowSmallCounts && small) found.push(`${artifact.what}: "${small[0]}" under TLP:${artifact.tlp.toUpperCase()}`);
  return found;
}

/** Everything a recipient can get for these events: published records, tail lines, STIX and MISP exports. */
function artifactsOf(events: readonly Alert[]): Artifact[] {
  const topics = topicNames('gtwatch');
  const { batches } = routeAlerts(events, routingPolicy(), topics);
  const artifacts: Artifact[] = [];
  for (const batch of batches) {
    for (const record of batch.records) {
      const event = JSON.parse(String(record.value)) as Alert;
      const sourceId = event.data.source.id;
      artifacts.push({ what: `${batch.topic} event ${event.id}`, tlp: event.tlp, sourceId, text: String(record.value) });
      artifacts.push({ what: `${batch.topic} headers ${event.id}`, tlp: event.tlp, sourceId, text: JSON.stringify(record.headers) });
      artifacts.push({ what: `tail line ${event.id}`, tlp: event.tlp, sourceId, text: formatTailLine(event, { colour: false }) });
    }
  }
  for (const alert of selectForExport(events).alerts) {
    const sourceId = alert.data.source.id;
    artifacts.push({ what: `STIX ${alert.data.alertId}`, tlp: alert.tlp, sourceId, text: JSON.stringify(toStixBundle([alert])) });
    artifacts.push({ what: `MISP ${alert.data.alertId}`, tlp: alert.tlp, sourceId, text: JSON.stringify(toMispDocument([alert])) });
  }
  return artifacts;
}

describe('privacy of everything published about alerts', () => {
  let secrets: Secrets;
  let events: Alert[];

  beforeAll(() => {
    const run = simulate({ seed: 11, records: 40_000 });
    const numbering = createNumbering(loadReferenceDataFromStrings(referenceFiles(run.world)));
    // Labels chosen so that clear, green, amber and red all occur: the small-count rule differs between them.
    const config = resolveDetectionConfig({
      alerts: { defaultTlp: 'clear', tlpByPattern: { velocity: 'amber', scanning: 'green', 'imsi-harvesting': 'green' }, tlpBySeverity: { critical: 'red' } },
    });
    const scorer = new RecordScorer(new Detector({ config, numbering, emitter: { service: 'score', instance: 'privacy' } }));
    events = [];
    const nowMs = Date.parse('2099-01-01T00:00:00Z');
    let line = 0;
    secrets = collectSecrets(run.lines, (text) => {
      line++;
      events.push(...scorer.score(text, () => ({ kind: 'file', file: 'simulation', line }), nowMs).events);
    });
    events.push(...scorer.flush());
  });

  it('covers every pattern and TLP level that matters, with secrets to look for', () => {
    expect(secrets.pseudonyms.size).toBeGreaterThan(1_000);
    // The simulator routes most traffic on node GTs, so few called GTs are never a node: seed 11 has 8.
    expect(secrets.calledGts.size).toBeGreaterThan(0);
    expect(new Set(events.map((e) => e.data.pattern)).size).toBe(8);
    const labels = new Set(events.map((e) => e.tlp));
    for (const label of ['clear', 'green', 'amber'] as const) expect(labels, label).toContain(label);
    // Small exact counts must exist under amber, or the small-count rule below would be checked on nothing.
    expect(events.some((e) => e.tlp === 'amber' && e.data.victims.subscribers > 0 && e.data.victims.subscribers < 10)).toBe(true);
  });

  it('every event the detector produces is a valid alert-v1 event', () => {
    for (const event of events) expect(AlertSchema.safeParse(event).success, event.id).toBe(true);
  });

  it('no published event, header, tail line or export carries a pseudonym, a called GT, a raw identifier or a small count below amber', () => {
    const artifacts = artifactsOf(events);
    expect(artifacts.length).toBeGreaterThan(events.length);
    const found = artifacts.flatMap((artifact) => leaks(artifact, secrets));
    expect(found.slice(0, 20)).toEqual([]);
  });

  it('red events are published nowhere and exported nowhere', () => {
    const red = events.filter((e) => e.tlp === 'red').map((e) => e.id);
    const texts = artifactsOf(events).map((a) => a.text).join('\n');
    for (const id of red) expect(texts).not.toContain(id);
  });

  it('the scan finds each kind of leak (so a real leak would fail the test above)', () => {
    const base = events.find((e) => e.tlp === 'clear' || e.tlp === 'green');
    expect(base).toBeDefined();
    const event = structuredClone(base as Alert);
    const pseudonym = [...secrets.pseudonyms][0] as string;
    const calledGt = [...secrets.calledGts].find((gt) => gt !== event.data.source.id) as string;
    const hex = /[0-9a-f]{16,}$/i.exec(pseudonym)?.[0] as string;
    const cases: Array<[string, (e: Alert) => void]> = [
      ['pseudonym', (e) => {
        e.data.explanation = `${e.data.explanation} Target ${pseudonym}.`;
      }],
      ['pseudonym digest', (e) => {
        e.data.evidence = { ...e.data.evidence, note: `id ${hex}` };
      }],
      ['calledGt', (e) => {
        e.data.explanation = `${e.data.explanation} Called ${calledGt}.`;
      }],
      ['raw identifier key', (e) => {
        e.data.evidence = { ...e.data.evidence, nested: { imsi: 'x' } };
      }],
      ['small count', (e) => {
        e.data.explanation = `${e.data.explanation} It reached 3 subscribers.`;
      }],
    ];
    for (const [what, inject] of cases) {
      const leaky = structuredClone(event);
      inject(leaky);
      const text = JSON.stringify(leaky);
      expect(leaks({ what, tlp: leaky.tlp, sourceId: leaky.data.source.id, text }, secrets), what).not.toEqual([]);
    }
    const smallCount = structuredClone(event);
    smallCount.data.victims.subscribers = 4;
    const sourceId = smallCount.data.source.id;
    expect(leaks({ what: 'count', tlp: smallCount.tlp, sourceId, text: JSON.stringify(smallCount) }, secrets)).not.toEqual([]);
    expect(leaks({ what: 'count', tlp: 'amber', sourceId, text: JSON.stringify(smallCount) }, secrets)).toEqual([]);
    const misp = { response: [{ Event: { Object: [{ Attribute: [{ object_relation: 'MapMsisdn', value: 'x' }] }] } }] };
    expect(leaks({ what: 'misp', tlp: 'amber', sourceId, text: JSON.stringify(misp) }, secrets)).not.toEqual([]);
  });
});
