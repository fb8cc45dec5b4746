// Deterministic randomness for the fleet simulation: one seed gives the same run.
// Each agent draws its schedule from its own stream, so an agent the outage never
// touched makes exactly the same requests in the outage and the no-outage run.

/** 32-bit integer hash of a few integers (murmur3's finaliser over a running mix). */
export function hashInts(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** A uniform value in [0, 1) fixed by the integers (no state: the same inputs, the same value). */
export function hashUnit(...parts: number[]): number {
  return hashInts(...parts) / 2 ** 32;
}

/** mulberry32: a small, fast generator of uniform values in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** The schedule stream of one agent of a seeded fleet. */
export function agentRandom(seed: number, agent: number): () => number {
  return seededRandom(hashInts(seed, agent, 0x5ced));
}
