import { readFileSync, writeFileSync } from 'node:fs';
import { renderOpenApi } from '../src/app.js';
import { withCapabilitiesTable } from '../src/catalogue/capabilities.js';
import { withEndpointTable } from '../src/catalogue/endpoints.js';
import { withFindingsTable } from '../src/catalogue/findings.js';
import { PROBES } from '../src/probes/registry.js';
import { withVendorTable } from '../test/support/vendor-coverage.js';

// What is generated from the schemas and the catalogues; tests fail when either drifts.
writeFileSync('openapi.yaml', await renderOpenApi());
writeFileSync('README.md', withVendorTable(withCapabilitiesTable(withFindingsTable(readFileSync('README.md', 'utf8')))));
writeFileSync('docs/deployment.md', withEndpointTable(readFileSync('docs/deployment.md', 'utf8'), PROBES));
process.stdout.write("wrote openapi.yaml, README.md's tables of capabilities, findings and the vendor policies' coverage, and docs/deployment.md's VPC endpoints\n");
