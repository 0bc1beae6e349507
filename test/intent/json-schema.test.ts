import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { intentJsonSchema, intentJsonSchemaText } from '../../lib/intent/json-schema';
import { defaultIntentPath } from '../../lib/intent/load';

describe('schema/network-intent.schema.json', () => {
  const committed = fs.readFileSync(path.join(__dirname, '../../schema/network-intent.schema.json'), 'utf8');

  test('is exactly what the zod schema generates (run `npm run gen:schema` after changing lib/intent/schema.ts)', () => {
    expect(committed).toBe(intentJsonSchemaText());
  });

  test('accepts the default intent and rejects a misspelt IPAM type, as editors will', () => {
    // GIVEN
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(intentJsonSchema());
    const intent = parse(fs.readFileSync(defaultIntentPath(), 'utf8'));
    // THEN
    expect(validate(intent)).toBe(true);
    // WHEN
    intent.spec.networks[1].ipam.type = 'whereaboutsss';
    // THEN
    expect(validate(intent)).toBe(false);
  });
});
