"""The check engine's first tier: the screen, and the lazy findings and reports it returns.

:func:`validator.check` calls the screen first; links it does not recognise as
healthy go to the full engine in :mod:`validator.check`.
"""
