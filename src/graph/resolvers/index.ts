import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { assignmentResolvers } from './assignments.js';
import { extensionResolvers } from './extensions.js';
import { nodeResolvers } from './node.js';
import { historyResolvers, JSONScalar } from './history.js';
import { phoneNumberResolvers } from './phone-numbers.js';
import { routingResolvers } from './routing.js';
import { CountryCode, DateTime, E164 } from './scalars.js';
import { trackingMutationResolvers } from './tracking-mutations.js';
import { trackingResolvers } from './tracking.js';
import { uploadResolvers } from './upload.js';

const modules: Resolvers[] = [phoneNumberResolvers, assignmentResolvers, trackingResolvers, extensionResolvers, nodeResolvers, routingResolvers, historyResolvers, trackingMutationResolvers, uploadResolvers];

/** Every resolver, merged by type; each module owns its types and its Query fields. */
export const resolvers: Resolvers = modules.reduce<Resolvers>(
  (all, module) => {
    for (const [type, fields] of Object.entries(module)) {
      const key = type as keyof Resolvers;
      all[key] = { ...(all[key] as object), ...(fields as object) } as never;
    }
    return all;
  },
  { E164, DateTime, CountryCode, JSON: JSONScalar },
);
