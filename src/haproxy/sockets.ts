/**
 * Clients for HAProxy's two command sockets: the master CLI (`-S`, one per master) and the
 * runtime API (`stats socket`, served by the current worker). Both speak the same
 * non-interactive protocol: one command line, then HAProxy answers and closes.
 */
import net from 'node:net';

/** The longest Unix socket path HAProxy can bind: sun_path holds 108 bytes and HAProxy first binds "<path>.<pid>.tmp". */
export const MAX_SOCKET_PATH = 95;

export class SocketCommandError extends Error {
  constructor(
    message: string,
    /** The errno code (ECONNREFUSED, ENOENT, ECONNRESET, ...) or "ETIMEDOUT". */
    readonly code: string | undefined,
    /** Whether the command reached the socket: a reset after writing may still have run it. */
    readonly written: boolean,
  ) {
    super(message);
  }
}

/**
 * Sends one command (a trailing newline is added when missing) and resolves with everything
 * HAProxy answers. Ends our side of the connection right after the command: the master CLI
 * only answers and closes once it sees that end.
 */
export function socketCommand(socketPath: string, command: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let written = false;
    let settled = false;
    const socket = net.connect(socketPath);
    const fail = (message: string, code: string | undefined): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(new SocketCommandError(`${socketPath}: ${message}`, code, written));
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer to ${JSON.stringify(command)} within ${timeoutMs} ms`, 'ETIMEDOUT'));
    socket.on('connect', () => {
      written = true;
      socket.end(command.endsWith('\n') ? command : `${command}\n`);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => fail(e.message, e.code));
    socket.on('close', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}
