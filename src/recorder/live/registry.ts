// Which media pools run in this process, by recorder node: listen-in taps the pool of the node holding the call. The
// recorder role registers its pool when it starts (src/recorder/role.ts); the API process looks it up. A call held by
// a recorder in another process is reached through its listen-in relay instead (remote.ts; docs/recorder.md, "Scale-out").
import type { MediaPool } from '../media/pool.ts';

type Tap = Pick<MediaPool, 'subscribe' | 'stats'>;
const pools = new Map<string, Tap>();

export function registerLocalRecorder(node: string, pool: Tap): () => void {
  pools.set(node, pool);
  return () => {
    if (pools.get(node) === pool) pools.delete(node);
  };
}

export const localRecorder = (node: string): Tap | undefined => pools.get(node);
