#!/usr/bin/env bash
# Stap voor Stap: the whole login session of the visitor account, with no desktop.
#
# Started by the display manager through /usr/share/xsessions/kiosk-session.desktop.
# Install (as root): install -m 755 kiosk-session.sh /usr/local/bin/kiosk-session.sh
#
# It starts openbox (if installed) for focus and full screen, then runs the app in kiosk
# mode, again and again: whenever the app ends, it comes back 2 seconds later.
# Each end is written to the system log: journalctl -t kiosk-session

# The app command; /usr/local/bin/kiosk is the link made during installation.
KIOSK_COMMAND=${KIOSK_COMMAND:-kiosk}

if command -v openbox >/dev/null 2>&1; then
    openbox &
fi

# Keep the screen on (no blanking, no power saving). Remove the "#" to use it.
# xset s off -dpms

while true; do
    "$KIOSK_COMMAND" --kiosk
    status=$?
    if [ "$status" -eq 3 ]; then
        break  # a staff member closed the app on purpose ("App sluiten")
    fi
    if command -v logger >/dev/null 2>&1; then
        logger -t kiosk-session "kiosk ended with exit status $status; starting it again"
    fi
    sleep 2
done
