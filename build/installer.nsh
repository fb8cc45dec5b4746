; The agent's additions to electron-builder's NSIS installer (nsis.include).
; Uninstall removes the login item the app created: app.setLoginItemSettings writes
; the HKCU Run value named after the AppUserModelID (main/index.ts sets it to the
; branding's appId; electron-builder defines APP_ID from it) and, when a person disabled it in Task Manager, a StartupApproved value.
; Not on an update: electron-builder runs the old uninstaller then, and the login
; item must survive it. A per-machine uninstall runs as the administrator and
; reaches only that account's HKCU; other users' values stay, pointing at a removed
; program (Windows skips it).
!macro customUnInstall
  ${ifNot} ${isUpdated}
    DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Run" "${APP_ID}"
    DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run" "${APP_ID}"
  ${endIf}
!macroend
