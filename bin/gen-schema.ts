/** Regenerates schema/network-intent.schema.json from lib/intent/schema.ts (`npm run gen:schema`). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { intentJsonSchemaText } from '../lib/intent/json-schema';

const root = path.resolve(__dirname, '..', fs.existsSync(path.resolve(__dirname, '..', 'package.json')) ? '' : '..');
const file = path.join(root, 'schema', 'network-intent.schema.json');
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(file, intentJsonSchemaText());
process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
