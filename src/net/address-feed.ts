/**
 * Addresses handed from resolution to the connection as they arrive, so connecting starts as soon
 * as one family has answered (RFC 8305) and an address that comes later still joins the race.
 */
export interface AddressFeed {
  /**
   * `onBatch` gets every batch (those already in at once), `onEnd` once no more will come.
   * Returns a function that stops listening.
   */
  subscribe(onBatch: (batch: readonly string[]) => void, onEnd: () => void): () => void;
}

export interface AddressFeedWriter {
  feed: AddressFeed;
  push(batch: readonly string[]): void;
  end(): void;
  readonly ended: boolean;
}

export function createAddressFeed(): AddressFeedWriter {
  const batches: (readonly string[])[] = [];
  const listeners = new Set<{ onBatch: (batch: readonly string[]) => void; onEnd: () => void }>();
  let ended = false;
  return {
    get ended() {
      return ended;
    },
    push(batch) {
      if (ended || batch.length === 0) return;
      batches.push(batch);
      for (const listener of [...listeners]) listener.onBatch(batch);
    },
    end() {
      if (ended) return;
      ended = true;
      for (const listener of [...listeners]) listener.onEnd();
      listeners.clear();
    },
    feed: {
      subscribe(onBatch, onEnd) {
        for (const batch of batches) onBatch(batch);
        if (ended) {
          onEnd();
          return () => {};
        }
        const listener = { onBatch, onEnd };
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
  };
}

/** A feed of addresses known up front (an IP literal). */
export function fixedAddresses(addresses: readonly string[]): AddressFeed {
  const writer = createAddressFeed();
  writer.push(addresses);
  writer.end();
  return writer.feed;
}
