/**
 * Bench child, the http.write baseline: a bare express 5 app that validates the body with zod
 * and runs ONE better-sqlite3 insert per request (autocommit: one durable transaction each),
 * with the store's pragmas (WAL, synchronous=FULL). Sends `{url}` once listening.
 * With `--no-write` it answers the same way but writes nothing: the floor of any express app on
 * this machine under the same load (reported as `http.floor`, for reference).
 */
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { z } from 'zod';
import { openRaw } from '../lib.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: baseline-server.js <dataDir> [--no-write]');
const write = !process.argv.includes('--no-write');
const db = openRaw(path.join(dataDir, 'baseline.db'));
db.exec(
  'CREATE TABLE IF NOT EXISTS progress (id INTEGER PRIMARY KEY, commitment TEXT NOT NULL, data TEXT NOT NULL)',
);
const insert = db.prepare('INSERT INTO progress (commitment, data) VALUES (?, ?)');

const Body = z.strictObject({
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  value: z.number().optional(),
  note: z.string().max(10_000).optional(),
});

const app = express();
app.use(express.json({ limit: '1mb' }));
app.post('/commitments/:id/progress', (req, res) => {
  const parsed = Body.safeParse(req.body);
  if (!parsed.success) {
    res.status(400).json({ errors: parsed.error.issues });
    return;
  }
  const position = write
    ? Number(insert.run(req.params.id, JSON.stringify(parsed.data)).lastInsertRowid)
    : 0;
  res.status(201).json({ id: req.params.id, position, ...parsed.data });
});

const server = http.createServer(app);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ url: `http://127.0.0.1:${port}` });
});
process.once('SIGTERM', () => {
  server.close(() => {
    db.close();
    process.exit(0);
  });
  server.closeIdleConnections();
});

// CPU time of this server over its life (user + system), for CPU per request in the log.
process.on('exit', () => {
  const u = process.cpuUsage();
  process.stderr.write(
    `[bench] baseline-server CPU ${Math.round((u.user + u.system) / 1000)} ms\n`,
  );
});
