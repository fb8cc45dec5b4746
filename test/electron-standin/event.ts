// Electron's event object for main-process events: preventDefault() and
// defaultPrevented, plus whatever details the event carries.
export interface StandinEvent {
  preventDefault(): void;
  readonly defaultPrevented: boolean;
}

export function createEvent<T extends object>(details?: T): StandinEvent & T {
  let prevented = false;
  const event = {
    preventDefault() { prevented = true; },
    get defaultPrevented() { return prevented; },
  };
  return Object.assign(event, details) as StandinEvent & T;
}
