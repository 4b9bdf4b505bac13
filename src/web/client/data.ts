// What the page knows of the catalogue: written into the script when it is bundled
// (src/web/assets.ts), so that the script is one fixed text with one CSP hash.

/** Every capability, in the catalogue's order: its id, its title, whether a run asks for it by default. */
declare const PAGE_CAPABILITIES: ReadonlyArray<{ id: string; title: string; checked: boolean }>;
/** The flat connection's field names, each with the canonical request's JSON pointer ("/credentials/roleArn"). */
declare const PAGE_FLAT_FIELDS: ReadonlyArray<readonly [name: string, path: string]>;

export const CAPABILITIES = PAGE_CAPABILITIES;
export const FLAT_FIELDS = PAGE_FLAT_FIELDS;

export const titleOf = (id: string): string => CAPABILITIES.find((c) => c.id === id)?.title ?? id;
