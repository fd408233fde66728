// A throttling TCP proxy for the network bench, on 127.0.0.1 only: it stands for the link between an
// office and a far-away Supabase region. Each direction is delayed by half the round-trip time, the
// uplink (client to server) is one shared link paced at a set bandwidth, and a new connection waits
// one round trip before its first byte leaves (the TCP handshake; loopback has no TLS, a real link
// adds one more). Written here because no maintained library shapes a loopback socket this way
// (tc/netem need root and a real interface).
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

export interface LinkOptions {
  /** Round-trip time in milliseconds. */
  rttMs: number;
  /** Uplink bandwidth in bits per second (shared by every connection). */
  uplinkBitsPerSecond: number;
  /** Downlink bandwidth in bits per second; unlimited when left out (answers are small). */
  downlinkBitsPerSecond?: number;
}

export interface LinkStats {
  uplinkBytes: number;
  downlinkBytes: number;
  connections: number;
}

export interface Throttle {
  /** `http://127.0.0.1:PORT`, to use in place of the target's URL. */
  url: string;
  stats(): LinkStats;
  reset(): void;
  close(): Promise<void>;
}

/** Pieces larger than this are split, so one big write cannot hold the link in one lump. */
const PIECE = 16 * 1024;
/** Bytes the sender may have queued on the link before its socket is paused (a kernel send buffer). */
const SEND_BUFFER = 256 * 1024;

/** One direction of the link: bytes leave no faster than the bandwidth and arrive after the delay. */
class Direction {
  private freeAt = 0;
  constructor(
    private readonly delayMs: number,
    private readonly bitsPerSecond: number | undefined,
  ) {}
  /** When a piece of `bytes` handed over now (not before `notBefore`) arrives at the other end. */
  schedule(bytes: number, notBefore: number): number {
    const now = performance.now();
    const start = Math.max(now, notBefore, this.freeAt);
    const leaves = this.bitsPerSecond ? start + (bytes * 8 * 1000) / this.bitsPerSecond : start;
    if (this.bitsPerSecond) this.freeAt = leaves;
    return leaves + this.delayMs;
  }
  /** Milliseconds of bytes waiting to leave. */
  backlogMs(): number {
    return Math.max(0, this.freeAt - performance.now());
  }
  sendBufferMs(): number {
    return this.bitsPerSecond ? (SEND_BUFFER * 8 * 1000) / this.bitsPerSecond : Infinity;
  }
}

/** Delivers pieces to `to` in order, each at its arrival time. */
class Pipe {
  private readonly queue: Array<{ at: number; data: Buffer }> = [];
  private timer: NodeJS.Timeout | null = null;
  private ended = false;
  constructor(private readonly to: Socket) {}
  push(at: number, data: Buffer): void {
    this.queue.push({ at, data });
    this.arm();
  }
  end(at: number): void {
    this.queue.push({ at, data: Buffer.alloc(0) });
    this.ended = true;
    this.arm();
  }
  private arm(): void {
    if (this.timer || this.queue.length === 0) return;
    const wait = Math.max(0, (this.queue[0]?.at ?? 0) - performance.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }
  private flush(): void {
    this.timer = null;
    const now = performance.now();
    while (this.queue.length > 0 && (this.queue[0]?.at ?? 0) <= now + 0.5) {
      const piece = this.queue.shift() as { at: number; data: Buffer };
      if (piece.data.length > 0) {
        if (!this.to.destroyed) this.to.write(piece.data);
      } else if (this.ended && this.queue.length === 0) {
        this.to.end();
      }
    }
    this.arm();
  }
}

export async function startThrottle(target: { host: string; port: number }, link: LinkOptions): Promise<Throttle> {
  const up = new Direction(link.rttMs / 2, link.uplinkBitsPerSecond);
  const down = new Direction(link.rttMs / 2, link.downlinkBitsPerSecond);
  let stats: LinkStats = { uplinkBytes: 0, downlinkBytes: 0, connections: 0 };
  const sockets = new Set<Socket>();

  const server: Server = createServer((client) => {
    stats.connections++;
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    // The handshake: the client's first bytes go out one round trip after it connected.
    const open = performance.now() + link.rttMs;
    const toServer = new Pipe(upstream);
    const toClient = new Pipe(client);
    client.on('data', (chunk: Buffer) => {
      stats.uplinkBytes += chunk.length;
      for (let i = 0; i < chunk.length; i += PIECE) {
        const piece = chunk.subarray(i, i + PIECE);
        toServer.push(up.schedule(piece.length, open), piece);
      }
      // A full send buffer stops the sender until the link has carried some of it.
      const over = up.backlogMs() - up.sendBufferMs();
      if (over > 0) {
        client.pause();
        setTimeout(() => client.resume(), over);
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      stats.downlinkBytes += chunk.length;
      toClient.push(down.schedule(chunk.length, 0), chunk);
    });
    client.on('end', () => toServer.end(up.schedule(0, open)));
    upstream.on('end', () => toClient.end(down.schedule(0, 0)));
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', () => setTimeout(drop, link.rttMs));
    upstream.on('error', drop).on('close', () => setTimeout(drop, link.rttMs));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    stats: () => ({ ...stats }),
    reset: () => {
      stats = { uplinkBytes: 0, downlinkBytes: 0, connections: 0 };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
