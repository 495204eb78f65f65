// The configuration of who may send cookie-carrying mutations and how often anyone may call:
// PORTAL_ALLOWED_ORIGINS and PORTAL_RATE_LIMIT_* (§7).
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";

describe("PORTAL_ALLOWED_ORIGINS and PORTAL_RATE_LIMIT_*", () => {
  it("default to no extra origins and the contract's limits", () => {
    expect(loadConfig({})).toMatchObject({ allowedOrigins: [], rateLimits: { login: 20, admin: 60, auth: 120, public: 120 } });
  });

  it("reads a comma-separated origin list, normalised as browsers send Origin", () => {
    const config = loadConfig({ PORTAL_ALLOWED_ORIGINS: " https://Lobby.Example.com/ ,http://localhost:5173,https://a.example.com:443" });
    expect(config.allowedOrigins).toEqual(["https://lobby.example.com", "http://localhost:5173", "https://a.example.com"]);
  });

  it("reads each limit, 0 meaning off", () => {
    const config = loadConfig({ PORTAL_RATE_LIMIT_LOGIN: "5", PORTAL_RATE_LIMIT_ADMIN: "0", PORTAL_RATE_LIMIT_AUTH: "1000", PORTAL_RATE_LIMIT_PUBLIC: "1" });
    expect(config.rateLimits).toEqual({ login: 5, admin: 0, auth: 1000, public: 1 });
  });

  it.each([
    [{ PORTAL_ALLOWED_ORIGINS: "lobby.example.com" }, "PORTAL_ALLOWED_ORIGINS"],
    [{ PORTAL_ALLOWED_ORIGINS: "https://lobby.example.com/app" }, "PORTAL_ALLOWED_ORIGINS"],
    [{ PORTAL_ALLOWED_ORIGINS: "https://ok.example.com,ftp://files.example.com" }, "PORTAL_ALLOWED_ORIGINS"],
    [{ PORTAL_RATE_LIMIT_LOGIN: "-1" }, "PORTAL_RATE_LIMIT_LOGIN"],
    [{ PORTAL_RATE_LIMIT_ADMIN: "sixty" }, "PORTAL_RATE_LIMIT_ADMIN"],
    [{ PORTAL_RATE_LIMIT_AUTH: "1.5" }, "PORTAL_RATE_LIMIT_AUTH"],
  ])("refuses %j naming %s", (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });

  it("says what an origin must look like", () => {
    expect(() => loadConfig({ PORTAL_ALLOWED_ORIGINS: "lobby.example.com" })).toThrow("'lobby.example.com' is not an origin like https://app.example.com");
  });
});
