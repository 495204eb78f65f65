import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";

describe("loadConfig", () => {
  it("has working defaults with an empty environment", () => {
    const config = loadConfig({}, "/srv/portal");
    expect(config).toMatchObject({
      host: "127.0.0.1",
      port: 3000,
      databaseUrl: null,
      dataDir: "/srv/portal/.data",
      officialChatMinLevel: 3,
      slotDefaults: { premium: 3, admin: 5 },
      defaultBrowser: "firefox",
    });
    expect(config.browsers).toHaveLength(10);
    expect(config.browserImages.tor).toBe("ghcr.io/m1k1o/neko/tor-browser:latest");
    expect(config.browserImages["ungoogled-chromium"]).toBe("ghcr.io/m1k1o/neko/ungoogled-chromium:latest");
  });

  it("reads every variable", () => {
    const config = loadConfig(
      {
        HOST: "0.0.0.0",
        PORT: "8080",
        DATABASE_URL: "postgres://u:p@127.0.0.1:5432/portal",
        PORTAL_DATA_DIR: "/var/lib/portal",
        PORTAL_OFFICIAL_CHAT_MIN_LEVEL: "admin",
        PORTAL_SLOTS_PREMIUM: "2",
        PORTAL_SLOTS_ADMIN: "9",
        PORTAL_BROWSER_IMAGES: '{"chromium":"my/chromium:1"}',
        PORTAL_DEFAULT_BROWSER: "chromium",
      },
      "/",
    );
    expect(config).toMatchObject({
      host: "0.0.0.0",
      port: 8080,
      databaseUrl: "postgres://u:p@127.0.0.1:5432/portal",
      dataDir: "/var/lib/portal",
      officialChatMinLevel: 2,
      slotDefaults: { premium: 2, admin: 9 },
      browsers: ["chromium"],
      defaultBrowser: "chromium",
    });
  });

  it("reads the browser map from a file", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "portal-config-"));
    writeFileSync(path.join(dir, "browsers.json"), JSON.stringify({ firefox: "local/firefox:2", vivaldi: "local/vivaldi:1" }));
    const config = loadConfig({ PORTAL_BROWSER_IMAGES: "@browsers.json" }, dir);
    expect(config.browserImages).toEqual({ firefox: "local/firefox:2", vivaldi: "local/vivaldi:1" });
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ PORT: "", DATABASE_URL: "" }).port).toBe(3000);
    expect(loadConfig({ DATABASE_URL: "" }).databaseUrl).toBeNull();
  });

  it.each([
    [{ PORT: "http" }, "PORT"],
    [{ PORT: "65536" }, "PORT"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ PORTAL_OFFICIAL_CHAT_MIN_LEVEL: "god" }, "PORTAL_OFFICIAL_CHAT_MIN_LEVEL"],
    [{ PORTAL_SLOTS_ADMIN: "-1" }, "PORTAL_SLOTS_ADMIN"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ PORTAL_BROWSER_IMAGES: "[1,2]" }, "PORTAL_BROWSER_IMAGES"],
    [{ PORTAL_BROWSER_IMAGES: "{}" }, "PORTAL_BROWSER_IMAGES"],
    [{ PORTAL_BROWSER_IMAGES: '{"Bad Name":"x"}' }, "PORTAL_BROWSER_IMAGES"],
    [{ PORTAL_BROWSER_IMAGES: "@/does/not/exist.json" }, "PORTAL_BROWSER_IMAGES"],
    [{ PORTAL_BROWSER_IMAGES: '{"chromium":"x"}' }, "PORTAL_DEFAULT_BROWSER"],
  ])("refuses %j naming %s", (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });
});
