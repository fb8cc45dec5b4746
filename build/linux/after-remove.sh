#!/bin/bash
# deb post-remove (postrm) of {{productName}}: electron-builder's template first,
# VERBATIM from app-builder-lib 26's templates/linux/after-remove.tpl (a test keeps
# them equal): the /usr/bin link and the AppArmor profile go. Then {{productName}}'s own
# step: on remove and purge (not on an upgrade, where the new package's postinst
# runs next), the autostart entries this package and the app created go too.
# DEVICE_AGENT_TEST_ROOT (unset when dpkg runs it) lets a test run the script in a scratch root.

# --- electron-builder's template (after-remove.tpl) ----------------------------
# Delete the link to the binary
if type update-alternatives >/dev/null 2>&1; then
    update-alternatives --remove '${executable}' '/usr/bin/${executable}'
else
    rm -f '/usr/bin/${executable}'
fi

APPARMOR_PROFILE_DEST='/etc/apparmor.d/${executable}'

# Remove apparmor profile.
if [ -f "$APPARMOR_PROFILE_DEST" ]; then
  rm -f "$APPARMOR_PROFILE_DEST"
fi
# --- end of electron-builder's template ----------------------------------------

case "$1" in
  remove|purge)
    rm -f "$DEVICE_AGENT_TEST_ROOT/etc/xdg/autostart/{{desktopFileName}}"
    # Each user's own entry, if the app wrote it (it carries {{autostartKey}};
    # an entry a person wrote themselves is left alone). Regular files only, never
    # through a link. Entries under a custom XDG_CONFIG_HOME are not found here;
    # their TryExec keeps them inert.
    getent passwd | cut -d: -f6 | sort -u | while IFS= read -r home; do
      case "$home" in /*) ;; *) continue ;; esac
      entry="$DEVICE_AGENT_TEST_ROOT$home/.config/autostart/{{desktopFileName}}"
      if [ -f "$entry" ] && [ ! -L "$entry" ] && grep -q '^{{autostartKey}}=true$' "$entry"; then
        rm -f "$entry"
      fi
    done
    ;;
esac
exit 0
