/** Regenerates infra/node/eni/constants.sh from lib/node/eni-contract.ts (`npm run gen:node`). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { eniConstantsScript } from '../lib/node/eni-contract';

const root = path.resolve(__dirname, '..', fs.existsSync(path.resolve(__dirname, '..', 'package.json')) ? '' : '..');
const file = path.join(root, 'infra', 'node', 'eni', 'constants.sh');
fs.writeFileSync(file, eniConstantsScript());
process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
