import { z } from 'zod';
import { networkIntentSchema } from './schema';

/** The JSON Schema editors use for `network-intent.yaml`, generated from the zod schema (the one source). */
export function intentJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(networkIntentSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return { ...schema, $id: 'https://multinic.dev/schema/network-intent.schema.json', title: 'multinic NetworkIntent' };
}

/** Serialised exactly as committed in `schema/network-intent.schema.json`. */
export function intentJsonSchemaText(): string {
  return `${JSON.stringify(intentJsonSchema(), null, 2)}\n`;
}
