import { once } from 'node:events';
import { AddressInfo, createConnection, createServer, Server, Socket } from 'node:net';
import { WriteBatcher } from './write-batcher';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A loopback server whose accepted sockets are attached to `batcher`, and connected clients.
 * `made` lists, in order, the writes the sockets' own implementations were asked to make.
 */
async function pair(batcher: WriteBatcher, count = 1) {
  const accepted: Socket[] = [];
  const made: string[] = [];
  const server: Server = createServer((socket) => {
    const index = accepted.length;
    const write = socket._write.bind(socket);
    const writev = socket._writev?.bind(socket);
    socket._write = (chunk: Buffer, encoding, callback) => {
      made.push(`${index}:${String(chunk)}`);
      write(chunk, encoding, callback);
    };
    if (writev) {
      socket._writev = (chunks, callback) => {
        made.push(`${index}:${chunks.map((c) => String(c.chunk)).join('+')}`);
        writev(chunks, callback);
      };
    }
    batcher.attach(socket);
    accepted.push(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const clients: Socket[] = [];
  for (let i = 0; i < count; i++) {
    const client = createConnection(port, '127.0.0.1');
    await once(client, 'connect');
    clients.push(client);
  }
  while (accepted.length < count) await turn();
  const received = clients.map(() => [] as Buffer[]);
  clients.forEach((c, i) => c.on('data', (d: Buffer) => received[i].push(d)));
  const text = (i: number) => Buffer.concat(received[i]).toString();
  const close = async () => {
    for (const c of clients) c.destroy();
    for (const s of accepted) s.destroy();
    server.close();
    await once(server, 'close');
  };
  return { accepted, clients, made, text, close };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('WriteBatcher', () => {
  it('holds the writes of one turn and makes them, in order, at the end of the turn', async () => {
    const batcher = new WriteBatcher();
    const { accepted, made, text, close } = await pair(batcher, 2);
    try {
      const done: string[] = [];
      accepted[0].write('a1', () => done.push('a1'));
      accepted[1].write('b1', () => done.push('b1'));
      accepted[0].write('a2', () => done.push('a2'));
      // Nothing has gone to the kernel yet: the sockets' own writes were not called.
      expect(made).toEqual([]);
      expect(batcher.pending).toBe(2); // a2 waits in the stream's buffer behind a1
      await turn();
      expect(made).toEqual(['0:a1', '1:b1']);
      await until(() => text(0) === 'a1a2' && text(1) === 'b1', 'both sockets');
      // a2 was made by the stream once a1 had completed, in a later turn.
      expect(made).toEqual(['0:a1', '1:b1', '0:a2']);
      expect(done).toEqual(['a1', 'b1', 'a2']);
    } finally {
      await close();
    }
  });

  it('writes a vector of one chunk and empty ones as one plain write, others as a vector', async () => {
    const batcher = new WriteBatcher();
    const { accepted, made, text, close } = await pair(batcher);
    try {
      const socket = accepted[0];
      const done: string[] = [];
      socket.write('first', () => done.push('first')); // held: the stream buffers the rest
      socket.write('answer', () => done.push('answer'));
      socket.write('', () => done.push('empty'));
      await until(() => done.length === 3, 'the three callbacks');
      expect(made).toEqual(['0:first', '0:answer']);
      socket.write('one');
      socket.write('two');
      socket.write(Buffer.alloc(0));
      socket.write('three');
      await until(() => text(0) === 'firstansweronetwothree', 'all bytes');
      expect(made).toEqual(['0:first', '0:answer', '0:one', '0:two++three']);
      expect(done).toEqual(['first', 'answer', 'empty']);
    } finally {
      await close();
    }
  });

  it('keeps back-pressure: 8 MB written with drain waits arrive whole and in order', async () => {
    const batcher = new WriteBatcher();
    const { accepted, clients, close } = await pair(batcher);
    try {
      const chunk = (i: number) => Buffer.alloc(64 * 1024, i % 251);
      let bytes = 0;
      let mismatch = -1;
      let offset = 0;
      clients[0].on('data', (d: Buffer) => {
        for (let k = 0; k < d.length && mismatch < 0; k++) {
          const pos = offset + k;
          if (d[k] !== Math.floor(pos / (64 * 1024)) % 251) mismatch = pos;
        }
        offset += d.length;
        bytes += d.length;
      });
      let sawBackPressure = false;
      for (let i = 0; i < 128; i++) {
        if (!accepted[0].write(chunk(i))) {
          sawBackPressure = true;
          await once(accepted[0], 'drain');
        }
      }
      accepted[0].end();
      await until(() => bytes === 128 * 64 * 1024, '8 MB');
      expect(mismatch).toBe(-1);
      expect(sawBackPressure).toBe(true);
    } finally {
      await close();
    }
  });

  it('a socket destroyed while its write is held makes the write first, as it would have', async () => {
    const batcher = new WriteBatcher();
    const { accepted, made, text, close } = await pair(batcher, 2);
    try {
      accepted[1].write('later');
      // What fastify does with a malformed request: write the 400, then destroy the socket.
      accepted[0].write('HTTP/1.1 400 Bad Request\r\n\r\n');
      accepted[0].destroy();
      expect(made).toEqual(['0:HTTP/1.1 400 Bad Request\r\n\r\n']);
      await turn();
      expect(made).toEqual(['0:HTTP/1.1 400 Bad Request\r\n\r\n', '1:later']);
      await until(() => text(0).startsWith('HTTP/1.1 400') && text(1) === 'later', 'both');
    } finally {
      await close();
    }
  });

  it('a socket whose own write throws is destroyed; the other writes of the turn are made', async () => {
    const batcher = new WriteBatcher();
    const { accepted, text, close } = await pair(batcher, 2);
    try {
      const broken = accepted[0];
      // What attach() captured is the socket's own _write; make that one throw.
      broken._write = () => {
        throw new Error('native write failed');
      };
      batcher.attach(broken);
      const destroyed = new Promise((resolve) => broken.once('close', resolve));
      const failures: Error[] = [];
      broken.on('error', (error) => failures.push(error));
      broken.write('x');
      accepted[1].write('y');
      await turn();
      await destroyed;
      await until(() => text(1) === 'y', 'the other socket');
      expect(broken.destroyed).toBe(true);
      expect(failures.map((e) => e.message)).toEqual(['native write failed']);
    } finally {
      await close();
    }
  });

  it('end() sends the held data before the end of the stream', async () => {
    const batcher = new WriteBatcher();
    const { accepted, clients, text, close } = await pair(batcher);
    try {
      const ended = once(clients[0], 'end');
      accepted[0].end('last words');
      await ended;
      expect(text(0)).toBe('last words');
    } finally {
      await close();
    }
  });
});
