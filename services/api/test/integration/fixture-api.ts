import type { ApiHandle } from '../../src/server.js';
import { alertRows, NOW_MS, PERSONAS, trafficRows } from './fixtures.js';
import { startTestApi, type TestDatabase, testDatabase, writeTokensFile } from './support.js';

/**
 * The fixture alerts and traffic in a fresh database, written `copies` times (a replayed batch must change no
 * answer), and an api on it that knows every persona's token and runs on the fixture clock. The caller closes the
 * api and drops the database.
 */
export async function fixtureApi(label: string, copies = 1): Promise<{ db: TestDatabase; api: ApiHandle }> {
  const db = await testDatabase(label);
  try {
    for (let copy = 0; copy < copies; copy++) {
      await db.insert('alerts', alertRows());
      await db.insert('traffic_minute', trafficRows());
    }
    const api = await startTestApi(db.database, writeTokensFile(PERSONAS.map((p) => p.token)), { now: () => NOW_MS });
    return { db, api };
  } catch (error) {
    await db.drop();
    throw error;
  }
}
