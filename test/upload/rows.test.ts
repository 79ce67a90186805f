import { describe, expect, it } from '@jest/globals';
import { InvalidCsvError } from '../../src/upload/errors.js';
import { readHeader, validateRow, type RowContext } from '../../src/upload/rows.js';

const context: RowContext = { accounts: new Set(['15300001', '15300002']), defaultAccountId: null };
const FULL = ['phoneNumber', 'accountId', 'description', 'category', 'notes', 'active'];

describe('readHeader', () => {
  it('finds the columns by name in any order, ignoring case, spaces, _ and -', () => {
    expect(readHeader(['Active', ' phone number ', 'ACCOUNT_ID', 'Description', 'category', 'no-tes'], 1, { defaultAccountId: null })).toEqual({
      columns: { active: 0, phoneNumber: 1, accountId: 2, description: 3, category: 4, notes: 5 },
      width: 6,
      unnamed: [],
    });
  });

  it('allows blank header fields (a trailing comma), remembering where they are', () => {
    expect(readHeader(['phoneNumber', 'accountId', ''], 1, { defaultAccountId: null })).toEqual({ columns: { phoneNumber: 0, accountId: 1 }, width: 3, unnamed: [2] });
  });

  it.each([
    [['phoneNumber', 'accountId', 'descripton'], null, 'Line 1 (the header): unknown column "descripton"; the columns are phoneNumber, accountId, description, category, notes, active.'],
    [['phoneNumber', 'accountId', 'Phone_Number'], null, 'Line 1 (the header): the column phoneNumber appears twice.'],
    [['accountId', 'description'], null, 'Line 1 (the header): the phoneNumber column is missing; the first row must name the columns (the columns are phoneNumber, accountId, description, category, notes, active).'],
    [['phoneNumber', 'description'], null, 'Line 1 (the header): the accountId column is missing; add it, or give defaultAccountId.'],
  ])('refuses header %j (default account %s)', (fields, defaultAccountId, message) => {
    expect(() => readHeader(fields, 1, { defaultAccountId })).toThrow(new InvalidCsvError(message));
  });

  it('does without an accountId column when a default account is given', () => {
    expect(readHeader(['phoneNumber'], 3, { defaultAccountId: '15300001' }).columns).toEqual({ phoneNumber: 0 });
  });
});

describe('validateRow', () => {
  const header = readHeader(FULL, 1, { defaultAccountId: null });

  it('normalises the number to E.164 and builds the DNIS pool record from the trimmed fields', () => {
    expect(validateRow([' (415) 555-2671 ', '15300002', ' Sales, West ', 'Local', 'a\nb', 'FALSE'], header, context)).toEqual({
      ok: true,
      e164: '+14155552671',
      record: { dnis: '14155552671', reservedAccountId: '15300002', dnisDescription: 'Sales, West', dnisCategory: 'Local', notes: 'a\nb', active: false },
    });
  });

  it('leaves out empty optional fields, so RingCX applies its defaults', () => {
    expect(validateRow(['+44 20 7946 0958', '15300001', '', '', '', ''], header, context)).toEqual({
      ok: true,
      e164: '+442079460958',
      record: { dnis: '442079460958', reservedAccountId: '15300001' },
    });
  });

  it('reads missing trailing fields as empty', () => {
    expect(validateRow(['4155552671', '15300001'], header, context)).toMatchObject({ ok: true, e164: '+14155552671' });
  });

  it('uses the default account for rows without one, and the row’s own account otherwise', () => {
    const withDefault = { ...context, defaultAccountId: '15300002' };
    expect(validateRow(['4155552671', ''], header, withDefault)).toMatchObject({ ok: true, record: { reservedAccountId: '15300002' } });
    expect(validateRow(['4155552671', '15300001'], header, withDefault)).toMatchObject({ ok: true, record: { reservedAccountId: '15300001' } });
  });

  it.each([
    [['', '15300001'], null, 'phoneNumber is required.'],
    [['555-0100', '15300001'], null, 'phoneNumber is not a valid phone number: "555-0100".'],
    [['+1 415 555 26', '15300001'], null, 'phoneNumber is not a valid phone number: "+1 415 555 26".'],
    [['call me', '15300001'], null, 'phoneNumber contains characters that are not part of a phone number: "call me".'],
    [['4'.repeat(60), '15300001'], null, `phoneNumber is too long to be a phone number: "${'4'.repeat(40)}…".`],
    [['4155552671', ''], '+14155552671', 'accountId is required (or give defaultAccountId).'],
    [['4155552671', '999'], '+14155552671', 'accountId "999" is not a RingCX sub-account Switchboard manages.'],
    [['4155552671', '15300001', '', '', '', 'yes'], '+14155552671', 'active must be true or false, not "yes".'],
    [['4155552671', '15300001', 'a', 'b', 'c', 'true', 'd'], '+14155552671', 'the row has 7 fields but the header has 6 (a comma in a value that is not quoted?).'],
    [['', '', '', '', '', 'no'], null, 'phoneNumber is required; accountId is required (or give defaultAccountId); active must be true or false, not "no".'],
  ])('refuses %j, naming each field at fault', (fields, e164, message) => {
    expect(validateRow(fields, header, context)).toEqual({ ok: false, e164, message });
  });

  it('refuses a value under a header field left blank, which would otherwise be dropped', () => {
    const blank = readHeader(['phoneNumber', 'accountId', ''], 1, { defaultAccountId: null });
    expect(validateRow(['4155552671', '15300001', 'lost?'], blank, context)).toEqual({
      ok: false,
      e164: '+14155552671',
      message: 'field 3 has a value but no column name in the header.',
    });
    expect(validateRow(['4155552671', '15300001', ' '], blank, context)).toMatchObject({ ok: true });
  });
});
