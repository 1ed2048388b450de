// `bci serve`: hosts the engine behind a loopback web server, for a browser (a second screen, the
// end-to-end tests). Prints the URL with this run's token; runs until Ctrl-C.

import { parseArgs } from 'node:util';
import { startServer, isLoopback } from '../server/serve.js';
import { parseNumber } from './filter-args.js';
import { UsageError } from './errors.js';

export const SERVE_HELP = `Usage: bci serve [--port N] [--host ADDR] [--data-dir DIR]

Serves the workstation to a browser: the same renderer and the same engine as the desktop app,
over HTTP and a WebSocket. Prints a URL that carries a random token made for this run; any
request or socket without it is refused (401).

  --port N       port to listen on (default 8750; 0 picks a free one)
  --host ADDR    address to listen on (default 127.0.0.1, this machine only). Anything else
                 exposes the engine to the network: anyone with the URL controls it.
  --data-dir DIR where recordings go and are listed (default $BCI_DATA_DIR or ~/BCI-Workstation/data)`;

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string', default: '8750' }, host: { type: 'string', default: '127.0.0.1' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(SERVE_HELP + '\n');
    return 0;
  }
  const port = parseNumber('port', values.port, { integer: true, min: 0 });
  // the same default every command and the engine use (recording.ts defaultDataDir)
  if (values['data-dir'] !== undefined) {
    if (values['data-dir'].trim() === '') throw new UsageError('--data-dir needs a folder');
    process.env.BCI_DATA_DIR = values['data-dir'];
  }
  if (port > 65535) throw new UsageError(`--port must be 0..65535, got ${port}`);
  if (!isLoopback(values.host)) {
    process.stderr.write(`bci serve: warning: listening on ${values.host}, not loopback: anyone who can reach this address and has the URL controls the engine\n`);
  }
  const server = await startServer({ port, host: values.host }).catch((error: unknown) => {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${port} is in use: choose another with --port (or --port 0 for any free one)`);
    if (code === 'EACCES') throw new UsageError(`no permission to listen on port ${port}: choose one above 1023`);
    if (code === 'EADDRNOTAVAIL') throw new UsageError(`${values.host} is not an address of this machine`);
    throw error;
  });
  // recordings a crash left unfinished are completed before any client can act (it is synchronous)
  for (const line of server.engine.recoverUnfinished()) process.stdout.write(line + '\n');
  process.stdout.write(`BCI Workstation is being served at:\n  ${server.url}\nPress Ctrl-C to stop.\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await server.close();
  return 0;
}
