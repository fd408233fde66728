import type { CommandModule } from '../command.ts';
import { loginCommand, logoutCommand, preflightCommand, whoamiCommand } from './account.ts';
import { historyCommand } from './history.ts';
import { mappingsCommand } from './mappings.ts';
import { dryRunCommand, resumeCommand, uploadCommand } from './upload.ts';
import { validateCommand } from './validate.ts';

/**
 * Every command of `metricdrop`, in the order `--help` lists them. A new command is a file in this
 * folder exporting a `CommandModule`, added here.
 */
export const COMMANDS: readonly CommandModule[] = [
  validateCommand,
  dryRunCommand,
  uploadCommand,
  resumeCommand,
  historyCommand,
  mappingsCommand,
  loginCommand,
  logoutCommand,
  whoamiCommand,
  preflightCommand,
];
