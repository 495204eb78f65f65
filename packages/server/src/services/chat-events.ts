// Live chat events (§8) inside one server process: the browser-VM and chat services publish, the
// `portal.events` subscription streams them to clients that may see the chat.
import { EventEmitter, on } from "node:events";
import type { ChatVisibility } from "../domain/chat-rules.ts";

export type ChatEvent =
  | { type: "room:started" | "room:stopped" | "room:destroyed"; chat_id: number }
  | { type: "chat:status"; chat_id: number; running: boolean; viewer_count: number }
  | { type: "chat:created" | "chat:updated"; chat_id: number };

/** Who may receive an event: everyone for official and public chats, else those who may see it. */
export interface ChatAudience {
  visibility: ChatVisibility;
  ownerId: number;
  /** a private chat's members when the event was published, for events after which they are gone (room:destroyed) */
  memberIds?: readonly number[];
}

export interface PublishedChatEvent {
  event: ChatEvent;
  audience: ChatAudience;
}

export class ChatEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // one listener per open subscription
    this.emitter.setMaxListeners(0);
  }

  publish(event: ChatEvent, audience: ChatAudience): void {
    this.emitter.emit("event", { event, audience } satisfies PublishedChatEvent);
  }

  /** Every event published from now until `signal` aborts. */
  async *stream(signal: AbortSignal | undefined): AsyncGenerator<PublishedChatEvent> {
    try {
      for await (const [published] of on(this.emitter, "event", { signal })) yield published as PublishedChatEvent;
    } catch (error) {
      if ((error as Error).name !== "AbortError") throw error;
    }
  }
}
