import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNumbering, loadReferenceData } from '@gtwatch/numbering';
import type { Alert } from '@gtwatch/schema';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHandle } from '../../src/server.js';
import { type LoadedPipeline, loadThroughSink, type SimulatedRun, scoreSimulation, waitForCount } from './pipeline.js';
import { getJson, startTestApi, testDatabase, uniqueName, writeTokensFile } from './support.js';

const here = dirname(fileURLToPath(import.meta.url));
const ENSURE_CHROMIUM = join(here, '../../scripts/ensure-chromium.sh');
const SCREENSHOTS = join(here, '../../../../test-artifacts/screenshots');
const ANALYST = { token: 'e2e-analyst-token-0123456789', line: { name: 'e2e-analyst', role: 'analyst' } };
const RECORDS = 20_000;

describe('dashboard in headless Chromium, fed by the simulator through Kafka and the sink', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let run: SimulatedRun;
  let pipeline: LoadedPipeline;
  let api: ApiHandle;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const executablePath = execFileSync('bash', [ENSURE_CHROMIUM], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').at(-1)!;
    mkdirSync(SCREENSHOTS, { recursive: true });
    db = await testDatabase('e2e');
    run = await scoreSimulation(RECORDS, 7);
    expect(run.alerts.length).toBeGreaterThan(5);
    pipeline = await loadThroughSink(uniqueName('e2e'), db.database, run);
    const stored = run.alerts.filter((alert) => alert.tlp !== 'red').length;
    await waitForCount(db.client, `SELECT uniqExact(event_id) AS n FROM ${db.database}.alerts`, stored, 'alert events in ClickHouse');
    await waitForCount(db.client, `SELECT count() AS n FROM ${db.database}.traffic_minute FINAL`, run.aggregateLines.length, 'aggregates in ClickHouse');
    api = await startTestApi(db.database, writeTokensFile([ANALYST]), {
      numbering: createNumbering(loadReferenceData(run.referenceDir)),
      env: { GTWATCH_API_STREAM_POLL_MS: '300' },
    });
    browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await pipeline?.stop();
    await db?.drop();
  });

  it('refuses a wrong token at the login form', async () => {
    await page.goto(`${api.url}/`);
    await page.fill('#token', 'wrong-token-00000000000000');
    await page.click('#login button[type=submit]');
    await expect.poll(() => page.textContent('#login-error')).toContain('not accepted');
    expect(await page.isHidden('#app')).toBe(true);
  });

  it('clicks through overview → source → alert, showing what the API answers, and takes screenshots', async () => {
    await page.fill('#token', ANALYST.token);
    await page.click('#login button[type=submit]');
    await page.waitForSelector('[data-testid=top-sources] a.source-link');
    expect(await page.textContent('#who')).toContain('e2e-analyst (analyst');

    const overview = (await getJson(api, '/api/v1/overview', ANALYST.token)).body;
    const totals = await page.$$eval('.totals b', (nodes) => nodes.map((n) => n.textContent));
    expect(totals[0]).toBe(new Intl.NumberFormat('en-GB').format(overview.totals.alerts));
    const shownSources = await page.$$eval('[data-testid=top-sources] a.source-link', (links) => links.map((a) => a.textContent));
    expect(shownSources).toEqual(overview.topSources.map((s: { entity: string }) => s.entity));
    const bubbles = await page.$$eval('[data-testid=world] circle.source', (circles) => circles.map((c) => c.getAttribute('data-country')));
    expect(new Set(bubbles)).toEqual(new Set(overview.sourceCountries.filter((c: { lat: number | null }) => c.lat !== null).map((c: { country: string }) => c.country)));
    expect(await page.$$('[data-testid=alerts-chart] canvas')).not.toHaveLength(0);
    // The world outlines are an <img>: wait until it has decoded, so the screenshot shows the map.
    // (A function, not a string: the dashboard's content security policy forbids eval, which this also shows.)
    await expect
      .poll(() => page.$eval('[data-testid=world] img', (img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'overview.png'), fullPage: true });

    const source = shownSources[0]!;
    await page.click(`[data-testid=top-sources] a.source-link >> nth=0`);
    await page.waitForSelector('#source-title');
    expect(await page.textContent('#source-title')).toBe(`Source ${source}`);
    await page.waitForSelector('[data-testid=timeline] canvas');
    const profile = (await getJson(api, `/api/v1/sources/${encodeURIComponent(source)}`, ANALYST.token)).body;
    const operationRows = await page.$$('[data-testid=operations] tbody tr');
    expect(operationRows).toHaveLength(Math.max(1, profile.operations.length));
    const victims = await page.$$eval('[data-testid=victims] tbody td:first-child', (cells) => cells.map((c) => c.textContent));
    expect(victims).toEqual([...profile.victims.countries, ...profile.victims.plmns].map((v: { value: string }) => v.value));
    await page.screenshot({ path: join(SCREENSHOTS, 'source.png'), fullPage: true });

    await page.click('[data-testid=source-alerts] a.alert-link >> nth=0');
    await page.waitForSelector('#alert-title');
    const alertId = decodeURIComponent(new URL(page.url()).hash.replace('#/alert/', ''));
    const detail = (await getJson(api, `/api/v1/alerts/${alertId}`, ANALYST.token)).body;
    expect(await page.textContent('[data-testid=explanation]')).toBe(detail.alert.explanation);
    expect(await page.textContent('#alert-title')).toContain(detail.alert.pattern);
    expect(await page.$$('[data-testid=lifecycle] tbody tr')).toHaveLength(detail.lifecycle.length);
    expect(JSON.parse((await page.textContent('[data-testid=evidence]')) ?? 'null')).toEqual(detail.alert.evidence);
    await page.screenshot({ path: join(SCREENSHOTS, 'alert.png'), fullPage: true });
  });

  it('shows a new alert event on the live feed once the sink has stored it', async () => {
    await page.goto(`${api.url}/#/`);
    await page.waitForSelector('[data-testid=top-sources] a.source-link');
    await expect.poll(() => page.textContent('#feed-state')).toBe('live');
    const open = run.alerts.filter((a) => a.tlp !== 'red' && a.data.status === 'open');
    const base = open[open.length - 1] as Alert;
    const update: Alert = {
      ...base,
      id: randomUUID(),
      time: new Date().toISOString(),
      type: 'org.gtwatch.alert.updated.v1',
      data: { ...base.data, status: 'update', score: Math.min(100, base.data.score + 1) },
    };
    await pipeline.publishAlerts([update]);
    const item = page.locator(`#feed li.fresh[data-alert="${base.data.alertId}"]`);
    await item.waitFor({ timeout: 30_000 });
    expect(await item.textContent()).toContain(`${base.data.pattern} — update`);
    await page.screenshot({ path: join(SCREENSHOTS, 'live-feed.png'), fullPage: false });
  });
});
