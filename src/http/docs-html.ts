/**
 * The self-contained HTML reference served at /docs (no scripts, no CDN), rendered from the
 * OpenAPI document. Everything interpolated is escaped.
 */
import { buildOpenApi } from './openapi.js';
import { PROBLEM_TYPES, problemType } from './problem.js';

type Json = Record<string, unknown>;

const esc = (s: unknown): string =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** A self-contained HTML reference page (no scripts, no CDN) generated from the OpenAPI document. */
export function renderDocsHtml(doc: Json = buildOpenApi()): string {
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const schemas = (doc.components as { schemas: Record<string, Json> }).schemas;
  const ops: string[] = [];
  const toc: string[] = [];
  for (const [p, methods] of Object.entries(paths)) {
    for (const [m, op] of Object.entries(methods)) {
      const anchor = `op-${esc(op.operationId)}`;
      toc.push(
        `<li><a href="#${anchor}"><code>${m.toUpperCase()} ${esc(p)}</code></a> — ${esc(op.summary)}</li>`,
      );
      const params = (op.parameters as Json[]).map(
        (x) =>
          `<tr><td><code>${esc(x.name)}</code></td><td>${esc(x.in)}</td><td>${x.required ? 'yes' : ''}</td>` +
          `<td><code>${esc(JSON.stringify(x.schema))}</code></td><td>${esc(x.description ?? '')}</td></tr>`,
      );
      const body = op.requestBody as
        { content: Record<string, { schema: { $ref: string } }> } | undefined;
      const bodyRef = body?.content['application/json']?.schema.$ref.split('/').pop();
      const responses = Object.entries(op.responses as Record<string, Json>).map(([s, r]) => {
        const content = r.content as Record<string, { schema: { $ref?: string } }> | undefined;
        const [mt, c] = Object.entries(content ?? {})[0] ?? ['', undefined];
        const refName = c?.schema.$ref?.split('/').pop();
        return `<tr><td>${esc(s)}</td><td>${esc(r.description)}</td><td>${esc(mt)}${refName ? ` — <a href="#schema-${esc(refName)}">${esc(refName)}</a>` : ''}</td></tr>`;
      });
      ops.push(`<section id="${anchor}"><h3><span class="m ${m}">${m.toUpperCase()}</span> <code>${esc(p)}</code></h3>
<p>${esc(op.summary)}${op.description ? `. ${esc(op.description)}` : ''}</p>
${(op.security as unknown[] | undefined)?.length === 0 ? '<p><em>No API key needed.</em></p>' : ''}
<table><tr><th>parameter</th><th>in</th><th>required</th><th>schema</th><th>description</th></tr>${params.join('')}</table>
${bodyRef ? `<p>Body: <a href="#schema-${esc(bodyRef)}">${esc(bodyRef)}</a> (application/json)</p>` : ''}
<table><tr><th>status</th><th>meaning</th><th>content</th></tr>${responses.join('')}</table></section>`);
    }
  }
  const schemaHtml = Object.entries(schemas).map(
    ([n, s]) =>
      `<section id="schema-${esc(n)}"><h3>${esc(n)}</h3><pre>${esc(JSON.stringify(s, null, 2))}</pre></section>`,
  );
  const problems = Object.entries(PROBLEM_TYPES).map(
    ([slug, t]) =>
      `<li id="problem-${esc(slug)}"><code>${esc(problemType(slug as keyof typeof PROBLEM_TYPES))}</code> — ${t.status} ${esc(t.title)}</li>`,
  );
  const info = doc.info as { title: string; version: string; description: string };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(info.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}
code,pre{font-family:ui-monospace,monospace;font-size:13px}pre{background:#f6f6f6;padding:.75rem;overflow:auto}
table{border-collapse:collapse;margin:.5rem 0;width:100%}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
td code{word-break:break-all}.m{display:inline-block;padding:0 .4rem;border-radius:3px;color:#fff;font-size:13px}
.m.get{background:#2a7}.m.post{background:#27c}section{border-top:1px solid #eee;margin-top:1rem}
</style></head><body>
<h1>${esc(info.title)} <small>${esc(info.version)}</small></h1>
<p>${esc(info.description)} Machine-readable: <a href="/openapi.json">/openapi.json</a>.</p>
<h2>Routes</h2><ul>${toc.join('\n')}</ul>
<h2>Problem types</h2><p>Every error is <code>application/problem+json</code>: <code>{type, title, status, detail}</code>, with <code>errors: [{path, message}]</code> on validation errors.</p><ul>${problems.join('\n')}</ul>
<h2>Operations</h2>${ops.join('\n')}
<h2>Schemas</h2>${schemaHtml.join('\n')}
</body></html>`;
}
