// The chat rules of the contract (§3, §4): field limits, browser_config, visibility invariants.
// Every procedure that reads or writes chat fields takes its schemas and checks from here.
import { z } from "zod";

export const chatVisibilities = ["official", "public", "private"] as const;
export type ChatVisibility = (typeof chatVisibilities)[number];

export const SLUG_PATTERN = /^[a-z0-9-]+$/;

export const chatName = z.string().trim().min(2).max(64);
export const chatSlug = z.string().min(2).max(32).regex(SLUG_PATTERN);
export const chatDescription = z.string().max(500);
export const chatLabel = z.string().min(1).max(32);

function isAbsoluteHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

export const startUrl = z
  .string()
  .max(2048)
  .refine(isAbsoluteHttpUrl, {
    error: "Input should be an absolute http or https URL",
    params: { pydanticType: "url_parsing" },
  });

/**
 * browser_config on input: every field optional. With a browser list, `browser` must be one of
 * them; without one (the static schema that types the procedure), any short name passes. An
 * absent browser stays undefined here: the configured default fills it (resolveBrowserConfig).
 */
export function browserConfigInput(browsers: readonly string[] | null) {
  return z.object({
    browser: browserName(browsers).optional(),
    start_url: startUrl.nullable().default(null),
    kiosk: z.boolean().default(false),
  });
}

/** `browser`: one of the configured browsers, or any short name for the static schema. */
function browserName(browsers: readonly string[] | null) {
  if (!browsers) return z.string().min(1).max(64);
  const known = new Set(browsers);
  return z.string().refine((name) => known.has(name), {
    error: `Input should be ${browsers.map((name) => `'${name}'`).join(", ").replace(/, ([^,]*)$/, " or $1")}`,
    params: { pydanticType: "enum" },
  });
}

/**
 * browser_config in an update: the fields given replace the stored ones, absent ones are kept
 * (mergeBrowserConfig), so no defaults here; `start_url: null` clears the start page.
 */
export function browserConfigPatchInput(browsers: readonly string[] | null) {
  return z.object({
    browser: browserName(browsers).optional(),
    start_url: startUrl.nullable().optional(),
    kiosk: z.boolean().optional(),
  });
}

export interface BrowserConfig {
  browser: string;
  start_url: string | null;
  kiosk: boolean;
}

/** The stored browser_config: what was given, the configured default browser for the rest. */
export function resolveBrowserConfig(input: Partial<BrowserConfig> | null | undefined, defaultBrowser: string): BrowserConfig {
  return { browser: input?.browser ?? defaultBrowser, start_url: input?.start_url ?? null, kiosk: input?.kiosk ?? false };
}

/** An update's browser_config over the stored one: given fields replace, absent ones stay. */
export function mergeBrowserConfig(stored: BrowserConfig, patch: Partial<BrowserConfig> | null | undefined): BrowserConfig {
  return {
    browser: patch?.browser ?? stored.browser,
    start_url: patch?.start_url === undefined ? stored.start_url : patch.start_url,
    kiosk: patch?.kiosk ?? stored.kiosk,
  };
}

/** `is_public` ⇔ visibility ∈ {official, public}. */
export function isPublicVisibility(visibility: ChatVisibility): boolean {
  return visibility !== "private";
}

/**
 * The slug/visibility invariant: official and public chats always have a slug, private chats
 * never do. Returns the problem in words, or null when the pair is valid.
 */
export function visibilitySlugProblem(visibility: ChatVisibility, slug: string | null): string | null {
  if (visibility === "private" && slug !== null) return "A private chat cannot have a slug";
  if (visibility !== "private" && slug === null) return needsSlugMessage(visibility);
  return null;
}

function needsSlugMessage(visibility: ChatVisibility): string {
  return `${visibility === "official" ? "An" : "A"} ${visibility} chat needs a slug`;
}

export function slugTakenMessage(slug: string): string {
  return `Slug '${slug}' is already taken`;
}

export interface VisibilityState {
  visibility: ChatVisibility;
  slug: string | null;
}

export interface VisibilityChange {
  /** undefined: unchanged; null: cleared */
  slug?: string | null;
  visibility?: ChatVisibility;
}

export type VisibilityOutcome = { ok: true; state: VisibilityState } | { ok: false; field: "slug" | "visibility"; message: string };

/**
 * Applies a slug/visibility change under the §3 invariants: clearing the slug makes a chat
 * private and setting one on a private chat makes it public, unless `visibility` is given too;
 * private clears the slug; a public or official chat without a slug is refused.
 */
export function applyVisibilityChange(current: VisibilityState, change: VisibilityChange): VisibilityOutcome {
  let visibility = change.visibility ?? current.visibility;
  let slug = change.slug === undefined ? current.slug : change.slug;
  if (change.visibility === undefined && change.slug !== undefined) {
    if (change.slug === null) visibility = "private";
    else if (current.visibility === "private") visibility = "public";
  }
  if (visibility === "private") {
    if (change.visibility === "private" && typeof change.slug === "string") {
      return { ok: false, field: "slug", message: "A private chat cannot have a slug" };
    }
    slug = null;
  }
  if (visibility !== "private" && slug === null) {
    return { ok: false, field: change.visibility !== undefined ? "visibility" : "slug", message: needsSlugMessage(visibility) };
  }
  return { ok: true, state: { visibility, slug } };
}

/** PostgreSQL's integer columns (ids, max_uses) end here: a larger value fails the query instead of missing. */
export const MAX_INT4 = 2_147_483_647;

/** A row id (a chat's, a user's) in a path or a procedure input. */
export const rowId = z.int().positive().max(MAX_INT4);

/** A chat id, in a path (`/chats/{chat_id}`) or a procedure input. */
export const chatId = rowId;
export const chatIdInput = z.object({ chat_id: chatId });
