import { writeFileSync } from 'node:fs';
import { renderOpenApi } from '../src/app.js';

writeFileSync('openapi.yaml', await renderOpenApi());
process.stdout.write('wrote openapi.yaml\n');
