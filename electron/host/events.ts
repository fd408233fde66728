import type { EventName, EventPayload } from '../../shared/ipc-contract.ts';

type Listener = (event: EventName, payload: unknown) => void;

/** Fan-out of pushed events (upload progress) from the handlers to whatever transport listens. */
export interface EventHub {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  listen(listener: Listener): () => void;
}

export function createEventHub(): EventHub {
  const listeners = new Set<Listener>();
  return {
    emit(event, payload) {
      for (const l of listeners) l(event, payload);
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
