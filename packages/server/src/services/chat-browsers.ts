// A chat's browser VM as the chat routes use it: the database's `running` flag follows what the
// engine did, and is only written after the engine answered (a 503 changes nothing).
import type { PrismaClient } from "@portal/db";
import { BrowserBackendUnavailableError, type BrowserVms, type BrowserVmStatus } from "../browser-vms/index.ts";
import { browserVmFailure } from "../errors.ts";
import type { ChatWithOwner } from "./chats.ts";

/** Runs an engine call; its failures become the statuses the contract gives them (503, 409). */
async function engineCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw browserVmFailure(error) ?? error;
  }
}

export async function startChatBrowser(db: PrismaClient, vms: BrowserVms, chat: ChatWithOwner): Promise<{ alreadyRunning: boolean }> {
  const { alreadyRunning } = await engineCall(() => vms.start({ id: chat.id, browser: chat.browser, startUrl: chat.startUrl, kiosk: chat.kiosk }));
  await db.chat.update({ where: { id: chat.id }, data: { running: true, lastActivityAt: new Date() } });
  return { alreadyRunning };
}

export async function stopChatBrowser(db: PrismaClient, vms: BrowserVms, chatId: number): Promise<{ wasRunning: boolean }> {
  const { wasRunning } = await engineCall(() => vms.stop(chatId));
  await db.chat.update({ where: { id: chatId }, data: { running: false } });
  return { wasRunning };
}

/**
 * Deletes a chat with its members and invites, and removes its VM. With the engine down the chat
 * is still deleted: the reconciler removes the orphaned container once the engine is back.
 */
export async function destroyChat(db: PrismaClient, vms: BrowserVms, chatId: number, onDeferred?: (error: Error) => void): Promise<void> {
  try {
    await vms.remove(chatId);
  } catch (error) {
    if (!(error instanceof BrowserBackendUnavailableError)) throw browserVmFailure(error) ?? error;
    onDeferred?.(error);
  }
  await db.chat.delete({ where: { id: chatId } });
}

/**
 * Live state of chats for responses: the engine's view when it answers (one container listing,
 * neko asked only for running chats), else the database's flag with no viewers.
 */
export async function liveStates(vms: BrowserVms, chats: readonly Pick<ChatWithOwner, "id" | "running">[]): Promise<Map<number, BrowserVmStatus>> {
  const states = new Map<number, BrowserVmStatus>(chats.map((chat) => [chat.id, { running: chat.running, viewerCount: 0 }]));
  let running: Set<number>;
  try {
    running = new Set((await vms.list()).filter((vm) => vm.running).map((vm) => vm.chatId));
  } catch (error) {
    if (error instanceof BrowserBackendUnavailableError) return states;
    throw error;
  }
  await Promise.all(
    chats.map(async (chat) => {
      if (!running.has(chat.id)) return states.set(chat.id, { running: false, viewerCount: 0 });
      const status = await vms.status(chat.id).catch(() => ({ running: true, viewerCount: 0 }));
      return states.set(chat.id, status);
    }),
  );
  return states;
}
