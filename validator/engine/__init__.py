"""The check engine, in two tiers.

Tier one, the screen (:mod:`~validator.engine.screen`), answers for links of
the everyday shape in one pass, with the lazy findings and reports of
:mod:`~validator.engine.lazy`. Tier two (:mod:`~validator.engine.full`)
parses, resolves and runs every rule the link calls for. :func:`validator.check`
calls the screen first; links it does not recognise as healthy go to tier two.
"""
