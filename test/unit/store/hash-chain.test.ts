import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  canonicalJson,
  continuesChain,
  eventHash,
  GENESIS_HASH,
  verifyStreamChain,
} from '../../../src/store/hash-chain.js';
import type { StoredEvent } from '../../../src/store/port.js';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** A correctly chained stream of n events. */
function chain(n: number, stream = 'commitment-x'): StoredEvent[] {
  const out: StoredEvent[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i += 1) {
    const base = {
      position: i * 10,
      stream,
      revision: i,
      id: `00000000-0000-4000-8000-00000000000${i}`,
      type: i === 1 ? 'CommitmentRecorded' : 'ProgressReported',
      data: { note: `event ${i}`, value: i, nested: { b: 2, a: 1 } },
      metadata: { recordedAt: `2026-01-0${i}T00:00:00.000Z`, recordedBy: 'test', schemaVersion: 1 },
    };
    const hash = eventHash(prev, base);
    out.push({ ...base, hash });
    prev = hash;
  }
  return out;
}

describe('canonicalJson', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: 4, c: [3, { z: 1, y: 2 }] } })).toBe(
      '{"a":{"c":[3,{"y":2,"z":1}],"d":4},"b":1}',
    );
  });

  it('gives the same text whatever the insertion order of keys', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
        expect(JSON.parse(canonicalJson(obj))).toEqual(JSON.parse(JSON.stringify(obj)));
      }),
    );
  });

  it('drops undefined members, writes no whitespace, sorts by UTF-16 code units', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1], ' c': 'x y' })).toBe(
      '{" c":"x y","b":[null,1]}',
    );
    expect(canonicalJson({ é: 1, z: 2, Z: 3, '😀': 4, a: 5 })).toBe(
      '{"Z":3,"a":5,"z":2,"é":1,"😀":4}',
    );
  });

  it('refuses what JSON cannot represent', () => {
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });
});

describe('eventHash and verifyStreamChain', () => {
  it('hashes the first event as sha256("" + canonical JSON of its hashed part)', () => {
    const [first] = chain(1) as [StoredEvent];
    const { position: _p, hash: _h, ...hashed } = first;
    expect(first.hash).toBe(sha256(canonicalJson(hashed)));
  });

  it('does not include the position in the hash', () => {
    const [first] = chain(1) as [StoredEvent];
    expect(eventHash('', { ...first, position: 999 } as StoredEvent)).toBe(first.hash);
  });

  it('accepts an intact chain and an empty stream', () => {
    expect(verifyStreamChain(chain(5))).toBeNull();
    expect(verifyStreamChain([])).toBeNull();
  });

  it('detects a change of data', () => {
    const events = chain(4);
    events[2] = {
      ...(events[2] as StoredEvent),
      data: { note: 'edited', value: 3, nested: { a: 1, b: 2 } },
    };
    expect(verifyStreamChain(events)).toMatchObject({ stream: 'commitment-x', revision: 3 });
  });

  it('detects a one-character change anywhere in the hashed part', () => {
    const fields = ['id', 'type', 'stream'] as const;
    for (const f of fields) {
      const events = chain(3);
      const e = events[1] as StoredEvent;
      events[1] = { ...e, [f]: `${e[f]}!` };
      expect(verifyStreamChain(events)?.revision).toBe(2);
    }
    const events = chain(3);
    const e = events[1] as StoredEvent;
    events[1] = { ...e, metadata: { ...e.metadata, recordedBy: 'mallory' } };
    expect(verifyStreamChain(events)?.revision).toBe(2);
  });

  it('detects a replaced hash (the next event no longer chains)', () => {
    const events = chain(3);
    events[1] = { ...(events[1] as StoredEvent), hash: sha256('forged') };
    expect(verifyStreamChain(events)?.revision).toBe(2);
  });

  it('detects a gap (an event deleted in the middle)', () => {
    const events = chain(4);
    events.splice(1, 1);
    const brk = verifyStreamChain(events);
    expect(brk).toMatchObject({ stream: 'commitment-x', revision: 2 });
    expect(brk?.reason).toMatch(/missing or out of order/);
  });

  it('detects a gap even when the later revisions are renumbered', () => {
    const events = chain(4);
    events.splice(1, 1);
    const renumbered = events.map((e, i) => ({ ...e, revision: i + 1 }));
    expect(verifyStreamChain(renumbered)?.revision).toBe(2);
  });

  it('detects a swap of two events', () => {
    const events = chain(4);
    const [two, three] = [events[1] as StoredEvent, events[2] as StoredEvent];
    events[1] = three;
    events[2] = two;
    expect(verifyStreamChain(events)?.revision).toBe(2);
    // Swapping the contents but keeping the revision numbers is caught by the hash.
    const swapped = chain(4);
    swapped[1] = { ...three, revision: 2 };
    swapped[2] = { ...two, revision: 3 };
    expect(verifyStreamChain(swapped)?.revision).toBe(2);
  });

  it('detects a stream that starts after revision 1 (truncated head)', () => {
    expect(verifyStreamChain(chain(3).slice(1))?.revision).toBe(1);
  });
});

describe('continuesChain', () => {
  const [first, second, third] = chain(3) as [StoredEvent, StoredEvent, StoredEvent];

  it('accepts the first event on an empty stream and each next event on its predecessor', () => {
    expect(continuesChain(undefined, first)).toEqual({ ok: true });
    expect(continuesChain(first, second)).toEqual({ ok: true });
    expect(continuesChain({ revision: 2, hash: second.hash }, third)).toEqual({ ok: true });
  });

  it('names the expected revision when an event skips or repeats one', () => {
    expect(continuesChain(undefined, second)).toEqual({
      ok: false,
      problem: 'revision',
      expectedRevision: 1,
    });
    expect(continuesChain(second, second)).toEqual({
      ok: false,
      problem: 'revision',
      expectedRevision: 3,
    });
  });

  it('refuses an event whose hash is not computed from the head, or whose content changed', () => {
    expect(continuesChain({ revision: 1, hash: third.hash }, second)).toEqual({
      ok: false,
      problem: 'hash',
    });
    expect(continuesChain(first, { ...second, data: { note: 'altered' } })).toEqual({
      ok: false,
      problem: 'hash',
    });
  });

  it('uses the hash function it is given', () => {
    expect(continuesChain(first, second, () => 'f'.repeat(64))).toEqual({
      ok: false,
      problem: 'hash',
    });
    expect(continuesChain(first, second, () => second.hash)).toEqual({ ok: true });
  });
});
