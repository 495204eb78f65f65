// The baseline of `pnpm bench`: "create an official chat" written directly against Express and
// Prisma, with no tRPC, no REST adapter and no app-wide middleware. It does the same work as
// admin.chats.create (session lookup, validation, permission check, one INSERT with the owner
// included, the same JSON answer), so the ratio REST/hand-written is what the layers in between
// cost.
//
// Validation is a plain hand-written check, NOT the server's zod schema: the baseline is meant to
// be the cheapest correct implementation, so that any cost of the procedure machinery (including
// validating the input twice and the output once with zod) shows up in the ratio. The rules are
// the same as createChatInput/browserConfigInput in packages/server (names trimmed 2–64, slug
// 2–32 of [a-z0-9-], description ≤ 500, browser one of the configured ones and otherwise the
// configured default, start_url an absolute http(s) URL ≤ 2048, booleans strictly boolean); the
// error bodies are simplified.
//
// Scope: only the path the benchmark takes is complete. With the default configuration
// (PORTAL_OFFICIAL_CHAT_MIN_LEVEL=owner) every caller that passes the permission check is an
// Owner, and Owners have no slot limit, so the slot-limit transaction of services/chats.ts is
// never needed; createHandWrittenApp refuses any other configuration rather than silently doing
// less work than the real procedure.
import { Prisma, type PrismaClient } from "@portal/db";
import { findSession, levels, SESSION_COOKIE, type PortalConfig } from "@portal/server";
import express, { type Request, type Response } from "express";

export const HAND_WRITTEN_PATH = "/bench/chats";

const SLUG = /^[a-z0-9-]+$/;

interface Issue {
  loc: string[];
  msg: string;
  type: string;
}

interface ValidInput {
  name: string;
  slug: string;
  description: string | null;
  allowControlRequests: boolean;
  browser: string;
  startUrl: string | null;
  kiosk: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function isAbsoluteHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** The body of "create an official chat", checked by hand. Returns the input or the problems. */
export function validateCreateChat(body: unknown, browsers: ReadonlySet<string>, defaultBrowser: string): ValidInput | Issue[] {
  if (!isObject(body)) return [{ loc: ["body"], msg: "Input should be a valid dictionary or object", type: "dict_type" }];
  const issues: Issue[] = [];
  const fail = (loc: string[], msg: string, type: string) => issues.push({ loc: ["body", ...loc], msg, type });

  const name = typeof body.name === "string" ? body.name.trim() : null;
  if (name === null) fail(["name"], body.name === undefined ? "Field required" : "Input should be a valid string", "string_type");
  else if (name.length < 2 || name.length > 64) fail(["name"], "String should have 2 to 64 characters", "string_length");

  const slug = body.slug;
  if (typeof slug !== "string") fail(["slug"], slug === undefined ? "Field required" : "Input should be a valid string", "string_type");
  else if (slug.length < 2 || slug.length > 32 || !SLUG.test(slug)) fail(["slug"], "String should match pattern '^[a-z0-9-]+$' (2 to 32 characters)", "string_pattern_mismatch");

  const description = body.description ?? null;
  if (description !== null && (typeof description !== "string" || description.length > 500)) {
    fail(["description"], "Input should be a string of at most 500 characters", "string_type");
  }

  const allowControlRequests = body.allow_control_requests ?? false;
  if (typeof allowControlRequests !== "boolean") fail(["allow_control_requests"], "Input should be a valid boolean", "bool_type");

  let browser = defaultBrowser;
  let startUrl: string | null = null;
  let kiosk = false;
  const config = body.browser_config ?? null;
  if (config !== null) {
    if (!isObject(config)) {
      fail(["browser_config"], "Input should be a valid dictionary or object", "dict_type");
    } else {
      const chosen = config.browser ?? defaultBrowser;
      if (typeof chosen !== "string" || !browsers.has(chosen)) fail(["browser_config", "browser"], "Input should be a configured browser", "enum");
      else browser = chosen;
      const url = config.start_url ?? null;
      if (url !== null && (typeof url !== "string" || url.length > 2048 || !isAbsoluteHttpUrl(url))) {
        fail(["browser_config", "start_url"], "Input should be an absolute http or https URL", "url_parsing");
      } else startUrl = url;
      const kioskValue = config.kiosk ?? false;
      if (typeof kioskValue !== "boolean") fail(["browser_config", "kiosk"], "Input should be a valid boolean", "bool_type");
      else kiosk = kioskValue;
    }
  }

  if (issues.length > 0) return issues;
  return {
    name: name!,
    slug: slug as string,
    description: description as string | null,
    allowControlRequests: allowControlRequests as boolean,
    browser,
    startUrl,
    kiosk,
  };
}

/** The psession value from the Cookie header; what cookie-parser would give, without the middleware. */
function sessionCookie(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq !== -1 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return undefined;
}

export interface HandWrittenDeps {
  db: PrismaClient;
  config: PortalConfig;
}

/** A second Express app with only `POST /bench/chats`; listen on it like on the real app. */
export function createHandWrittenApp({ db, config }: HandWrittenDeps): express.Express {
  if (config.officialChatMinLevel !== levels.PermissionLevel.owner) {
    throw new Error("The hand-written baseline covers only PORTAL_OFFICIAL_CHAT_MIN_LEVEL=owner (no slot limits); see the comment at the top.");
  }
  const browsers = new Set(config.browsers);
  // PORTAL_DEFAULT_BROWSER when the body names none, as resolveBrowserConfig does.
  const defaultBrowser = config.defaultBrowser;
  const app = express();
  app.disable("x-powered-by");

  // The same body reading as the REST adapter: JSON whatever the content type, 64 KiB at most.
  const json = express.json({ limit: 64 * 1024, type: () => true, strict: false });

  app.post(HAND_WRITTEN_PATH, json, async (req: Request, res: Response) => {
    try {
      // 1. Session: the same lookup both transports use (SHA-256 of the token, joined with the user).
      const session = await findSession(db, sessionCookie(req), new Date());
      if (!session) return void res.status(401).json({ detail: "Not authenticated" });

      // 2. Permission: at or above the configured level (Owner by default).
      if (session.user.permissionLevel < config.officialChatMinLevel) {
        return void res.status(403).json({ detail: levels.permissionRequiredMessage(config.officialChatMinLevel) });
      }

      // 3. Input.
      const input = validateCreateChat(req.body, browsers, defaultBrowser);
      if (Array.isArray(input)) return void res.status(422).json({ detail: input });

      // 4. The write: the same row and the same `include` as services/chats.ts createChat, for an
      //    Owner (no slot limit, so no transaction).
      const chat = await db.chat.create({
        data: {
          ownerId: session.user.id,
          name: input.name,
          slug: input.slug,
          description: input.description,
          visibility: "official",
          allowControlRequests: input.allowControlRequests,
          browser: input.browser,
          startUrl: input.startUrl,
          kiosk: input.kiosk,
        },
        include: { owner: { select: { id: true, username: true, avatarUrl: true, permissionLevel: true } } },
      });

      // 5. The answer: ChatStatusResponse, the same keys in the same order as toChatStatus.
      res.status(200).json({
        chat_id: chat.id,
        chat_name: chat.name,
        username: chat.owner.username,
        browser: chat.browser,
        allow_control_requests: chat.allowControlRequests,
        visibility: chat.visibility,
        label: chat.label,
        slug: chat.slug,
        description: chat.description,
        avatar_source: chat.avatarSource,
        running: false,
        viewer_count: 0,
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
        return void res.status(409).json({ detail: `Slug '${String((req.body as { slug?: unknown }).slug)}' is already taken` });
      }
      res.status(500).json({ detail: "Internal server error" });
    }
  });

  // Body-parsing failures and unknown paths, answered as JSON like the real app.
  app.use((_req: Request, res: Response) => void res.status(404).json({ detail: "Not Found" }));
  app.use((error: { status?: number }, _req: Request, res: Response, _next: express.NextFunction) => {
    const status = error.status && error.status < 500 ? error.status : 500;
    res.status(status).json({ detail: status === 500 ? "Internal server error" : "Bad request" });
  });
  return app;
}
