// The label schema round-trips, and damaged labels are recognised rather than trusted.
import { describe, expect, test } from "vitest";
import { parsePortRange, parseVmLabels, serializeVmLabels, vmLabel, vmLabelFilter, type VmLabels } from "../../src/browser-vms/docker/labels.ts";

const vm: VmLabels = {
  instance: "portal",
  chatId: 42,
  browser: "firefox",
  image: "ghcr.io/m1k1o/neko/firefox:latest",
  webrtcPorts: { min: 59010, max: 59019 },
  webrtcMux: false,
  httpPort: 18003,
  networkMode: "bridge",
  startUrl: "https://example.org/",
  kiosk: true,
};

describe("VM labels", () => {
  test("serialize → parse gives the same VM", () => {
    const labels = serializeVmLabels(vm);
    expect(labels).toMatchObject({
      "org.portal.managed": "true",
      "org.portal.instance": "portal",
      "org.portal.chat-id": "42",
      "org.portal.ports": "59010-59019",
      "org.portal.http-port": "18003",
    });
    expect(parseVmLabels(labels)).toEqual(vm);
    expect(parseVmLabels(serializeVmLabels({ ...vm, startUrl: null, kiosk: false, webrtcMux: true, webrtcPorts: { min: 59000, max: 59000 } }))).toEqual({
      ...vm,
      startUrl: null,
      kiosk: false,
      webrtcMux: true,
      webrtcPorts: { min: 59000, max: 59000 },
    });
  });

  test("labels are all strings (Docker's only label type)", () => {
    for (const value of Object.values(serializeVmLabels(vm))) expect(typeof value).toBe("string");
  });

  test.each([
    ["no labels", undefined],
    ["no instance", { ...serializeVmLabels(vm), [vmLabel.instance]: "" }],
    ["chat id not a number", { ...serializeVmLabels(vm), [vmLabel.chatId]: "4x" }],
    ["chat id negative", { ...serializeVmLabels(vm), [vmLabel.chatId]: "-1" }],
    ["ports reversed", { ...serializeVmLabels(vm), [vmLabel.ports]: "59019-59010" }],
    ["port out of range", { ...serializeVmLabels(vm), [vmLabel.httpPort]: "70000" }],
    ["unknown network mode", { ...serializeVmLabels(vm), [vmLabel.networkMode]: "overlay" }],
  ])("damaged: %s → null", (_, labels) => {
    expect(parseVmLabels(labels)).toBeNull();
  });

  test("port ranges: one port or min-max", () => {
    expect(parsePortRange("59000")).toEqual({ min: 59000, max: 59000 });
    expect(parsePortRange("1-65535")).toEqual({ min: 1, max: 65535 });
    expect(parsePortRange("0-10")).toBeNull();
    expect(parsePortRange("a-b")).toBeNull();
    expect(parsePortRange(undefined)).toBeNull();
  });

  test("filters select the instance, or one chat in it", () => {
    expect(vmLabelFilter("portal")).toEqual(["org.portal.instance=portal"]);
    expect(vmLabelFilter("portal", 7)).toEqual(["org.portal.instance=portal", "org.portal.chat-id=7"]);
  });
});
