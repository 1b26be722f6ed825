"""The shared kernel: identifiers, calendar, audit, access, numbering, jobs, documents, notifications.

The kernel imports no domain app; domain apps build on it.
"""
