/**
 * `commitments keygen`: prints a random API secret (32 bytes from the system's CSPRNG, base64url,
 * 43 characters), long enough for API_KEYS, which refuses secrets under 32 characters.
 * With a name and a role it prints the whole `name:role:secret` entry.
 */
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { MIN_SECRET_LENGTH, ROLES } from '../../config.js';
import { UsageError, type CommandContext } from '../context.js';

export function newSecret(): string {
  const secret = randomBytes(32).toString('base64url');
  if (secret.length < MIN_SECRET_LENGTH) throw new Error('keygen: secret too short'); // cannot happen: 43 chars
  return secret;
}

export function registerKeygen(program: Command, ctx: CommandContext): void {
  program
    .command('keygen')
    .description('print a random API secret (or a whole API_KEYS entry: keygen <name> <role>)')
    .argument('[name]', 'key name, e.g. alice')
    .argument('[role]', `one of ${ROLES.join(', ')}`)
    .action((name: string | undefined, role: string | undefined) => {
      const secret = newSecret();
      if (name === undefined) {
        ctx.out.write(`${secret}\n`);
        return;
      }
      if (!/^[A-Za-z0-9._@-]{1,100}$/.test(name)) {
        throw new UsageError("the name must be 1-100 letters, digits, '.', '_', '@' or '-'");
      }
      if (role === undefined || !(ROLES as readonly string[]).includes(role)) {
        throw new UsageError(`the role must be one of ${ROLES.join(', ')}`);
      }
      ctx.out.write(`${name}:${role}:${secret}\n`);
    });
}
