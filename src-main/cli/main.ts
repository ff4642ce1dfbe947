// `mlenv`: the command-line entry. Each command is a module of its own (commands.ts).
import { VERSION } from '../version';
import { asksForHelp, UsageError } from './args';
import { COMMANDS, type Command } from './commands';

const help = () =>
  `MLEnv Desktop ${VERSION}: GPU containers on your own machine.\n\nUsage:\n${Object.values(COMMANDS)
    .map((c) => `  ${c.usage}`)
    .join('\n')}\n  mlenv --version\n`;

/** The command named `name`; an unknown name is a UsageError. */
function commandNamed(name: string): Command {
  if (!Object.hasOwn(COMMANDS, name)) throw new UsageError(`unknown command "${name}"; run mlenv --help`);
  return COMMANDS[name]!;
}
/** One command's usage, as `mlenv <command> --help` (or -h) and `mlenv help <command>` print it. */
const commandHelp = (c: Command) => `Usage:\n  ${c.usage}\n`;

async function main(argv: string[]) {
  const [name, ...rest] = argv;
  if (name === 'help' && rest.length === 1) return void process.stdout.write(commandHelp(commandNamed(rest[0]!)));
  if (!name || name === 'help' || name === '--help' || name === '-h') return void process.stdout.write(help());
  if (name === '--version' || name === 'version') return void process.stdout.write(`${VERSION}\n`);
  const command = commandNamed(name);
  // Before the command parses anything: every command answers --help the same way, with its usage.
  if (asksForHelp(rest)) return void process.stdout.write(commandHelp(command));
  await command.run(rest);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`mlenv: ${(e as Error).message}\n`);
  process.exit(e instanceof UsageError ? 2 : 1);
});
