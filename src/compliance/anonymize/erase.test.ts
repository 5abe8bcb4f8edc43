// The eraser: known values leave any text, phone numbers whatever their formatting, nothing else is touched.
import { describe, expect, it } from 'vitest';
import { eraseDeep, makeEraser } from './erase.ts';

describe('makeEraser', () => {
  const erase = makeEraser([
    { value: '+15550102030', placeholder: '[anonphonenumber]', phone: true },
    { value: 'jane.doe@example.com', placeholder: '[anondigitaladdress]' },
    { value: 'Jane Doe', placeholder: '[anonymized]' },
    { value: 'AB', placeholder: '[anonymized]' },
  ]);

  it('replaces a number written with other separators or without its country code', () => {
    expect(erase('call me on +1 (555) 010-2030 please')).toBe('call me on [anonphonenumber] please');
    expect(erase('or 555.010.2030')).toBe('or [anonphonenumber]');
    expect(erase('ref 155501020301')).toBe('ref 155501020301');
  });

  it('replaces addresses and names case-insensitively and leaves short values and other words alone', () => {
    expect(erase('From JANE.DOE@example.com (jane doe)')).toBe('From [anondigitaladdress] ([anonymized])');
    expect(erase('AB testing')).toBe('AB testing');
  });

  it('goes through JSON values, keys untouched', () => {
    expect(eraseDeep({ phone: '+15550102030', list: ['Jane Doe', 3] }, erase)).toEqual({ phone: '[anonphonenumber]', list: ['[anonymized]', 3] });
  });

  it('is the identity without values', () => {
    expect(makeEraser([])('anything +15550102030')).toBe('anything +15550102030');
  });
});
