/**
 * A real SMTP server for tests (issue 11), built on `smtp-server`: it accepts every message and
 * stores its raw bytes as `<dir>/<n>.eml`, so that tests read what a real mail server would have
 * received and parse it with `mailparser`, the way a mail client would.
 *
 * It runs as its own process so that a test (or a whole test run of the delivery job) talks to it
 * over a real socket, and so that it can be started by hand:
 *
 *     node --import tsx smtp-capture.ts --dir <folder> [--port N]
 *
 * prints one line `{"port":N}` on stdout once it listens on 127.0.0.1, and stops on SIGTERM.
 *
 * - Each message is written to a temporary file, then renamed: a reader never sees half a message.
 * - No authentication is required (`authOptional`) and STARTTLS is disabled: tests use `smtp://`.
 * - Failures are controlled at run time through `<dir>/mode.json`, read on every RCPT TO:
 *   `{ "rcpt": { "bounce@example.com": 550, "busy@example.com": 451 } }` rejects that recipient
 *   with that code (5xx: permanently, 4xx: try again later).
 * - A message larger than 10 MiB is refused (552), so that a runaway sender cannot fill the disk.
 *
 * `startSmtpCapture(dir)` starts it as a child process from a test.
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** What `<dir>/mode.json` holds: recipient address (lower case) → SMTP reply code for RCPT TO. */
export interface SmtpCaptureMode {
  rcpt?: Record<string, number>;
}

export interface SmtpCapture {
  port: number;
  /** `smtp://127.0.0.1:<port>`, for `createSmtpMailer`. */
  url: string;
  /** The captured messages in the order they arrived, parsed. */
  messages(): Promise<ParsedMail[]>;
  setMode(mode: SmtpCaptureMode): Promise<void>;
  stop(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
const MODE_FILE = 'mode.json';
const THIS_FILE = fileURLToPath(import.meta.url);

/** Writes a file so that readers see either nothing or all of it. */
async function writeAtomically(file: string, data: string | Buffer): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await writeFile(temporary, data);
  await rename(temporary, file);
}

/** The numbers of the messages captured in `dir`, in order. */
async function capturedNumbers(dir: string): Promise<number[]> {
  const names = await readdir(dir);
  return names
    .map((name) => /^(\d+)\.eml$/.exec(name)?.[1])
    .filter((digits): digits is string => digits !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

async function readMode(dir: string): Promise<SmtpCaptureMode> {
  try {
    return JSON.parse(await readFile(path.join(dir, MODE_FILE), 'utf8')) as SmtpCaptureMode;
  } catch {
    return {};
  }
}

/** Runs the server in this process (the child's side). Resolves with the port once listening. */
async function runServer(dir: string, port: number): Promise<{ port: number; close(): Promise<void> }> {
  await mkdir(dir, { recursive: true });
  let nextNumber = ((await capturedNumbers(dir)).at(-1) ?? 0) + 1;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: MAX_MESSAGE_BYTES,
    onRcptTo(address, _session, callback) {
      readMode(dir).then((mode) => {
        const wanted = address.address.toLowerCase();
        const code = Object.entries(mode.rcpt ?? {}).find(([recipient]) => recipient.toLowerCase() === wanted)?.[1];
        if (code === undefined) {
          callback();
          return;
        }
        const text = code >= 500 ? 'mailbox unavailable' : 'mailbox busy, try again later';
        callback(Object.assign(new Error(`${address.address}: ${text}`), { responseCode: code }));
      }, callback);
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        if (!stream.sizeExceeded) chunks.push(chunk);
      });
      stream.on('error', callback);
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(Object.assign(new Error('message too large'), { responseCode: 552 }));
          return;
        }
        const file = path.join(dir, `${nextNumber}.eml`);
        nextNumber += 1;
        writeAtomically(file, Buffer.concat(chunks)).then(() => callback(), callback);
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Starts the capture server as a child process writing into `dir`. */
export async function startSmtpCapture(dir: string): Promise<SmtpCapture> {
  await mkdir(dir, { recursive: true });
  const child = spawn(process.execPath, ['--import', 'tsx', THIS_FILE, '--dir', dir], {
    // `--import tsx` resolves from the working directory: this package's node_modules.
    cwd: path.dirname(THIS_FILE),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error('the SMTP capture server did not start within 20 s')), 20_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the SMTP capture server exited with code ${code} before listening`));
    });
  });

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    async messages() {
      const numbers = await capturedNumbers(dir);
      return Promise.all(numbers.map(async (n) => simpleParser(await readFile(path.join(dir, `${n}.eml`)))));
    },
    setMode: (mode) => writeAtomically(path.join(dir, MODE_FILE), JSON.stringify(mode)),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { dir: { type: 'string' }, port: { type: 'string', default: '0' } } });
  if (values.dir === undefined) {
    process.stderr.write('usage: node --import tsx smtp-capture.ts --dir <folder> [--port N]\n');
    process.exit(2);
  }
  const server = await runServer(path.resolve(values.dir), Number(values.port));
  process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
  const shutDown = () => {
    server.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', shutDown);
  process.once('SIGINT', shutDown);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === THIS_FILE) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
