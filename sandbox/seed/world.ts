import { Random } from '../core/random.js';
import { NumberFactory, type SeedNumber } from './numbers.js';

export type { SeedNumber } from './numbers.js';

/** The seed the sandbox uses unless `SANDBOX_SEED` says otherwise. */
export const DEFAULT_SANDBOX_SEED = 20261122;

export interface WorldOptions {
  /** PRNG seed; the same seed gives byte-identical data. */
  seed: number;
  /** Multiplies every count; 1 gives the default sizes below. */
  scale: number;
}

/**
 * Which numbers each provider holds, decided once so that the overlaps are
 * consistent: a number shared by RingCX and RingCentral is the same E.164 in
 * both, even though each writes it its own way. Each provider's sandbox turns
 * its share into records (extensions, queues, groups…) with its own forked PRNG.
 */
export interface World {
  options: WorldOptions;
  /** A PRNG for `label`, independent of how much any other provider consumed. */
  random(label: string): Random;
  /** Scales a default count, never below `min`. */
  count(base: number, min?: number): number;
  ringcx: {
    /** Every DNIS in the pool. */
    pool: SeedNumber[];
    /** Pool numbers that are also RingCentral numbers (usage type ContactCenterNumber). */
    sharedWithRingCentral: SeedNumber[];
  };
  ringcentral: {
    /** The account's main company number. */
    mainNumber: SeedNumber;
    /** Numbers to spread over extensions and company usage (excludes the shared ones below). */
    own: SeedNumber[];
    /** Numbers also held by RingCX (contact-center numbers). */
    sharedWithRingCx: SeedNumber[];
    /** Numbers also held by Zendesk Talk (external numbers there). */
    sharedWithZendesk: SeedNumber[];
    /** Numbers also held by Ringyo (forwarded to the AI agent). */
    sharedWithRingyo: SeedNumber[];
    /** Outside numbers (mobiles, homes) that extensions forward calls to; held by no provider. */
    forwarding: SeedNumber[];
  };
  zendesk: {
    /** Every Talk number, including the RingCentral ones (flagged `external`). */
    numbers: SeedNumber[];
    sharedWithRingCentral: SeedNumber[];
  };
  ringyo: {
    numbers: SeedNumber[];
    sharedWithRingCentral: SeedNumber[];
  };
}

/** Builds the seed world: default scale gives 2,000 RingCX DNIS, ~220 RingCentral, 300 Zendesk and 100 Ringyo numbers. */
export function createWorld(options: WorldOptions): World {
  const root = new Random(options.seed);
  const count = (base: number, min = 1) => Math.max(min, Math.round(base * options.scale));
  const factory = new NumberFactory(root.fork('numbers'));

  const ringcxPool = factory.drawMany(count(2000, 20));
  // The first slice of the pool doubles as RingCentral contact-center numbers.
  const rcxShared = ringcxPool.slice(0, count(60, 2));
  const rcOwn = factory.drawMany(count(200, 10));
  const mainNumber = factory.draw();
  const zendeskShared = factory.drawMany(count(40, 2));
  const zendeskOwn = factory.drawMany(count(260, 5));
  const ringyoShared = factory.drawMany(count(10, 1));
  const ringyoOwn = factory.drawMany(count(90, 2));
  const forwarding = factory.drawMany(count(120, 2));

  return {
    options,
    random: (label) => root.fork(label),
    count,
    ringcx: { pool: ringcxPool, sharedWithRingCentral: rcxShared },
    ringcentral: {
      mainNumber,
      own: rcOwn,
      sharedWithRingCx: rcxShared,
      sharedWithZendesk: zendeskShared,
      sharedWithRingyo: ringyoShared,
      forwarding,
    },
    zendesk: { numbers: interleave(zendeskOwn, zendeskShared), sharedWithRingCentral: zendeskShared },
    ringyo: { numbers: interleave(ringyoOwn, ringyoShared), sharedWithRingCentral: ringyoShared },
  };
}

/** Spreads `extra` evenly through `base` so shared numbers are not all on page one. */
function interleave<T>(base: T[], extra: T[]): T[] {
  const out = [...base];
  const step = Math.max(1, Math.floor(base.length / Math.max(1, extra.length)));
  extra.forEach((item, i) => out.splice(Math.min(out.length, i * (step + 1) + 1), 0, item));
  return out;
}
