"""Helpers of the end-to-end tests: the real ``sifund serve`` in a subprocess, driven by Chromium."""
