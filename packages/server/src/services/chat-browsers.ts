// A chat's browser VM as the chat routes use it: the database's `running` flag follows what the
// engine did, and is only written after the engine answered (a 503 changes nothing).
import type { PrismaClient } from "@portal/db";
import { BrowserBackendUnavailableError, type BrowserVms, type BrowserVmStatus } from "../browser-vms/index.ts";
import type { Services } from "../context.ts";
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

type VmServices = Pick<Services, "browserVms" | "events">;

export async function startChatBrowser(db: PrismaClient, services: VmServices, chat: ChatWithOwner): Promise<{ alreadyRunning: boolean }> {
  const { browserVms: vms, events } = services;
  const { alreadyRunning } = await engineCall(() => vms.start({ id: chat.id, browser: chat.browser, startUrl: chat.startUrl, kiosk: chat.kiosk }));
  await db.chat.update({ where: { id: chat.id }, data: { running: true, lastActivityAt: new Date() } });
  if (!alreadyRunning) {
    events.publish({ type: "room:started", chat_id: chat.id }, chat);
    events.publish({ type: "chat:status", chat_id: chat.id, running: true, viewer_count: 0 }, chat);
  }
  return { alreadyRunning };
}

export async function stopChatBrowser(db: PrismaClient, services: VmServices, chat: ChatWithOwner): Promise<{ wasRunning: boolean }> {
  const { wasRunning } = await engineCall(() => services.browserVms.stop(chat.id));
  await db.chat.update({ where: { id: chat.id }, data: { running: false } });
  if (wasRunning) {
    services.events.publish({ type: "room:stopped", chat_id: chat.id }, chat);
    services.events.publish({ type: "chat:status", chat_id: chat.id, running: false, viewer_count: 0 }, chat);
  }
  return { wasRunning };
}

/**
 * Deletes a chat with its members and invites, and removes its VM. With the engine down the chat
 * is still deleted: the reconciler removes the orphaned container once the engine is back.
 */
export async function destroyChat(db: PrismaClient, services: VmServices, chat: ChatWithOwner, onDeferred?: (error: Error) => void): Promise<void> {
  const chatId = chat.id;
  // after the delete its members are gone, yet they are the ones to tell
  const memberIds = chat.visibility === "private" ? (await db.chatMember.findMany({ where: { chatId }, select: { userId: true } })).map((m) => m.userId) : [];
  try {
    await services.browserVms.remove(chatId);
  } catch (error) {
    if (!(error instanceof BrowserBackendUnavailableError)) throw browserVmFailure(error) ?? error;
    onDeferred?.(error);
  }
  await db.chat.delete({ where: { id: chatId } });
  services.events.publish({ type: "room:destroyed", chat_id: chatId }, { visibility: chat.visibility, ownerId: chat.ownerId, memberIds });
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
