import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type {
  ChatMessage,
  ChatSettings,
  LauncherSettings,
  ServerToVisitor,
  VisitorFrame,
} from '@parley/protocol';
import { type WebSocket, WebSocketServer } from 'ws';
import { launcherScriptFor } from '../src/website-script.ts';

// A stand-in for apps/server, enough to look at the widget in a real browser before the server is ready: it serves
// the built bundles and a demo page, and speaks the visitor side of the protocol with one scripted agent, Olivia.
// It keeps everything in memory and validates nothing; it is a test helper, not a server.

export interface FakeChatServer {
  url: string;
  /** Every frame any visitor sent, in order. */
  received: VisitorFrame[];
  /** Cuts every visitor socket without a close frame, as a network drop would. */
  dropAll(): void;
  agentSays(text: string): void;
  closeConversation(): void;
  close(): Promise<void>;
}

interface Chat {
  id: string;
  conversation: { id: string; status: 'waiting' | 'active' | 'closed'; agentName?: string } | null;
  messages: ChatMessage[];
  /** Idempotency key → message id: a resent frame gets its original ack and is not stored twice. */
  keys: Map<string, string>;
  sockets: Set<WebSocket>;
}

const AGENT = 'Olivia';
const id = (bytes = 12): string => randomBytes(bytes).toString('base64url');

/**
 * The widget's tag: the plain launcher, or with `website=KEY` the website's own (`/w/KEY/widget.js`); `stub=1` puts
 * the README's queue stub before it, so the page can call `Parley(…)` before the launcher has loaded.
 */
const script = (url: URL, account: string): string => {
  const website = url.searchParams.get('website');
  const stub = url.searchParams.get('stub')
    ? '<script>window.Parley=window.Parley||function(){(Parley.q=Parley.q||[]).push(arguments)}</script>'
    : '';
  return website
    ? `${stub}<script src="/w/${encodeURIComponent(website)}/widget.js" async></script>`
    : `${stub}<script src="/widget.js" data-account="${account}" async></script>`;
};

const demoPage = (url: URL): string => {
  const lang = url.searchParams.get('lang') === 'de' ? 'de' : 'en';
  const account = url.searchParams.get('account') ?? 'demo';
  // `hostile=1` adds the kind of global CSS customer sites have, to show it cannot reach into the widget.
  const hostile = url.searchParams.get('hostile')
    ? '<style>*{font-family:"Comic Sans MS",cursive!important;color:#c00!important}button{background:#ff0!important;border:4px dashed #f0f!important;border-radius:0!important;width:300px!important}div{display:block!important;}</style>'
    : '';
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Demo shop</title>
<style>body{margin:0;font:17px/1.6 Georgia,serif;background:#faf7f2;color:#2b2b2b}main{max-width:680px;margin:0 auto;padding:32px 20px}h1{font-size:30px}</style>${hostile}</head>
<body><main><h1>${lang === 'de' ? 'Teeladen' : 'The Tea Shop'}</h1><p>${
    lang === 'de'
      ? 'Diese Seite steht für die Website eines Kunden. Der Knopf unten rechts ist das Parley-Widget.'
      : 'This page stands in for a customer’s website. The button in the corner is the Parley widget.'
  }</p><p>Lorem ipsum dolor sit amet, consectetur adipiscing elit. Integer vitae nisl a sem dignissim luctus.</p></main>
${script(url, account)}</body></html>`;
};

export async function startFakeChatServer(options: {
  distDir: string;
  port?: number;
  /** Websites by key: `/w/KEY/widget.js` serves the launcher with these settings baked in. */
  websites?: Record<string, LauncherSettings>;
  /** The chat settings the welcome carries for an account, as the real server sends them; none by default. */
  chatSettings?: (account: string) => ChatSettings | undefined;
}): Promise<FakeChatServer> {
  const chats = new Map<string, Chat>();
  const received: VisitorFrame[] = [];
  const sockets = new Set<WebSocket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  };

  const serveFile = (res: ServerResponse, file: string) => {
    try {
      const body = readFileSync(join(options.distDir, file));
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not built');
    }
  };

  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/widget.js') return serveFile(res, 'widget.js');
    const chat = /^\/widget\/(chat(\.[a-z]{2})?\.js)$/.exec(url.pathname);
    if (chat?.[1]) return serveFile(res, chat[1]);
    const website = /^\/w\/([^/]+)\/widget\.js$/.exec(url.pathname);
    const settings = website?.[1] ? options.websites?.[decodeURIComponent(website[1])] : undefined;
    if (settings) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' });
      return res.end(launcherScriptFor(readFileSync(join(options.distDir, 'widget.js'), 'utf8'), settings));
    }
    if (url.pathname === '/demo' || url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(demoPage(url));
    }
    if (url.pathname === '/privacy') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end('<!doctype html><title>Privacy</title><h1 id="CK-3">The chat-id cookie</h1>');
    }
    res.writeHead(404).end();
  });

  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/ws/visitor') return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => visitor(ws, url.searchParams.get('account') ?? ''));
  });

  const send = (ws: WebSocket, frame: ServerToVisitor) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  const broadcast = (chat: Chat, frame: ServerToVisitor, skip?: WebSocket) => {
    for (const ws of chat.sockets) if (ws !== skip) send(ws, frame);
  };
  const message = (chat: Chat, author: ChatMessage['author'], text: string): ChatMessage => {
    const stored: ChatMessage = {
      id: id(),
      conversationId: chat.conversation?.id ?? 'none',
      author,
      ...(author === 'agent' ? { authorName: AGENT } : {}),
      text,
      at: new Date().toISOString(),
    };
    chat.messages.push(stored);
    return stored;
  };

  const agentReplies = (chat: Chat, text: string) => {
    later(400, () => broadcast(chat, { type: 'typing', name: AGENT, typing: true }));
    later(900, () => {
      if (chat.conversation && chat.conversation.status === 'waiting') {
        chat.conversation = { ...chat.conversation, status: 'active', agentName: AGENT };
        broadcast(chat, { type: 'conversation', status: 'active', agentName: AGENT });
      }
    });
    later(1800, () => {
      broadcast(chat, { type: 'typing', name: AGENT, typing: false });
      broadcast(chat, { type: 'message', message: message(chat, 'agent', text) });
    });
  };

  function visitor(ws: WebSocket, account: string) {
    sockets.add(ws);
    let chat: Chat | undefined;
    ws.on('close', () => {
      sockets.delete(ws);
      chat?.sockets.delete(ws);
    });
    if (account === 'unknown') return ws.close(1008, 'unknown account');
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as VisitorFrame;
      received.push(frame);
      if (frame.type === 'ping') return send(ws, { type: 'pong' });
      if (frame.type === 'hello') {
        chat = (frame.chatId && chats.get(frame.chatId)) || undefined;
        if (!chat) {
          chat = { id: id(18), conversation: null, messages: [], keys: new Map(), sockets: new Set() };
          chats.set(chat.id, chat);
        }
        chat.sockets.add(ws);
        return send(ws, {
          type: 'welcome',
          chatId: chat.id,
          agentsOnline: account !== 'demo-offline',
          preChatForm: account === 'demo-prechat',
          ...(options.chatSettings?.(account) ? { settings: options.chatSettings(account) } : {}),
          conversation: chat.conversation,
          messages: chat.messages,
        });
      }
      if (!chat) return send(ws, { type: 'error', code: 'not_ready', message: 'send hello first' });
      const current = chat;
      switch (frame.type) {
        case 'send': {
          const known = current.keys.get(frame.key);
          if (known) {
            const original = current.messages.find((m) => m.id === known);
            return send(ws, { type: 'ack', key: frame.key, id: known, at: original?.at ?? '' });
          }
          if (frame.text.includes('!rate-limit'))
            return send(ws, { type: 'error', code: 'rate_limited', message: 'slow down', key: frame.key });
          const first = current.conversation === null || current.conversation.status === 'closed';
          if (first) {
            current.conversation = { id: id(), status: 'waiting' };
            broadcast(current, { type: 'conversation', status: 'waiting' });
          }
          const stored = message(current, 'visitor', frame.text.trim());
          current.keys.set(frame.key, stored.id);
          send(ws, { type: 'ack', key: frame.key, id: stored.id, at: stored.at });
          broadcast(current, { type: 'message', message: stored }, ws);
          return agentReplies(
            current,
            first
              ? 'Hi, I’m Olivia! Yes, we ship to Berlin, usually within two days. Anything else I can help with?'
              : 'Let me check that for you.',
          );
        }
        case 'offline_message':
          if (!current.keys.has(frame.key)) current.keys.set(frame.key, id());
          return send(ws, { type: 'done', what: 'offline_message' });
        case 'profile':
          return send(ws, { type: 'done', what: 'profile' });
        case 'transcript':
          return send(ws, { type: 'done', what: 'transcript' });
        case 'rate':
          return send(ws, { type: 'done', what: 'rating' });
        case 'end':
          if (current.conversation) current.conversation = { ...current.conversation, status: 'closed' };
          return broadcast(current, { type: 'conversation', status: 'closed' });
        case 'opt_out':
          send(ws, { type: 'done', what: 'opt_out' });
          chats.delete(current.id);
          return ws.close(1008, 'opted out');
        case 'typing':
          return;
      }
    });
  }

  await new Promise<void>((resolve) => http.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    received,
    dropAll() {
      for (const ws of sockets) ws.terminate();
    },
    agentSays(text) {
      for (const chat of chats.values())
        if (chat.sockets.size > 0)
          broadcast(chat, { type: 'message', message: message(chat, 'agent', text) });
    },
    closeConversation() {
      for (const chat of chats.values())
        if (chat.conversation) {
          chat.conversation = { ...chat.conversation, status: 'closed' };
          broadcast(chat, { type: 'conversation', status: 'closed', agentName: AGENT });
        }
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
