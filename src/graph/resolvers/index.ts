import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { assignmentResolvers } from './assignments.js';
import { extensionResolvers } from './extensions.js';
import { nodeResolvers } from './node.js';
import { historyResolvers, JSONScalar } from './history.js';
import { phoneNumberResolvers } from './phone-numbers.js';
import { routingResolvers } from './routing.js';
import { syncResolvers } from './sync.js';
import { CountryCode, DateTime, E164 } from './scalars.js';
import { trackingMutationResolvers } from './tracking-mutations.js';
import { trackingResolvers } from './tracking.js';
import { uploadResolvers } from './upload.js';
import { oversizeFields } from '../input-limits.js';

const modules: Resolvers[] = [phoneNumberResolvers, assignmentResolvers, trackingResolvers, extensionResolvers, nodeResolvers, routingResolvers, historyResolvers, trackingMutationResolvers, uploadResolvers, syncResolvers];

/** Every resolver, merged by type; each module owns its types and its Query fields. */
const merged: Resolvers = modules.reduce<Resolvers>(
  (all, module) => {
    for (const [type, fields] of Object.entries(module)) {
      const key = type as keyof Resolvers;
      all[key] = { ...(all[key] as object), ...(fields as object) } as never;
    }
    return all;
  },
  { E164, DateTime, CountryCode, JSON: JSONScalar },
);

/**
 * Every mutation refuses oversize input first (input-limits.ts), before its
 * own checks and before anything is stored: every payload has `userErrors`,
 * and its other fields are then null (a dry run's `plan` empty).
 */
type MutationResolver = (parent: unknown, args: Record<string, unknown>, ...rest: unknown[]) => unknown;
const mutations = merged.Mutation as Record<string, MutationResolver>;
export const resolvers: Resolvers = {
  ...merged,
  Mutation: Object.fromEntries(
    Object.entries(mutations).map(([name, resolve]) => [
      name,
      (parent: unknown, args: Record<string, unknown>, ...rest: unknown[]) => {
        const userErrors = oversizeFields(args);
        return userErrors.length > 0 ? { e164: null, userErrors } : resolve(parent, args, ...rest);
      },
    ]),
  ) as Resolvers['Mutation'],
};
