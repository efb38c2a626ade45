"""Test machinery that users' own tests may want too: seeded synthetic GDELT files of any
size (:mod:`~relscore.testing.synthetic`), a seeded synthetic dyad of any size
(:mod:`~relscore.testing.dyad`) and a GDELT mirror served from a folder on 127.0.0.1
(:mod:`~relscore.testing.mirror`).

May import every layer up to :mod:`relscore.fetch`; nothing in the package imports it but
the bundled datasets.
"""

from relscore.testing.dyad import synthetic_dyad
from relscore.testing.mirror import serve, write_master_list
from relscore.testing.synthetic import dyad_pairs, write_gdelt

__all__ = ["dyad_pairs", "serve", "synthetic_dyad", "write_gdelt", "write_master_list"]
