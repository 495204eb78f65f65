// While the server holds the embedded database, the command line cannot open it; the server
// takes operator commands on a Unix socket in the data folder instead (mode 0600: only the
// account that owns the data can use it, the same account that could open the files).
import { chmodSync, rmSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { commandSchema, type Command, type CommandOutput } from "./commands.ts";

export function operatorSocketPath(dataDir: string): string {
  return path.join(dataDir, "operator.sock");
}

export type OperatorReply = { ok: true; output: CommandOutput } | { ok: false; error: string };

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export async function serveOperatorCommands(socketPath: string, run: (command: Command) => Promise<CommandOutput>): Promise<{ close(): Promise<void> }> {
  rmSync(socketPath, { force: true });
  const server = http.createServer(async (req, res) => {
    let reply: OperatorReply;
    try {
      const command = commandSchema.parse(JSON.parse(await readBody(req)));
      reply = { ok: true, output: await run(command) };
    } catch (error) {
      reply = { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(reply));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, resolve);
  });
  chmodSync(socketPath, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        rmSync(socketPath, { force: true });
      }),
  };
}

export function sendOperatorCommand(socketPath: string, command: Command): Promise<OperatorReply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, path: "/command", method: "POST", headers: { "content-type": "application/json" } }, async (res) => {
      try {
        resolve(JSON.parse(await readBody(res)) as OperatorReply);
      } catch (error) {
        reject(error);
      }
    });
    req.on("error", reject);
    req.end(JSON.stringify(command));
  });
}
