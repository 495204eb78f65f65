// `pnpm portal ...` — the operator command line (§6). It opens the configured database itself,
// or, when the server holds the embedded database, asks the server to run the command.
import { DatabaseLockedError, openDatabase, readLockHolder } from "@portal/db";
import { ConfigError, loadConfig, type PortalConfig } from "@portal/server";
import { parseCommand, runCommand, UsageError, USAGE, type Command, type CommandOutput } from "./commands.ts";
import { sendOperatorCommand } from "./operator-socket.ts";

async function runLocally(config: PortalConfig, command: Command): Promise<CommandOutput> {
  const db = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: 2,
    // `db migrate` reports what it applies itself; every other command needs the tables first.
    migrate: command.command !== "db migrate",
    role: "the portal command line",
  });
  try {
    return await runCommand(db, config, command);
  } finally {
    await db.close();
  }
}

async function execute(config: PortalConfig, command: Command): Promise<CommandOutput> {
  const holder = config.databaseUrl ? null : readLockHolder(config.dataDir);
  if (holder?.operatorSocket) {
    const reply = await sendOperatorCommand(holder.operatorSocket, command);
    if (!reply.ok) throw new Error(reply.error);
    return reply.output;
  }
  return runLocally(config, command);
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "help") {
    console.log(USAGE);
    return argv.length === 0 ? 1 : 0;
  }
  try {
    const command = parseCommand(argv);
    const output = await execute(loadConfig(), command);
    for (const line of output.notes) console.error(line);
    for (const line of output.stdout) console.log(line);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`portal: ${error.message}\n\n${USAGE}`);
    } else if (error instanceof ConfigError || error instanceof DatabaseLockedError || error instanceof Error) {
      console.error(`portal: ${error.message}`);
    } else {
      console.error(`portal: ${String(error)}`);
    }
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
