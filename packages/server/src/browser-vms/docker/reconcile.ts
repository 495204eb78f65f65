// The database against the labelled containers (§4): containers of deleted chats are removed,
// live chats without a running container are reported so their flag can be cleared, and running
// containers of live chats are adopted (tracked again, e.g. after a server restart).
import type { BrowserVmLogger, BrowserVmSummary, BrowserVms, ReconcileReport } from "../types.ts";

export interface ReconcilePlan {
  orphans: BrowserVmSummary[];
  missing: number[];
  stopped: number[];
  running: number[];
}

export function planReconcile(containers: readonly BrowserVmSummary[], liveChatIds: readonly number[]): ReconcilePlan {
  const live = new Set(liveChatIds);
  const byChat = new Map<number, BrowserVmSummary[]>();
  for (const container of containers) byChat.set(container.chatId, [...(byChat.get(container.chatId) ?? []), container]);
  const orphans = containers.filter((container) => !live.has(container.chatId));
  const missing: number[] = [];
  const stopped: number[] = [];
  const running: number[] = [];
  for (const chatId of live) {
    const own = byChat.get(chatId);
    if (!own) missing.push(chatId);
    else if (own.some((container) => container.running)) running.push(chatId);
    else stopped.push(chatId);
  }
  const ascending = (a: number, b: number) => a - b;
  return { orphans, missing: missing.sort(ascending), stopped: stopped.sort(ascending), running: running.sort(ascending) };
}

export interface ReconcileSteps {
  list: () => Promise<BrowserVmSummary[]>;
  liveChatIds: () => Promise<number[]>;
  removeOrphan: (chatId: number) => Promise<void>;
  adopt: (chatId: number) => Promise<boolean>;
  log: BrowserVmLogger;
}

/**
 * Containers are listed before the live chats are read: a container in the list was started for
 * a chat that existed then, so one absent from the later read really belongs to a deleted chat.
 * A failure to read the live chats removes nothing.
 */
export async function reconcileBrowserVms(steps: ReconcileSteps): Promise<ReconcileReport> {
  const containers = await steps.list();
  const plan = planReconcile(containers, await steps.liveChatIds());
  const removed = [...new Set(plan.orphans.map((container) => container.chatId))].sort((a, b) => a - b);
  for (const chatId of removed) {
    await steps.removeOrphan(chatId);
    steps.log.info({ chatId }, "removed the browser VM of a deleted chat");
  }
  const adopted: number[] = [];
  const stopped = [...plan.stopped];
  for (const chatId of plan.running) {
    if (await steps.adopt(chatId)) adopted.push(chatId);
    else stopped.push(chatId);
  }
  return { removed, missing: plan.missing, stopped: stopped.sort((a, b) => a - b), adopted };
}

export interface SupervisionOptions {
  liveChatIds: () => Promise<number[]>;
  intervalMs: number;
  /** the caller repairs the database from each report */
  onReport: (report: ReconcileReport) => void | Promise<void>;
  log: BrowserVmLogger;
}

/** Reconciles now, every `intervalMs`, and whenever the events stream asks for a resync. */
export function superviseBrowserVms(vms: BrowserVms, options: SupervisionOptions): { stop: () => void } {
  let running: Promise<void> | null = null;
  let again = false;
  const pass = async () => {
    try {
      await options.onReport(await vms.reconcile(options.liveChatIds));
    } catch (error) {
      options.log.warn({ err: (error as Error)?.message }, "browser VM reconcile failed; next try at the next interval");
    }
  };
  // passes never overlap; a request during a pass runs one more pass after it
  const trigger = () => {
    if (running) {
      again = true;
      return;
    }
    running = pass().finally(() => {
      running = null;
      if (again) {
        again = false;
        trigger();
      }
    });
  };
  const timer = setInterval(trigger, options.intervalMs);
  timer.unref();
  const unsubscribe = vms.onEvent((event) => {
    if (event.type === "resync") trigger();
  });
  trigger();
  return {
    stop() {
      clearInterval(timer);
      unsubscribe();
    },
  };
}
