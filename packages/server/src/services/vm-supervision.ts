// Keeps every chat's `running` flag true to Docker: a reconcile pass at boot, on an interval and
// after the event stream reconnects, and the engine's start/stop/die events in between.
import type { PrismaClient } from "@portal/db";
import { superviseBrowserVms, type BrowserVmLogger, type BrowserVms, type ReconcileReport } from "../browser-vms/index.ts";

export async function applyReconcileReport(db: PrismaClient, report: ReconcileReport): Promise<void> {
  const notRunning = [...report.missing, ...report.stopped];
  if (notRunning.length > 0) await db.chat.updateMany({ where: { id: { in: notRunning }, running: true }, data: { running: false } });
  if (report.adopted.length > 0) await db.chat.updateMany({ where: { id: { in: report.adopted }, running: false }, data: { running: true } });
}

export function superviseChatBrowsers(db: PrismaClient, vms: BrowserVms, options: { intervalMs: number; log: BrowserVmLogger }): { stop(): void } {
  const supervision = superviseBrowserVms(vms, {
    intervalMs: options.intervalMs,
    log: options.log,
    liveChatIds: async () => (await db.chat.findMany({ select: { id: true } })).map((chat) => chat.id),
    onReport: async (report) => {
      await applyReconcileReport(db, report);
      const repaired = report.removed.length + report.missing.length + report.stopped.length + report.adopted.length;
      if (repaired > 0) options.log.info({ ...report }, "browser VMs reconciled");
    },
  });
  const unsubscribe = vms.onEvent((event) => {
    if (event.type === "resync") return;
    db.chat
      .updateMany({ where: { id: event.chatId }, data: { running: event.type === "started" } })
      .catch((error: Error) => options.log.warn({ chatId: event.chatId, err: error.message }, "could not record a browser VM event"));
  });
  return {
    stop() {
      supervision.stop();
      unsubscribe();
    },
  };
}
