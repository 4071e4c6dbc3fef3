// A webhook receiver in a dozen lines: verifies each delivery's Standard Webhooks signature with the
// `standardwebhooks` package, answers 2xx, and drops repeats by their webhook-id.
//   WEBHOOK_SECRET=whsec_... PORT=4000 node apps/api/examples/webhook-receiver.mjs
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

const wh = new Webhook(process.env.WEBHOOK_SECRET);
const seen = new Set();
createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    try {
      const event = wh.verify(body, req.headers); // throws on a bad signature or an old timestamp
      if (!seen.has(req.headers['webhook-id']))
        console.log(event.event, event.data.patient?.id ?? event.data.appt?.id);
      seen.add(req.headers['webhook-id']);
      res.writeHead(204).end();
    } catch {
      res.writeHead(400).end('bad signature');
    }
  });
}).listen(Number(process.env.PORT ?? 4000));
