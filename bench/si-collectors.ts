// The systeminformation designs the agent is compared with: its own calls for
// the agent's dynamic variables, its calls for the static facts, and the naive
// "everything every cycle" getAllData().
import si from 'systeminformation';

/** The agent's dynamic variables through systeminformation: load, memory, disk, uptime, battery. */
export async function collectSiDynamic(): Promise<unknown[]> {
  return Promise.all([si.currentLoad(), si.mem(), si.fsSize(), si.time(), si.battery()]);
}

/** The agent's static facts through systeminformation: OS, system/VM, CPU, disk layout. */
export async function collectSiStatic(): Promise<unknown[]> {
  return Promise.all([si.osInfo(), si.system(), si.cpu(), si.mem(), si.fsSize(), si.time()]);
}

export async function collectSiAll(): Promise<unknown> {
  return si.getAllData();
}
