"""The TUI's view models: plain Python over the engines (`quizzes`, `sandbox`, `labs`, lessons).

Nothing here imports Textual, so every screen's data can be tested (and benchmarked) without a terminal, and the
widgets only draw what these functions return.
"""
