/**
 * The WebSocket at `/ws`: protocol (shared with the page), the hub, the live feed it relays,
 * workspace changes from every channel, the chat stream. See ../README.md.
 */

export {
  type AlertFeed,
  type AlertInbox,
  type AlertListener,
  alertView,
  createAlertInbox,
  INBOX_SIZE,
  webAlertSink,
} from './alert-inbox.ts';
export {
  CHAT_UNAVAILABLE,
  type ChatHandler,
  type ChatRequest,
  type FileStore,
} from './chat-session.ts';
export type { BackpressureOptions } from './client-sender.ts';
export { createWsHub, type WsHub, type WsHubDeps, type WsHubOptions } from './hub.ts';
export {
  createLiveRouter,
  type LiveFeed,
  type LiveListener,
  type LiveMessage,
  type LiveRouter,
  type LiveTopic,
  liveKey,
  toLiveMessage,
} from './live-feed.ts';
export * from './protocol.ts';
export { createUpgradeAuthenticator, refuseUpgrade, type UpgradeAuthenticator } from './upgrade.ts';
export {
  createWorkspaceFeed,
  type WorkspaceFeed,
  type WorkspaceFeedDeps,
  type WorkspaceFeedOptions,
  type WorkspaceListener,
} from './workspace-feed.ts';
