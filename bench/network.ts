// The network run of `npm run bench`: the same upload through a throttling proxy in front of the
// test gateway (bench/throttle.ts), at a set round-trip time and uplink bandwidth. What matters over
// a real link: bytes on the wire, requests, and round trips nobody overlaps.
import type { BenchWorld } from './upload.ts';
import { timedUpload } from './upload.ts';
import { startThrottle } from './throttle.ts';
import { wireMeter } from './wire.ts';
import { cpuSnapshot, postmasterOf, type CpuSnapshot } from './cpu.ts';

/** begin, the three entity types, finish and a final check: round trips no protocol can avoid. */
export const UNAVOIDABLE_ROUND_TRIPS = 6;

export interface NetworkFigures {
  rttMs: number;
  uplinkMbitPerSecond: number;
  rows: number;
  fileBytes: number;
  /** Bytes the app sent (request lines, headers and bodies, as they crossed the link). */
  bytesSent: number;
  bytesReceived: number;
  /** bytesSent / fileBytes (target: at most 0.25). */
  bytesPerFileByte: number;
  requests: number;
  connections: number;
  criticalRoundTrips: number;
  maxInFlight: number;
  requestsByPath: Record<string, number>;
  /** bytesSent / bandwidth. */
  linkMs: number;
  /** linkMs + the unavoidable round trips. */
  expectedMs: number;
  measuredMs: number;
  /** measuredMs / expectedMs (target: at most 1.25). */
  ratio: number;
  rowsPerSecond: number;
  stageMs: Record<string, number>;
  /**
   * CPU time of the run: the database's processes (null where /proc cannot say) and this process
   * (app, test gateway, proxy), in all and per stage (from each stage's first progress event to the next's).
   */
  cpu: { databaseMs: number | null; processMs: number; databaseMsByStage: Record<string, number> | null };
  /** The last progress the window showed while staging: rows/s, MB/s, time left. */
  stageProgress: { rowsPerSecond: number | null; megabytesPerSecond: number | null } | null;
}

export async function benchNetwork(
  world: BenchWorld,
  file: string,
  fileBytes: number,
  link: { rttMs: number; uplinkMbitPerSecond: number },
): Promise<NetworkFigures> {
  const target = new URL(world.gateway.url);
  const throttle = await startThrottle(
    { host: target.hostname, port: Number(target.port) },
    { rttMs: link.rttMs, uplinkBitsPerSecond: link.uplinkMbitPerSecond * 1e6 },
  );
  const meter = wireMeter();
  const postmaster = postmasterOf(world.server.port);
  const marks: Array<{ stage: string; at: CpuSnapshot }> = [];
  try {
    await world.newClient('Bench Network Co');
    const up = await timedUpload(world, file, {
      clientName: 'Bench Network Co',
      url: throttle.url,
      fetch: meter.fetch,
      beforeUpload: () => {
        throttle.reset();
        meter.reset();
        marks.push({ stage: 'begin', at: cpuSnapshot(postmaster) });
      },
      onStage: (stage) => marks.push({ stage, at: cpuSnapshot(postmaster) }),
    });
    const wire = throttle.stats();
    const calls = meter.stats();
    const linkMs = (wire.uplinkBytes * 8 * 1000) / (link.uplinkMbitPerSecond * 1e6);
    const expectedMs = linkMs + UNAVOIDABLE_ROUND_TRIPS * link.rttMs;
    const stage = up.lastProgress.stage as (typeof up.lastProgress)['stage'] & { bytesPerSecond?: number | null };
    const first = marks[0]!.at;
    const last = marks[marks.length - 1]!.at;
    const byStage: Record<string, number> = {};
    for (let i = 0; i + 1 < marks.length; i++) {
      const [a, b] = [marks[i]!, marks[i + 1]!];
      if (a.at.databaseMs !== null && b.at.databaseMs !== null)
        byStage[a.stage] = Math.round((byStage[a.stage] ?? 0) + b.at.databaseMs - a.at.databaseMs);
    }
    const cpu = {
      databaseMs: first.databaseMs === null || last.databaseMs === null ? null : Math.round(last.databaseMs - first.databaseMs),
      processMs: Math.round(last.processMs - first.processMs),
      databaseMsByStage: first.databaseMs === null ? null : byStage,
    };
    return {
      rttMs: link.rttMs,
      uplinkMbitPerSecond: link.uplinkMbitPerSecond,
      rows: up.rows,
      fileBytes,
      bytesSent: wire.uplinkBytes,
      bytesReceived: wire.downlinkBytes,
      bytesPerFileByte: Number((wire.uplinkBytes / fileBytes).toFixed(3)),
      requests: calls.requests,
      connections: wire.connections,
      criticalRoundTrips: calls.criticalRoundTrips,
      maxInFlight: calls.maxInFlight,
      requestsByPath: calls.byPath,
      linkMs: Math.round(linkMs),
      expectedMs: Math.round(expectedMs),
      measuredMs: up.ms,
      ratio: Number((up.ms / expectedMs).toFixed(2)),
      rowsPerSecond: up.rowsPerSecond,
      stageMs: up.stageMs,
      cpu,
      stageProgress: stage
        ? {
            rowsPerSecond: stage.rowsPerSecond,
            megabytesPerSecond: stage.bytesPerSecond == null ? null : Number((stage.bytesPerSecond / 1e6).toFixed(2)),
          }
        : null,
    };
  } finally {
    await throttle.close();
  }
}
