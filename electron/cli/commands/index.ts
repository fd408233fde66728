import type { CommandModule } from '../command.ts';
import { validateCommand } from './validate.ts';

/**
 * Every command of `metricdrop`, in the order `--help` lists them. A new command is a file in this
 * folder exporting a `CommandModule`, added here.
 */
export const COMMANDS: readonly CommandModule[] = [validateCommand];
