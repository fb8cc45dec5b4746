// The windows that exist, in creation order (BrowserWindow.getAllWindows), for
// the app's quit sequence and for the recorder.
export interface RegisteredWindow {
  readonly id: number;
  /** Emits 'close' (preventable); resolves true when the window went away. */
  requestClose(): boolean;
  /** Goes away without 'close' (app.exit). */
  destroy(): void;
}

export const windowRegistry = {
  all: [] as RegisteredWindow[],
  focusedId: undefined as number | undefined,
  add(w: RegisteredWindow): void { this.all.push(w); },
};
