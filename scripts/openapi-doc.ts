// Writes the OpenAPI document the app serves (/api/docs/json) to the file named, for `npm run lint:openapi`
// (Redocly, redocly.yaml) and for client generators. The app is built on an empty in-memory database: the
// document needs no data.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDb } from '../src/db/connect.js';

const out = process.argv[2];
if (!out) throw new Error('usage: node --import tsx scripts/openapi-doc.ts <file.json>');
const db = openDb({ sqliteFile: ':memory:' });
const app = await buildApp({
  config: loadConfig({ DATA_DIR: tmpdir(), SESSION_SECRET: 'x'.repeat(40), LOG_LEVEL: 'silent' }),
  db,
});
const res = await app.inject({ method: 'GET', url: '/api/docs/json' });
await app.close();
await db.destroy();
writeFileSync(out, `${JSON.stringify(res.json(), null, 2)}\n`);
