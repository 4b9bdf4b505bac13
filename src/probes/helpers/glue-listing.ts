// Where a Glue listing was read, for the findings that say it came back empty.
import type { ProbeContext } from '../types.js';

/** Where an empty Glue listing was read, as its finding words it: the catalog, its owner and path, the caller. */
export function listingFacts({ connection, facts }: Pick<ProbeContext, 'connection' | 'facts'>) {
  return {
    region: connection.region,
    catalogId: connection.catalogId,
    catalogOwner: connection.catalogOwner,
    ...(connection.catalogName ? { catalogName: connection.catalogName } : {}),
    callerArn: facts.identity?.arn,
  };
}
