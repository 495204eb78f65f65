import { describe, expect, it } from "vitest";
import {
  browserConfigInput,
  chatDescription,
  chatLabel,
  chatName,
  chatSlug,
  isPublicVisibility,
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
