import { normalizePhoneNumber } from '../../src/domain/phone-number.js';
import type { Random } from '../core/random.js';

/** A seeded number before any provider writes it in its own format. */
export interface SeedNumber {
  /** E.164. */
  e164: string;
  /** ISO country. */
  country: 'US' | 'CA' | 'GB';
  tollFree: boolean;
  /** City or region, for providers that show a location. */
  location: string;
}

const US_AREAS: [string, string][] = [
  ['212', 'New York, NY'], ['312', 'Chicago, IL'], ['415', 'San Francisco, CA'], ['512', 'Austin, TX'],
  ['617', 'Boston, MA'], ['206', 'Seattle, WA'], ['303', 'Denver, CO'], ['404', 'Atlanta, GA'],
  ['602', 'Phoenix, AZ'], ['713', 'Houston, TX'], ['305', 'Miami, FL'], ['615', 'Nashville, TN'],
  ['503', 'Portland, OR'], ['919', 'Raleigh, NC'], ['702', 'Las Vegas, NV'], ['612', 'Minneapolis, MN'],
  ['801', 'Salt Lake City, UT'], ['912', 'Savannah, GA'], ['646', 'New York, NY'], ['650', 'San Mateo, CA'],
];
const CA_AREAS: [string, string][] = [['416', 'Toronto, ON'], ['604', 'Vancouver, BC'], ['514', 'Montreal, QC']];
const TOLL_FREE = ['800', '833', '844', '855', '866', '877', '888'];

/**
 * Draws unique, valid numbers: mostly US local, about a tenth toll-free, and a
 * few Canadian and UK numbers, so that every provider's formatting of non-US
 * and toll-free numbers gets exercised. Every number passes strict
 * libphonenumber validation, because real providers only hold real numbers.
 */
export class NumberFactory {
  private readonly used = new Set<string>();

  constructor(private readonly random: Random) {}

  draw(): SeedNumber {
    for (;;) {
      const candidate = this.candidate();
      if (this.used.has(candidate.e164)) continue;
      const parsed = normalizePhoneNumber(candidate.e164);
      if (!parsed.ok || parsed.e164 !== candidate.e164) continue;
      if (candidate.tollFree !== parsed.tollFree) continue;
      this.used.add(candidate.e164);
      return candidate;
    }
  }

  drawMany(count: number): SeedNumber[] {
    return Array.from({ length: count }, () => this.draw());
  }

  private candidate(): SeedNumber {
    const r = this.random;
    const roll = r.next();
    const line = String(r.int(0, 9999)).padStart(4, '0');
    const exchange = String(r.int(201, 989));
    if (exchange.endsWith('11') || exchange === '555') return this.candidate();
    if (roll < 0.1) {
      return { e164: `+1${r.pick(TOLL_FREE)}${exchange}${line}`, country: 'US', tollFree: true, location: 'Toll-free' };
    }
    if (roll < 0.15) {
      const [area, location] = r.pick(CA_AREAS);
      return { e164: `+1${area}${exchange}${line}`, country: 'CA', tollFree: false, location };
    }
    if (roll < 0.19) {
      // London 020 7xxx xxxx or Manchester 0161 xxx xxxx.
      const london = r.chance(0.6);
      const e164 = london ? `+4420${r.int(70, 79)}${String(r.int(0, 999999)).padStart(6, '0')}` : `+44161${r.int(200, 999)}${String(r.int(0, 9999)).padStart(4, '0')}`;
      return { e164, country: 'GB', tollFree: false, location: london ? 'London' : 'Manchester' };
    }
    const [area, location] = r.pick(US_AREAS);
    return { e164: `+1${area}${exchange}${line}`, country: 'US', tollFree: false, location };
  }
}
