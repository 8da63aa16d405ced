"""Widgets of the dp100 TUI, grouped by what they show. They draw state and post messages; no engine logic."""
