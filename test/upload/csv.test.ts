import { describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import { ByteMeter, drain, MAX_RECORD_BYTES, readCsv, type CsvRecord } from '../../src/upload/csv.js';
import { InvalidCsvError, UploadTooLargeError } from '../../src/upload/errors.js';

/** A byte stream of `text` in chunks of `size` bytes (so records and CRLFs straddle chunks). */
function bytes(text: string, size = 7): Readable {
  const all = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < all.length; i += size) chunks.push(all.subarray(i, i + size));
  return Readable.from(chunks);
}

async function records(text: string, maxBytes = 1_000_000): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const batch of readCsv(bytes(text), new ByteMeter(maxBytes))) out.push(...batch);
  return out;
}

async function failure(text: string, maxBytes = 1_000_000): Promise<unknown> {
  try {
    await records(text, maxBytes);
  } catch (error) {
    return error;
  }
  throw new Error('expected the read to fail');
}

describe('readCsv', () => {
  it('honours quoting: commas, doubled quotes and line breaks inside quotes', async () => {
    expect(await records('a,b,c\n"x, y","say ""hi""","two\nlines"\nplain,,end\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['x, y', 'say "hi"', 'two\nlines'] },
      { line: 4, fields: ['plain', '', 'end'] },
    ]);
  });

  it('drops a byte-order mark, reads CRLF, LF and mixed line ends, and a last line without one', async () => {
    expect(await records('\ufeffh1,h2\r\n1,2\n3,4\r\n5,6')).toEqual([
      { line: 1, fields: ['h1', 'h2'] },
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['3', '4'] },
      { line: 4, fields: ['5', '6'] },
    ]);
  });

  it('skips blank lines, lines of spaces and lines of only commas, and counts them in line numbers', async () => {
    expect(await records('\n\nh1,h2\n\n   \n,,\n , \n1,2\n\n')).toEqual([
      { line: 3, fields: ['h1', 'h2'] },
      { line: 8, fields: ['1', '2'] },
    ]);
  });

  it('numbers lines as the file does after line breaks inside quotes, which reach values as LF', async () => {
    expect(await records('h\r\n"a\r\n\r\nb",1\r\nc\r\n"d\re\nf"\r\ng')).toEqual([
      { line: 1, fields: ['h'] },
      { line: 2, fields: ['a\n\nb', '1'] },
      { line: 5, fields: ['c'] },
      { line: 6, fields: ['d\re\nf'] },
      { line: 9, fields: ['g'] },
    ]);
  });

  it('refuses a quote that is never closed, naming the line, without reading the rest as one field', async () => {
    const error = await failure(`h,notes\n1,ok\r\n2,"a\r\nb"\r\n3,"never closed\n${'4,x\n'.repeat(10)}`);
    expect(error).toBeInstanceOf(InvalidCsvError);
    expect(error).toMatchObject({
      code: 'INVALID_CSV',
      message: 'The CSV ends inside a quoted field (at line 15): a quote opened on an earlier line is never closed.',
    });
  });

  it('refuses text after a closing quote, naming the line (after a quoted CRLF, still the file’s line)', async () => {
    const error = await failure('h,notes\n1,"a\r\nb"\n2,"oops"x\n');
    expect(error).toMatchObject({
      code: 'INVALID_CSV',
      message: 'Line 4: a closing quote is followed by text; inside a quoted field, write a quote as two quotes ("").',
    });
  });

  it('refuses a record longer than the bound (a runaway quote), so memory stays bounded', async () => {
    const error = await failure(`h\n"${'x'.repeat(MAX_RECORD_BYTES + 10)}"\n`);
    expect(error).toMatchObject({ code: 'INVALID_CSV', message: `Line 2: a row is longer than ${MAX_RECORD_BYTES / 1024} KiB (a missing closing quote?).` });
  });

  it('stops at the byte limit, without reading the rest of the source', async () => {
    let produced = 0;
    function* endless(): Generator<Buffer> {
      yield Buffer.from('h\n');
      for (;;) {
        produced += 1;
        yield Buffer.from('1234567890\n');
      }
    }
    const meter = new ByteMeter(1000);
    const read = async () => {
      for await (const _ of readCsv(Readable.from(endless()), meter)) void _;
    };
    await expect(read()).rejects.toThrow(UploadTooLargeError);
    await expect(read()).rejects.toMatchObject({ code: 'UPLOAD_TOO_LARGE', message: 'The CSV is larger than the limit of 1,000 bytes; split it into smaller files.' });
    // A few chunks of read-ahead at most, not an endless read.
    expect(produced).toBeLessThan(1000);
  });

  it('keeps a CRLF split across chunks as one line break, and a lone CR at the end', async () => {
    for (const size of [1, 2, 3, 5]) {
      const out: CsvRecord[] = [];
      for await (const batch of readCsv(bytes('h\r\n"x\r\ny"\r\nz\r', size), new ByteMeter(1000))) out.push(...batch);
      expect(out).toEqual([
        { line: 1, fields: ['h'] },
        { line: 2, fields: ['x\ny'] },
        { line: 4, fields: ['z'] },
      ]);
    }
  });

  it('reads a file of exactly the byte limit', async () => {
    const text = 'h\n1\n2\n';
    expect(await records(text, Buffer.byteLength(text))).toHaveLength(3);
  });

  it('turns the multipart layer’s own 413 (a file it truncated) into the byte-limit refusal', async () => {
    const truncated = new Readable({
      read() {
        this.destroy(Object.assign(new Error('File truncated as it exceeds the 1001 byte size limit.'), { status: 413 }));
      },
    });
    const read = async () => {
      for await (const _ of readCsv(truncated, new ByteMeter(1000))) void _;
    };
    await expect(read()).rejects.toMatchObject({ code: 'UPLOAD_TOO_LARGE', maxBytes: 1000 });
  });

  it('refuses a file whose request ended early (the client went away), so nothing of it is kept', async () => {
    const cut = new Readable({
      read() {
        this.destroy(Object.assign(new Error('Request disconnected during file upload stream parsing.'), { status: 499 }));
      },
    });
    const read = async () => {
      for await (const _ of readCsv(cut, new ByteMeter(1000))) void _;
    };
    await expect(read()).rejects.toMatchObject({ code: 'UPLOAD_REQUIRED', message: 'The request ended before the whole file arrived.' });
  });
});

describe('ByteMeter', () => {
  const digest = async (text: string, seed: string) => {
    const meter = new ByteMeter(1_000_000, seed);
    await drain(bytes(text, 3), meter);
    return { digest: meter.digest(), bytes: meter.bytes };
  };

  it('hashes the bytes and the seed, whatever the chunking', async () => {
    const a = await digest('phoneNumber\n4155550100\n', 'dry');
    expect(a.bytes).toBe(23);
    expect(a).toEqual(await digest('phoneNumber\n4155550100\n', 'dry'));
    expect(a.digest).not.toBe((await digest('phoneNumber\n4155550100\n', 'real')).digest);
    expect(a.digest).not.toBe((await digest('phoneNumber\n4155550101\n', 'dry')).digest);
  });

  it('refuses past the limit while draining', async () => {
    await expect(drain(bytes('x'.repeat(50)), new ByteMeter(49))).rejects.toMatchObject({ code: 'UPLOAD_TOO_LARGE' });
  });
});
