import { serve } from '@hono/node-server';
import { createNodeWebSocket } from '@hono/node-ws';
import { Hono } from 'hono';
const app = new Hono();
const { injectWebSocket, upgradeWebSocket } = createNodeWebSocket({ app });
app.get('/ws/visitor', upgradeWebSocket(() => ({
  onMessage(event, ws) {
    const frame = JSON.parse(String(event.data));
    if (frame.type === 'hello') ws.send(JSON.stringify({ type: 'welcome', chatId: 'x', conversation: null, messages: [] }));
  },
})));
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => { console.log('listening', info.port); process.send?.({ port: info.port }); });
injectWebSocket(server);
