// The sandboxed preload: exposes exactly the contract's bridge as
// window.deviceAgent. Bundled to one CommonJS file (sandboxed preloads cannot
// require local files); the main process validates everything it receives.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNELS, type DeviceAgentBridge, type StatusView } from './contract.ts';

const bridge: DeviceAgentBridge = {
  getStatus: () => ipcRenderer.invoke(CHANNELS.getStatus),
  onStatus(listener) {
    const wrapped = (_event: IpcRendererEvent, status: StatusView) => listener(status);
    ipcRenderer.on(CHANNELS.statusChanged, wrapped);
    return () => {
      ipcRenderer.removeListener(CHANNELS.statusChanged, wrapped);
    };
  },
  syncNow: () => ipcRenderer.invoke(CHANNELS.syncNow),
  setPaused: (paused) => ipcRenderer.invoke(CHANNELS.setPaused, { paused }),
  getSettings: () => ipcRenderer.invoke(CHANNELS.getSettings),
  saveSettings: (input) => ipcRenderer.invoke(CHANNELS.saveSettings, input),
  setSecret: (input) => ipcRenderer.invoke(CHANNELS.setSecret, input),
  copyHardwareId: () => ipcRenderer.invoke(CHANNELS.copyHardwareId),
  exportDiagnostics: () => ipcRenderer.invoke(CHANNELS.exportDiagnostics),
  deactivate: () => ipcRenderer.invoke(CHANNELS.deactivate),
  restartToUpdate: () => ipcRenderer.invoke(CHANNELS.restartToUpdate),
};

contextBridge.exposeInMainWorld('deviceAgent', bridge);
