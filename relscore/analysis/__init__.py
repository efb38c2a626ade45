"""Statements about an index: episodes (the one definition of an episode and of the top
one), alerts (the one definition of an alert, and its check against known crises),
half-lives, the latent level, robustness and its variants.

May import the layers below it: :mod:`relscore.scale`, :mod:`relscore.index`,
:mod:`relscore.coding`, and of the readers only the importers' accounting (the dedupe
comparison is handed its reader); it opens no file itself.
"""
