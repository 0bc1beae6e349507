import type { Command } from '../cli';
import { planCommand } from './plan';
import { synthCommand } from './synth';
import { validateCommand } from './validate';
import { instanceTypes } from './instance-types';

/** Every sub-command, in the order `multinic --help` lists them. Add one line per command. */
export const COMMANDS: Command[] = [
  validateCommand,
  synthCommand,
  instanceTypes,
  planCommand,
];
