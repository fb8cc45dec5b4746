// The sandboxed preload: exposes exactly the contract's bridge as
// window.deviceAgent. Bundled to one CommonJS file (sandboxed preloads cannot
// require local files); the main process validates everything it receives.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createBridge, type StatusView } from './contract.ts';

const bridge = createBridge(
  (channel, ...payload) => ipcRenderer.invoke(channel, ...payload),
  (channel, listener) => {
    const wrapped = (_event: IpcRendererEvent, status: StatusView) => listener(status);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
);

contextBridge.exposeInMainWorld('deviceAgent', bridge);
