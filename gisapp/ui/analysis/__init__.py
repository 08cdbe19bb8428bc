"""Analysis dialogs: one declarative spec per method (``registry``), one generic dialog (``dialog``)."""
