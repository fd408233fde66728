import {
  buildChannelApi,
  type Api,
  type AnyChannel,
  type DroppedFile,
  type EventName,
  type FileRef,
  type Result,
  type Transport,
} from '../../shared/ipc-contract.ts';

export const SECRET_HEADER = 'x-metricdrop-secret';
const SECRET_KEY = 'metricdrop.bridgeSecret';

/**
 * The per-start secret of `npm run web`: it arrives in the link's fragment (never sent to a server,
 * never in a log), is kept for this tab in sessionStorage and removed from the address bar.
 */
export function takeBridgeSecret(loc: Location, storage: Storage, history: History): string | null {
  const m = /(?:^#|&)k=([0-9a-f]{32,128})(?:&|$)/.exec(loc.hash);
  if (m?.[1]) {
    storage.setItem(SECRET_KEY, m[1]);
    history.replaceState(null, '', loc.pathname + loc.search);
    return m[1];
  }
  return storage.getItem(SECRET_KEY);
}

const networkError = (message: string): Result<never> => ({ ok: false, error: { code: 'NETWORK_ERROR', message } });

async function readEnvelope(res: Response): Promise<Result<unknown>> {
  if (res.status === 401) {
    return {
      ok: false,
      error: { code: 'NOT_AUTHORIZED', message: 'This page needs the link `npm run web` printed when it started. Open that link again.' },
    };
  }
  if (!res.ok) return networkError(`The metricdrop bridge answered ${res.status}.`);
  return (await res.json()) as Result<unknown>;
}

type Listener = (payload: unknown) => void;

/** One server-sent-events stream for all subscribers, reconnecting when the bridge restarts. */
function eventStream(secret: string) {
  const listeners = new Map<EventName, Set<Listener>>();
  let started = false;

  async function connect(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch('/events', { headers: { [SECRET_HEADER]: secret } });
        if (res.status === 401) return; // the bridge restarted with a new secret: the page must be reopened
        if (!res.ok || !res.body) throw new Error(String(res.status));
        attempt = 0;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.+)$/m.exec(block)?.[1];
            const data = /^data: (.+)$/m.exec(block)?.[1];
            if (event && data) for (const l of listeners.get(event as EventName) ?? []) l(JSON.parse(data));
          }
        }
      } catch {
        // the bridge is gone for now; try again below
      }
      await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** attempt)));
    }
  }

  return (event: EventName, listener: Listener) => {
    if (!started) {
      started = true;
      void connect();
    }
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  };
}

/** A file chooser from the browser itself (the web shell has no native dialog in main). */
function chooseFiles(): Promise<File[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.accept = '.csv,.tsv,.txt,.xlsx,.zip,text/csv,text/tab-separated-values,text/plain';
    input.addEventListener('change', () => resolve([...(input.files ?? [])]));
    input.addEventListener('cancel', () => resolve([]));
    input.click();
  });
}

function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The API over the loopback bridge of `npm run web`; same type as Electron's `window.metricdrop`. */
export function createWebApi(secret: string): Api {
  const transport: Transport = {
    async invoke(channel: AnyChannel, input: unknown) {
      try {
        const res = await fetch(`/ipc/${channel}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [SECRET_HEADER]: secret },
          body: JSON.stringify(input ?? {}),
        });
        return await readEnvelope(res);
      } catch {
        return networkError('metricdrop is not running. Start it again with `npm run web` and open the new link.');
      }
    },
    subscribe: eventStream(secret),
  };
  const api = buildChannelApi(transport);

  async function addDropped(files: readonly DroppedFile[]): Promise<Result<FileRef[]>> {
    const refs: FileRef[] = [];
    for (const file of files) {
      if (!(file instanceof File)) return { ok: false, error: { code: 'INVALID_INPUT', message: 'Not a file.' } };
      try {
        const res = await fetch(`/files?name=${encodeURIComponent(file.name)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream', [SECRET_HEADER]: secret },
          body: file,
        });
        const r = (await readEnvelope(res)) as Result<FileRef[]>;
        if (!r.ok) return r;
        refs.push(...r.value);
      } catch {
        return networkError(`"${file.name}" could not be sent to metricdrop. Is \`npm run web\` still running?`);
      }
    }
    return { ok: true, value: refs };
  }

  return {
    ...api,
    files: {
      ...api.files,
      addDropped,
      async pick() {
        return addDropped(await chooseFiles());
      },
      async saveErrorsCsv(input) {
        const r = await api.files.errorsCsv(input);
        if (!r.ok) return r;
        download(r.value.fileName, r.value.csv);
        return { ok: true, value: { saved: true, fileName: r.value.fileName } };
      },
    },
    app: {
      ...api.app,
      async openExternal({ url }) {
        const ok = /^https:\/\//.test(url);
        if (ok) window.open(url, '_blank', 'noopener,noreferrer');
        return { ok: true, value: { opened: ok } };
      },
    },
  };
}
