// The agent keeps V8's young generation at its starting size.
//
// V8 grows the young generation (new space) when many objects survive its scavenges,
// as they do while modules load at start (1 → 8 MB here), and shrinks it again later
// but keeps the pages: for an agent that then wakes a few times an hour, ~5 MB of
// resident memory it never uses again (docs/performance.md). `node
// --max-semi-space-size=1` prevents it, but only on the command line. The growth
// factor, though, is read each time V8 would grow the space, so setting it to 1
// before anything loads holds it at 1-2 MB, however the process was started.
// Scavenges are more frequent during a burst (start, a sync); between cycles there is
// nothing to scavenge.
import { setFlagsFromString } from 'node:v8';

export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
