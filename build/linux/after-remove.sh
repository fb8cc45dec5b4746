#!/bin/sh
# deb post-remove: take the autostart entry away with the app.
set -e
rm -f /etc/xdg/autostart/device-agent.desktop
exit 0
