"""The Qt interface: theme, navigator, screens and widgets. It uses ``kiosk.core``, never the other way."""
