// Compile-time checks that keep the stand-in honest against the installed
// electron.d.ts: every public member the stand-in offers must exist on the real
// Electron type (so an app calling something Electron lacks cannot pass here),
// and the signatures must be compatible (`implements` / `satisfies`).

/** `true` when T has no public key that Electron's U lacks; otherwise the extra keys, which makes `= true` fail to compile. */
export type OnlyElectronKeys<T, U> = [Exclude<keyof T, keyof U>] extends [never] ? true : { notInElectron: Exclude<keyof T, keyof U> };
