"""The Textual app. Only this package imports Textual; it calls the headless core through thread workers."""
