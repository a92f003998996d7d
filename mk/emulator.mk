# The emulator as users install it, included by the Makefile (which defines BIN and `venv`):
#
#   make emulator-dist           build the emulator's sdist and wheel into $(EMULATOR_DIST)
#   make emulator-release-check  install that wheel in a new environment outside the checkout
#                                and drive it with the official SDK and its pytest plugin

EMULATOR_DIST := build/emulator-dist

.PHONY: emulator-dist emulator-release-check

# `python -m build` makes the sdist, then the wheel from it: a file missing from
# the sdist shows up as a broken wheel. Its working folders are not left behind.
emulator-dist: venv
	rm -rf $(EMULATOR_DIST)
	$(BIN)/python -m build --outdir $(EMULATOR_DIST) emulator
	rm -rf emulator/build emulator/hwc_emulator.egg-info

emulator-release-check: emulator-dist
	$(BIN)/python tools/emulator_wheel_check.py $(EMULATOR_DIST)
