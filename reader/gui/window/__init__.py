"""The main window and what keeps it company: one window per data folder."""
