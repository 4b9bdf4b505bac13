// Tables in the documentation that restate the catalogue are generated from it, between two marker
// comments, by `npm run openapi`; each has a test that fails when the text has drifted.

export interface Markers {
  start: string;
  end: string;
}

/** The markers of a generated block: its name and where it is generated from. */
export const markersOf = (name: string, source: string): Markers => ({
  start: `<!-- ${name}: generated from ${source} by \`npm run openapi\`; edit there -->`,
  end: `<!-- /${name} -->`,
});

/** The text with the block between the markers replaced by `body` (markers kept). */
export function withGenerated(markdown: string, markers: Markers, body: string): string {
  const start = markdown.indexOf(markers.start);
  const end = markdown.indexOf(markers.end);
  if (start < 0 || end < start) throw new Error(`no generated block to replace: it goes between ${markers.start} and ${markers.end}`);
  return `${markdown.slice(0, start)}${markers.start}\n${body}\n${markers.end}${markdown.slice(end + markers.end.length)}`;
}
