/**
 * Serving the built dashboard (src/http/web-app.ts) on a bare express app: /app/ and deep links
 * get index.html with a strict CSP, assets are files, a browser's GET / is redirected, API clients
 * keep their 404, and nothing but GET and HEAD is answered.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { toProblem } from '../../src/http/problem.js';
import { WEB_CSP, mountWebApp } from '../../src/http/web-app.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-app-'));
fs.mkdirSync(path.join(dir, 'assets'));
fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>app</title>');
fs.writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'console.log(1)');

function app(webDir: string | null): express.Application {
  const a = express();
  mountWebApp(a, { dir: webDir });
  a.use((_req, res) => {
    res.status(404).json({ status: 404 });
  });
  // As the API's error handler does: problems become problem+json.
  a.use(
    (err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      const { problem } = toProblem(err, { ifMatchSent: false });
      res.status(problem.status).json(problem);
    },
  );
  return a;
}

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('serving the dashboard', () => {
  it('answers /app/ and deep links with index.html under a strict CSP', async () => {
    for (const p of ['/app/', '/app/commitments/uz-kz-trade-10b', '/app/agenda?asOf=2030-01-01']) {
      const res = await request(app(dir)).get(p);
      expect(res.status, p).toBe(200);
      expect(res.text).toContain('<title>app</title>');
      expect(res.headers['content-security-policy']).toBe(WEB_CSP);
      expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    }
  });

  it('serves hashed assets as immutable files, and a missing asset is 404', async () => {
    const ok = await request(app(dir)).get('/app/assets/index-abc.js');
    expect(ok.status).toBe(200);
    expect(ok.headers['cache-control']).toContain('immutable');
    expect((await request(app(dir)).get('/app/assets/gone.js')).status).toBe(404);
    expect((await request(app(dir)).get('/app/favicon.ico')).status).toBe(404);
  });

  it('sends a browser from / to /app/, and /app to /app/ with its query', async () => {
    const root = await request(app(dir)).get('/').set('Accept', 'text/html,*/*;q=0.8');
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe('/app/');
    const bare = await request(app(dir)).get('/app?x=1');
    expect(bare.status).toBe(301);
    expect(bare.headers.location).toBe('/app/?x=1');
  });

  it('leaves API clients and other methods alone', async () => {
    expect((await request(app(dir)).get('/').set('Accept', 'application/json')).status).toBe(404);
    expect((await request(app(dir)).get('/')).status).toBe(404);
    expect((await request(app(dir)).post('/app/').send({})).status).toBe(404);
    expect((await request(app(dir)).get('/apple')).status).toBe(404);
  });

  it('says the dashboard is not built when dist/web is missing', async () => {
    const res = await request(app(null)).get('/app/');
    expect(res.status).toBe(404);
    expect(res.text).toContain('npm run build');
  });
});
