"""P15: no sequence of taps and keys reaches digibuddy or staff mode without the PIN."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton
from window_input import press_window, tap_window

from kiosk.app import build_services
from kiosk.core.paths import AppPaths
from kiosk.core.roles import PinBook, Role
from kiosk.core.settings import Settings
from kiosk.ui.navigator import Navigator
from kiosk.speech.silent import SilentSpeaker

KEYS = [Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Return, Qt.Key.Key_Space,
        Qt.Key.Key_Escape, Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down,
        Qt.Key.Key_1, Qt.Key.Key_9, Qt.Key.Key_A, Qt.Key.Key_F4, Qt.Key.Key_Backspace]
MODIFIERS = [Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ControlModifier,
             Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ShiftModifier]
SECRET = "97531"


def test_p15_no_sequence_reaches_buddy_or_staff_mode_without_the_pin(qapp, tmp_path) -> None:  # type: ignore[no-untyped-def]
    paths = AppPaths.under(tmp_path / "home")
    book = PinBook(paths.user_config, paths.data, lambda: 0.0)
    book.set_pin(Role.BUDDY, SECRET)
    book.set_pin(Role.STAFF, SECRET + "1")
    clock = [1_800_000_000.0]
    steps = [0]

    class Machine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            services = build_services(paths, Settings(read_aloud=False), speaker=SilentSpeaker())
            services.clock = lambda: clock[0]
            self.services = services
            self.window = Navigator(services)
            self.window.resize(1366, 768)
            self.window.show()
            self.window.start()

        def buttons(self) -> list[QAbstractButton]:
            return [b for b in self.window.findChildren(QAbstractButton)
                    if b.isVisible() and b.isEnabled()]

        @rule(data=st.data())
        def tap_a_button(self, data) -> None:  # type: ignore[no-untyped-def]
            buttons = self.buttons()
            if buttons:
                data.draw(st.sampled_from(buttons)).click()
            steps[0] += 1

        @rule(key=st.sampled_from(KEYS), modifier=st.sampled_from(MODIFIERS))
        def press_a_key(self, key, modifier) -> None:  # type: ignore[no-untyped-def]
            press_window(self.window, key, modifier)
            steps[0] += 1

        @rule(x=st.integers(0, 1365), y=st.integers(0, 767), times=st.integers(1, 6))
        def tap_somewhere(self, x, y, times) -> None:  # type: ignore[no-untyped-def]
            for _ in range(times):
                tap_window(self.window, QPoint(x, y))
            steps[0] += 1

        @rule(pin=st.text(alphabet="0123456789", max_size=7))
        def type_a_wrong_pin(self, pin) -> None:  # type: ignore[no-untyped-def]
            if self.window.stack.currentWidget() is self.window.pin_pad and \
                    pin not in (SECRET, SECRET + "1"):
                for digit in pin:
                    self.window.pin_pad.press(digit)
                self.window.pin_pad.submit()
            steps[0] += 1

        @rule(seconds=st.sampled_from([1, 60, 301, 600]))
        def let_time_pass(self, seconds) -> None:  # type: ignore[no-untyped-def]
            clock[0] += seconds
            self.window.check_idle()
            steps[0] += 1

        @invariant()
        def still_a_learner(self) -> None:
            assert self.window.role == Role.LEARNER
            assert self.window.stack.currentWidget() is not self.window.buddy

        def teardown(self) -> None:
            self.window.leave_kiosk_mode()
            self.window.close()
            self.window.deleteLater()
            self.services.progress.close()

    run_state_machine_as_test(Machine, settings=settings(
        max_examples=40, stateful_step_count=40, deadline=None,
        suppress_health_check=list(HealthCheck)))
    print(f"P15: {steps[0]} taps, keys and waits, never in digibuddy or staff mode")
