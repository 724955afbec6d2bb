import { describe, expect, it } from 'vitest';
import { normaliseParties, normaliseParty } from '../../../src/domain/parties.js';
import { Parties } from '../../../src/domain/values.js';

describe('normaliseParty: country names become ISO alpha-2 codes', () => {
  it.each([
    ['Kazakhstan', 'KZ'],
    ['Republic of Kazakhstan', 'KZ'],
    ['the Republic of Kazakhstan', 'KZ'],
    ['Казахстан', 'KZ'],
    ['Республика Казахстан', 'KZ'],
    ['KAZ', 'KZ'],
    ['kz', 'KZ'],
    ['Uzbekistan', 'UZ'],
    ['Uzbek', 'UZ'],
    ['United States', 'US'],
    ['United States of America', 'US'],
    ['США', 'US'],
    ['Russian Federation', 'RU'],
    ['Россия', 'RU'],
    ['Китай', 'CN'],
    ['China', 'CN'],
    ['  United   Kingdom ', 'GB'],
    ['British', 'GB'],
    ['JPN', 'JP'],
  ])('%j → %s', (input, code) => {
    expect(normaliseParty(input)).toBe(code);
  });

  it.each(['European Union', 'ASEAN', 'Shanghai Cooperation Organisation', 'World Bank', 'G7'])(
    'an organisation stays a name: %j',
    (name) => {
      expect(normaliseParty(name)).toBe(name);
    },
  );

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype'])(
    'a prototype key stays the name it is: %j',
    (name) => {
      expect(normaliseParty(name)).toBe(name);
    },
  );

  it('is idempotent', () => {
    for (const p of ['Kazakhstan', 'KZ', 'European Union', 'Казахстан']) {
      expect(normaliseParty(normaliseParty(p))).toBe(normaliseParty(p));
    }
  });

  it('merges the forms of one country in a list', () => {
    expect(normaliseParties(['Kazakhstan', 'KZ', 'Uzbekistan', 'Казахстан'])).toEqual(['KZ', 'UZ']);
    expect(Parties.parse(['Uzbekistan', 'Kazakhstan', 'UZ'])).toEqual(['UZ', 'KZ']);
  });
});
