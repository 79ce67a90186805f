/**
 * Valid, unique US numbers that the sandbox's seed never uses (area codes
 * 720 and 737 are not among its areas): `+1 720 200 0000` onwards, ten
 * thousand to an exchange, exchanges ending in 11 skipped.
 */
export function testNumber(index: number, areaCode = '720'): string {
  const exchange = EXCHANGES[Math.floor(index / 10_000)];
  if (exchange === undefined) throw new Error(`testNumber(${index}) runs out of exchanges in area code ${areaCode}`);
  return `+1${areaCode}${exchange}${String(index % 10_000).padStart(4, '0')}`;
}

/** Exchanges 200–999 but the N11 service codes. */
const EXCHANGES = Array.from({ length: 800 }, (_, i) => 200 + i).filter((e) => e % 100 !== 11);

/**
 * An upload CSV of `rows` numbers, produced 1,000 lines at a time: a test or
 * benchmark can stream a file of any size without holding it.
 */
export function* numbersCsv(rows: number, options: { accountId: string; first?: number; areaCode?: string }): Generator<string> {
  const first = options.first ?? 0;
  yield 'phoneNumber,accountId,description,active\n';
  for (let start = 0; start < rows; start += 1000) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(start + 1000, rows); i += 1) {
      lines.push(`${testNumber(first + i, options.areaCode)},${options.accountId},"Bulk ${first + i}, load test",true\n`);
    }
    yield lines.join('');
  }
}

/** The byte size of {@link numbersCsv}'s file, without building it. */
export function numbersCsvBytes(rows: number, options: { accountId: string; first?: number; areaCode?: string }): number {
  let bytes = 0;
  for (const chunk of numbersCsv(rows, options)) bytes += Buffer.byteLength(chunk);
  return bytes;
}
