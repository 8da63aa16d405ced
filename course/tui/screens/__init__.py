"""Screens of the dp100 TUI (one module per area)."""
