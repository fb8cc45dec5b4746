#!/bin/bash
# deb post-install (postinst) of {{productName}}. electron-builder runs this instead of
# its own template, so the template's steps come first, VERBATIM from
# app-builder-lib 26's templates/linux/after-install.tpl (a test keeps them equal):
# the /usr/bin link, the chrome-sandbox mode, the AppArmor profile that lets
# Chromium's sandbox use user namespaces on Ubuntu >= 24.04. Then {{productName}}'s own
# step. ${executable} and ${sanitizedProductName} are electron-builder's macros;
# this file's own shell variables are written without braces, which it would take
# for macros. DEVICE_AGENT_TEST_ROOT (unset when dpkg runs it) lets a test run the script in a
# scratch root.

# --- electron-builder's template (after-install.tpl) ---------------------------
if type update-alternatives >/dev/null 2>&1; then
    # Remove previous link if it doesn't use update-alternatives
    if [ -L '/usr/bin/${executable}' -a -e '/usr/bin/${executable}' -a "`readlink '/usr/bin/${executable}'`" != '/etc/alternatives/${executable}' ]; then
        rm -f '/usr/bin/${executable}'
    fi
    update-alternatives --install '/usr/bin/${executable}' '${executable}' '/opt/${sanitizedProductName}/${executable}' 100 || ln -sf '/opt/${sanitizedProductName}/${executable}' '/usr/bin/${executable}'
else
    ln -sf '/opt/${sanitizedProductName}/${executable}' '/usr/bin/${executable}'
fi

# Check if user namespaces are supported by the kernel and working with a quick test:
if ! { [[ -L /proc/self/ns/user ]] && unshare --user true; }; then
    # Use SUID chrome-sandbox only on systems without user namespaces:
    chmod 4755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
else
    chmod 0755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
fi

if hash update-mime-database 2>/dev/null; then
    update-mime-database /usr/share/mime || true
fi

if hash update-desktop-database 2>/dev/null; then
    update-desktop-database /usr/share/applications || true
fi

# Install apparmor profile. (Ubuntu 24+)
# First check if the version of AppArmor running on the device supports our profile.
# This is in order to keep backwards compatibility with Ubuntu 22.04 which does not support abi/4.0.
# In that case, we just skip installing the profile since the app runs fine without it on 22.04.
#
# Those apparmor_parser flags are akin to performing a dry run of loading a profile.
# https://wiki.debian.org/AppArmor/HowToUse#Dumping_profiles
#
# Unfortunately, at the moment AppArmor doesn't have a good story for backwards compatibility.
# https://askubuntu.com/questions/1517272/writing-a-backwards-compatible-apparmor-profile
if apparmor_status --enabled > /dev/null 2>&1; then
  APPARMOR_PROFILE_SOURCE='/opt/${sanitizedProductName}/resources/apparmor-profile'
  APPARMOR_PROFILE_TARGET='/etc/apparmor.d/${executable}'
  if apparmor_parser --skip-kernel-load --debug "$APPARMOR_PROFILE_SOURCE" > /dev/null 2>&1; then
    cp -f "$APPARMOR_PROFILE_SOURCE" "$APPARMOR_PROFILE_TARGET"

    # Updating the current AppArmor profile is not possible and probably not meaningful in a chroot'ed environment.
    # Use cases are for example environments where images for clients are maintained.
    # There, AppArmor might correctly be installed, but live updating makes no sense.
    if ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      # Extra flags taken from dh_apparmor:
      # > By using '-W -T' we ensure that any abstraction updates are also pulled in.
      # https://wiki.debian.org/AppArmor/Contribute/FirstTimeProfileImport
      apparmor_parser --replace --write-cache --skip-read-cache "$APPARMOR_PROFILE_TARGET"
    fi
  else
    echo "Skipping the installation of the AppArmor profile as this version of AppArmor does not seem to support the bundled profile"
  fi
fi
# --- end of electron-builder's template ----------------------------------------

# {{productName}} starts at login for every user (XDG autostart). A person can turn it
# off for themselves from the tray ("Start at login"), which writes their own entry
# with Hidden=true; TryExec makes the entry inert once the program is gone.
# (The double-braced names are the branding's, filled in by tools/builder-config.ts; ${…} are electron-builder's.)
autostart_dir="$DEVICE_AGENT_TEST_ROOT/etc/xdg/autostart"
mkdir -p "$autostart_dir"
cat > "$autostart_dir/{{desktopFileName}}" <<'ENTRY'
[Desktop Entry]
Type=Application
Version=1.0
Name={{productName}}
Comment={{description}}
Exec="/opt/${sanitizedProductName}/${executable}" --hidden
TryExec=/opt/${sanitizedProductName}/${executable}
Icon=${executable}
Terminal=false
NoDisplay=true
X-GNOME-Autostart-enabled=true
{{autostartKey}}=true
ENTRY
chmod 0644 "$autostart_dir/{{desktopFileName}}"
