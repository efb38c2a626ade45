"""Statements about an index: episodes (the one definition of an episode and of the top
one), half-lives, the latent level, robustness and its variants.

May import the computation layers below it (coding, index, scale) but no reader or writer.
"""
