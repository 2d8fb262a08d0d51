"""Reporters: turn diagnostics, outlines and rule docs into text. rich is imported only
by the terminal renderers, so piped runs and hooks never pay for it."""
