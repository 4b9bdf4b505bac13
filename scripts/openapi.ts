import { readFileSync, writeFileSync } from 'node:fs';
import { renderOpenApi } from '../src/app.js';
import { withCapabilitiesTable } from '../src/catalogue/capabilities.js';
import { withEndpointTable } from '../src/catalogue/endpoints.js';
import { withFindingsTable } from '../src/catalogue/findings.js';
import { PROBES } from '../src/probes/registry.js';
import { withScenarioTable } from '../src/sandbox/scenario-table.js';
import { withVendorTable } from '../test/support/vendor-coverage.js';

// What is generated from the schemas, the catalogues and the sandbox's scenarios; tests fail when
// either drifts.
const rewrite = (file: string, generate: (markdown: string) => string) => writeFileSync(file, generate(readFileSync(file, 'utf8')));
writeFileSync('openapi.yaml', await renderOpenApi());
rewrite('README.md', withCapabilitiesTable);
rewrite('docs/api.md', (markdown) => withVendorTable(withFindingsTable(markdown)));
rewrite('docs/deployment.md', (markdown) => withEndpointTable(markdown, PROBES));
rewrite('docs/sandbox.md', withScenarioTable);
process.stdout.write(
  "wrote openapi.yaml, README.md's table of capabilities, docs/api.md's findings and the vendor policies' coverage, docs/deployment.md's VPC endpoints and docs/sandbox.md's scenarios\n",
);
