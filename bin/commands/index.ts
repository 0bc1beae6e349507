import type { Command } from '../cli';

/** Every sub-command, in the order `multinic --help` lists them. Add one line per command. */
export const COMMANDS: Command[] = [
];
