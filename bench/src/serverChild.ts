// The API in a process of its own, so its resident memory can be read without the benchmark's own.
// Started by httpLoad.ts with fork(); argv[2] is the database URL. Tells the parent its URL, then answers
// "rss" messages with process.memoryUsage().rss until told to "stop".
import { startServer } from './api';

const server = await startServer({ databaseUrl: process.argv[2]!, logLevel: 'silent', tokenSecret: 'bench' });
process.send?.({ url: server.url });
process.on('message', async (message) => {
  if (message === 'rss') process.send?.({ rss: process.memoryUsage().rss });
  if (message === 'stop') {
    await server.close();
    process.exit(0);
  }
});
