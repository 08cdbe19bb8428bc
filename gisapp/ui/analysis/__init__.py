"""Analysis dialogs: one form generated per declared method (``form``), one generic dialog (``dialog``)."""
