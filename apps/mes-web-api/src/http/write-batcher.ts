import type { Socket } from 'node:net';

type WriteCallback = (error?: Error | null) => void;
type Chunks = Array<{ chunk: unknown; encoding: BufferEncoding }>;

/** One socket write, to be handed to the socket's own implementation at the end of the turn. */
interface HeldWrite {
  socket: Socket;
  make: () => void;
}

/**
 * Holds the socket writes that responses make during one turn of the event loop and makes them
 * together, in order, at the end of that turn (`setImmediate`).
 *
 * Why: a client waiting for an answer sleeps, and the first byte sent to a sleeping client costs
 * the kernel a wake-up of that client, which on a virtual machine costs more than the rest of the
 * send. When the answers of one turn go out back to back, a client that keeps several
 * connections open (a proxy, a load balancer, a scheduler) is woken once for all of them. The
 * server makes the same writes; only their timing changes, by at most the rest of the turn in
 * which the answer was ready (nothing under light load, where a turn handles one request). See
 * README, Performance, for the figures.
 *
 * Everything else about the write is the socket's own: the held write is the stream machinery's
 * call to the socket's `_write`/`_writev`, so the stream keeps counting it as in progress
 * (back-pressure, `drain`, `finish` and `end()` wait for it). A socket destroyed while it has
 * held writes makes them first, as it would have made them before it was destroyed.
 */
export class WriteBatcher {
  private held: HeldWrite[] = [];
  private scheduled = false;
  private readonly flush = (): void => {
    const batch = this.held;
    this.held = [];
    this.scheduled = false;
    for (const held of batch) make(held);
  };

  /** Routes the socket's writes through the batch from now on. */
  attach(socket: Socket): void {
    const write = socket._write.bind(socket);
    const writev = socket._writev?.bind(socket);
    socket._write = (chunk: unknown, encoding: BufferEncoding, callback: WriteCallback) =>
      this.hold({ socket, make: () => write(chunk, encoding, callback) });
    if (writev) {
      socket._writev = (chunks: Chunks, callback: WriteCallback) => {
        // node's `res.end(body)` hands over the answer and an empty chunk (which carries the
        // finish callback): one chunk is written as one plain write, which costs node less than
        // a vector write (about 3 % of a warm entity read). The same bytes either way.
        const only = soleChunk(chunks);
        this.hold({
          socket,
          make: only
            ? () => write(only.chunk, only.encoding, callback)
            : () => writev(chunks, callback),
        });
      };
    }
    // A write followed at once by destroy() (fastify's and node's answers to malformed requests
    // do that) reached the kernel before the socket closed; it still does.
    const destroy = socket._destroy.bind(socket);
    socket._destroy = (error: Error | null, callback: (error?: Error | null) => void) => {
      this.release(socket);
      destroy(error, callback);
    };
  }

  /** Writes held now, not yet made (for tests). */
  get pending(): number {
    return this.held.length;
  }

  /** Makes the socket's held writes now, in order. */
  private release(socket: Socket): void {
    if (this.held.length === 0) return;
    const mine = this.held.filter((held) => held.socket === socket);
    if (mine.length === 0) return;
    this.held = this.held.filter((held) => held.socket !== socket);
    for (const held of mine) make(held);
  }

  private hold(write: HeldWrite): void {
    this.held.push(write);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }
}

function make(held: HeldWrite): void {
  try {
    held.make();
  } catch (error) {
    // The socket's own write does not throw; if it ever did, only that connection is lost.
    held.socket.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}

/** The one chunk that is not empty, when all others are. */
function soleChunk(chunks: Chunks): Chunks[number] | undefined {
  let sole: Chunks[number] | undefined;
  for (const entry of chunks) {
    if ((entry.chunk as { length: number }).length === 0) continue;
    if (sole !== undefined) return undefined;
    sole = entry;
  }
  return sole;
}
