import { describe, expect, it } from "vitest";
import {
  applyVisibilityChange,
  browserConfigInput,
  browserConfigPatchInput,
  chatDescription,
  chatLabel,
  chatName,
  chatSlug,
  isPublicVisibility,
  mergeBrowserConfig,
  resolveBrowserConfig,
  slugTakenMessage,
  visibilitySlugProblem,
} from "../../src/domain/chat-rules.ts";

describe("field rules (§3)", () => {
  it("trims names, then allows 2 to 64 characters", () => {
    expect(chatName.parse("  ab ")).toBe("ab");
    expect(chatName.safeParse(" a ").success).toBe(false);
    expect(chatName.safeParse("x".repeat(64)).success).toBe(true);
    expect(chatName.safeParse("x".repeat(65)).success).toBe(false);
  });

  it("allows slugs of 2 to 32 lowercase letters, digits and hyphens", () => {
    for (const ok of ["ab", "a-b-1", "x".repeat(32), "--"]) expect(chatSlug.safeParse(ok).success).toBe(true);
    for (const bad of ["a", "x".repeat(33), "Ab", "a_b", "a b", "é1"]) expect(chatSlug.safeParse(bad).success).toBe(false);
  });

  it("limits descriptions to 500 and labels to 1–32 characters", () => {
    expect(chatDescription.safeParse("d".repeat(500)).success).toBe(true);
    expect(chatDescription.safeParse("d".repeat(501)).success).toBe(false);
    expect(chatLabel.safeParse("").success).toBe(false);
    expect(chatLabel.safeParse("l".repeat(32)).success).toBe(true);
    expect(chatLabel.safeParse("l".repeat(33)).success).toBe(false);
  });
});

describe("browser_config (§4)", () => {
  const configured = browserConfigInput(["firefox", "chromium"]);

  it("accepts only configured browsers, and leaves an absent one to the default", () => {
    expect(configured.parse({ browser: "chromium" })).toEqual({ browser: "chromium", start_url: null, kiosk: false });
    expect(configured.safeParse({ browser: "opera" }).success).toBe(false);
    expect(configured.parse({})).toEqual({ start_url: null, kiosk: false });
    expect(resolveBrowserConfig(configured.parse({}), "chromium")).toEqual({ browser: "chromium", start_url: null, kiosk: false });
    expect(resolveBrowserConfig(null, "firefox")).toEqual({ browser: "firefox", start_url: null, kiosk: false });
  });

  it("accepts absolute http and https start URLs up to 2048 characters", () => {
    for (const ok of ["http://a.b", "https://example.com/x?y=1#z", `https://e.com/${"p".repeat(2034)}`]) {
      expect(configured.safeParse({ start_url: ok }).success).toBe(true);
    }
    for (const bad of ["ftp://a.b", "file:///etc/passwd", "javascript:void(0)", "//a.b", "a.b", "https://", `https://e.com/${"p".repeat(2035)}`]) {
      expect(configured.safeParse({ start_url: bad }).success).toBe(false);
    }
  });
});

describe("visibility invariants (§3)", () => {
  it("makes official and public chats public", () => {
    expect(isPublicVisibility("official")).toBe(true);
    expect(isPublicVisibility("public")).toBe(true);
    expect(isPublicVisibility("private")).toBe(false);
  });

  it("requires a slug exactly when the chat is not private", () => {
    expect(visibilitySlugProblem("official", "general")).toBeNull();
    expect(visibilitySlugProblem("public", "general")).toBeNull();
    expect(visibilitySlugProblem("private", null)).toBeNull();
    expect(visibilitySlugProblem("official", null)).toMatch(/needs a slug/);
    expect(visibilitySlugProblem("public", null)).toMatch(/needs a slug/);
    expect(visibilitySlugProblem("private", "general")).toMatch(/cannot have a slug/);
  });

  it("words the slug conflict as the contract does", () => {
    expect(slugTakenMessage("x")).toBe("Slug 'x' is already taken");
  });
});

describe("browser_config in an update (§4)", () => {
  const patch = browserConfigPatchInput(["firefox", "chromium"]);
  const stored = { browser: "firefox", start_url: "https://a.example/", kiosk: true };

  it("parses without defaults, so absent fields stay absent", () => {
    expect(patch.parse({})).toEqual({});
    expect(patch.parse({ start_url: null })).toEqual({ start_url: null });
    expect(patch.safeParse({ browser: "opera" }).success).toBe(false);
    expect(patch.safeParse({ start_url: "ftp://a.b" }).success).toBe(false);
  });

  it("replaces the fields given and keeps the others; a null start_url clears it", () => {
    expect(mergeBrowserConfig(stored, {})).toEqual(stored);
    expect(mergeBrowserConfig(stored, null)).toEqual(stored);
    expect(mergeBrowserConfig(stored, { kiosk: false })).toEqual({ ...stored, kiosk: false });
    expect(mergeBrowserConfig(stored, { browser: "chromium" })).toEqual({ ...stored, browser: "chromium" });
    expect(mergeBrowserConfig(stored, { start_url: null })).toEqual({ ...stored, start_url: null });
  });
});

describe("applyVisibilityChange (§3)", () => {
  const publicChat = { visibility: "public", slug: "room" } as const;
  const officialChat = { visibility: "official", slug: "room" } as const;
  const privateChat = { visibility: "private", slug: null } as const;

  it.each([
    ["clearing the slug makes a chat private", publicChat, { slug: null }, { visibility: "private", slug: null }],
    ["clearing the slug of an official chat makes it private", officialChat, { slug: null }, { visibility: "private", slug: null }],
    ["private clears the slug", officialChat, { visibility: "private" }, { visibility: "private", slug: null }],
    ["private with a null slug", publicChat, { visibility: "private", slug: null }, { visibility: "private", slug: null }],
    ["a slug makes a private chat public", privateChat, { slug: "new" }, { visibility: "public", slug: "new" }],
    ["a slug and a visibility together", privateChat, { slug: "new", visibility: "official" }, { visibility: "official", slug: "new" }],
    ["public to official keeps the slug", publicChat, { visibility: "official" }, { visibility: "official", slug: "room" }],
    ["a new slug keeps the visibility", officialChat, { slug: "other" }, { visibility: "official", slug: "other" }],
    ["nothing changes nothing", officialChat, {}, officialChat],
  ] as const)("%s", (_case, current, change, state) => {
    expect(applyVisibilityChange(current, change)).toEqual({ ok: true, state });
  });

  it.each([
    ["public without a slug", privateChat, { visibility: "public" }, "visibility", "A public chat needs a slug"],
    ["official without a slug", privateChat, { visibility: "official" }, "visibility", "An official chat needs a slug"],
    ["public with the slug cleared", officialChat, { visibility: "public", slug: null }, "visibility", "A public chat needs a slug"],
    ["private with a slug", publicChat, { visibility: "private", slug: "room" }, "slug", "A private chat cannot have a slug"],
  ] as const)("refuses %s, naming the field", (_case, current, change, field, message) => {
    expect(applyVisibilityChange(current, change)).toEqual({ ok: false, field, message });
  });
});
