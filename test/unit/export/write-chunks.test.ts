/**
 * `writeChunks` (src/export/replay-json.ts), the writer behind `commitments replay --out`: it
 * waits for `drain` when the writable is full, stops when the writable is gone, rejects with the
 * writable's error, and leaves no listener behind however many times it waited.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeChunks } from '../../../src/export/index.js';

/** A writable that is full after every chunk and drains on the next turn of the event loop. */
function slowSink() {
  const written: string[] = [];
  const sink = Object.assign(new EventEmitter(), {
    destroyed: false,
    written,
    write(chunk: string): boolean {
      written.push(chunk);
      setImmediate(() => sink.emit('drain'));
      return false;
    },
  });
  return sink;
}

async function* chunks(n: number): AsyncGenerator<string, void, undefined> {
  for (let i = 0; i < n; i += 1) yield `${i};`;
}

describe('writeChunks', () => {
  it('waits for drain after each full write and removes its listeners at the end', async () => {
    const sink = slowSink();
    await writeChunks(chunks(25), sink);
    expect(sink.written.join('')).toBe(Array.from({ length: 25 }, (_, i) => `${i};`).join(''));
    for (const event of ['drain', 'close', 'error'])
      expect(sink.listenerCount(event), event).toBe(0);
  });

  it('stops reading the chunks when the writable is destroyed', async () => {
    const sink = slowSink();
    let produced = 0;
    async function* counted(): AsyncGenerator<string, void, undefined> {
      for (;;) {
        produced += 1;
        if (produced === 3) {
          sink.destroyed = true;
          sink.emit('close');
        }
        yield 'x';
      }
    }
    await writeChunks(counted(), sink);
    expect(sink.written).toEqual(['x', 'x']);
    expect(produced).toBe(3);
    expect(sink.listenerCount('close')).toBe(0);
  });

  it("rejects with the writable's error instead of leaving it unhandled", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commitments-write-chunks-'));
    try {
      const stream = fs.createWriteStream(path.join(dir, 'missing', 'out.json'));
      async function* slow(): AsyncGenerator<string, void, undefined> {
        for (let i = 0; i < 5; i += 1) {
          await new Promise((r) => setTimeout(r, 5));
          yield 'chunk';
        }
      }
      await expect(writeChunks(slow(), stream)).rejects.toMatchObject({ code: 'ENOENT' });
      expect(stream.listenerCount('error')).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
