/** `commitments serve`: the HTTP API; it creates its store on an empty data dir. */
import type { Command } from 'commander';
import { createLogger, startServer } from '../../bootstrap.js';
import { cliConfig, common, type CommandContext, type CommonOptions } from '../context.js';

export function registerServe(program: Command, ctx: CommandContext): void {
  common(
    program
      .command('serve')
      .description('start the HTTP API (PORT, HOST, API_KEYS, … from the environment)'),
  ).action(async (o: CommonOptions) => {
    const config = cliConfig(o, ctx.env, true);
    const logger = createLogger({ level: config.logLevel });
    await startServer({ config, logger, clock: ctx.clock });
    ctx.setServing();
  });
}
