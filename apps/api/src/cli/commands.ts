// The operator commands of §6, parsed from argv and run against a database. The server runs the
// same functions when the command line reaches it over its operator socket.
import { applyMigrations, type Database } from "@portal/db";
import { createSession, levels, subscriptions, type PortalConfig } from "@portal/server";
import { createUser, findUserByName, issueLoginCode, updateUser, username, type UserChanges } from "@portal/server/operator";
import { z } from "zod";

export class UsageError extends Error {
  override name = "UsageError";
}

const slots = z.union([z.literal("default"), z.coerce.number().int().min(0).max(10_000)]);
const expires = z.union([z.literal("never"), z.iso.datetime({ offset: true }), z.iso.date()]);

const userFields = {
  username,
  level: z.enum(levels.permissionLevelNames).optional(),
  tier: z.enum(subscriptions.subscriptionTierNames).optional(),
  expires: expires.optional(),
  slots: slots.optional(),
};

export const commandSchema = z.discriminatedUnion("command", [
  z.object({ command: z.literal("user create"), ...userFields }),
  z.object({ command: z.literal("user set"), ...userFields }),
  z.object({ command: z.literal("session create"), username }),
  z.object({ command: z.literal("login-code"), username }),
  z.object({ command: z.literal("db migrate") }),
]);

export type Command = z.infer<typeof commandSchema>;

export const USAGE = `Usage:
  portal user create --username NAME [--level user|moderator|admin|owner] [--tier basic|trial|premium|lifetime] [--expires DATE|never] [--slots N|default]
  portal user set --username NAME [--level ...] [--tier ...] [--expires DATE|never] [--slots N|default]
  portal session create --username NAME
  portal login-code --username NAME      (prints a one-time login code, valid 10 minutes)
  portal db migrate                      (also: pnpm db:migrate)`;

const flagsByCommand: Record<Command["command"], readonly string[]> = {
  "user create": ["username", "level", "tier", "expires", "slots"],
  "user set": ["username", "level", "tier", "expires", "slots"],
  "session create": ["username"],
  "login-code": ["username"],
  "db migrate": [],
};

function isCommandName(name: string): name is Command["command"] {
  return Object.hasOwn(flagsByCommand, name);
}

/** `["user", "create", "--username", "x"]` → a validated Command, or a UsageError saying what is wrong. */
export function parseCommand(argv: readonly string[]): Command {
  const [noun, verb, ...afterVerb] = argv;
  // One-word commands (`login-code`) take their options right after the name.
  const oneWord = noun !== undefined && isCommandName(noun);
  const command = oneWord ? noun : `${noun ?? ""} ${verb ?? ""}`;
  const rest = oneWord ? argv.slice(1) : afterVerb;
  if (!isCommandName(command)) throw new UsageError(noun ? `Unknown command '${command.trim()}'` : "No command given");
  const allowed = flagsByCommand[command];

  const fields: Record<string, string> = { command };
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i]!;
    const match = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new UsageError(`Unexpected argument '${arg}'`);
    const flag = match[1]!;
    if (!allowed.includes(flag)) throw new UsageError(`Unknown option --${flag} for '${command}'`);
    if (flag in fields) throw new UsageError(`Option --${flag} given twice`);
    const value = match[2] ?? rest[++i];
    if (value === undefined || (match[2] === undefined && value.startsWith("--"))) throw new UsageError(`Option --${flag} needs a value`);
    fields[flag] = value;
  }
  const parsed = commandSchema.safeParse(fields);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `--${issue.path.join(".")}: ${issue.message}`);
    throw new UsageError(problems.join("\n"));
  }
  return parsed.data;
}

function userChanges(command: Extract<Command, { command: "user create" | "user set" }>): UserChanges {
  const changes: UserChanges = {};
  if (command.level) changes.permissionLevel = levels.PermissionLevel[command.level];
  if (command.tier) changes.subscriptionTier = subscriptions.SubscriptionTier[command.tier];
  if (command.expires) changes.subscriptionExpiresAt = command.expires === "never" ? null : new Date(command.expires);
  if (command.slots !== undefined) changes.chatSlotOverride = command.slots === "default" ? null : command.slots;
  return changes;
}

function describeUser(user: { id: number; username: string; permissionLevel: number; subscriptionTier: number; chatSlotOverride: number | null }) {
  const tier = subscriptions.subscriptionTierNames.find((name) => subscriptions.SubscriptionTier[name] === user.subscriptionTier);
  const slotText = user.chatSlotOverride === null ? "default" : String(user.chatSlotOverride);
  return `user ${user.username} (id ${user.id}): level ${levels.levelName(user.permissionLevel)}, tier ${tier}, slots ${slotText}`;
}

export interface CommandOutput {
  /** for people: goes to stderr */
  notes: string[];
  /** for scripts: goes to stdout (the token of `session create`) */
  stdout: string[];
}

/** Runs one command. Domain failures throw. */
export async function runCommand(database: Database, _config: PortalConfig, command: Command, now = new Date()): Promise<CommandOutput> {
  const db = database.prisma;
  switch (command.command) {
    case "user create":
      return { notes: [], stdout: [`created ${describeUser(await createUser(db, command.username, userChanges(command)))}`] };
    case "user set": {
      const changes = userChanges(command);
      if (Object.keys(changes).length === 0) throw new UsageError("Nothing to change: give --level, --tier, --expires or --slots");
      return { notes: [], stdout: [`updated ${describeUser(await updateUser(db, command.username, changes))}`] };
    }
    case "session create": {
      const user = await findUserByName(db, command.username);
      const session = await createSession(db, user, { userAgent: "portal command line" }, now);
      return { notes: [`session for ${user.username}, expires ${session.expiresAt.toISOString()}`], stdout: [session.token] };
    }
    case "login-code": {
      const user = await findUserByName(db, command.username);
      const login = await issueLoginCode(db, user, now);
      return { notes: [`login code for ${user.username}, single use, valid until ${login.expiresAt.toISOString()}`], stdout: [login.code] };
    }
    case "db migrate": {
      const { applied } = await applyMigrations(database.adapterFactory);
      const where = `${database.kind} database at ${database.location}`;
      return { notes: [], stdout: applied.length ? applied.map((name) => `applied ${name}`) : [`${where}: no pending migrations`] };
    }
  }
}
