// Regenerates schemas/resnet-architecture.schema.json from shared/architectureSchema.ts (after
// `npm run build`). The unit test architectureSchema.test.js fails while the file is stale.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { architectureSchemaText } = require('../out/shared/architectureSchema.js');
writeFileSync(new URL('../schemas/resnet-architecture.schema.json', import.meta.url), architectureSchemaText());
