"""What every reader and writer shares: writes that are atomic (one file, or a set of files
committed together), the operating system's errors turned into relscore's with the file
named, folder locks and the sweep of a killed run's temporaries, and the progress line.

May import :mod:`relscore.vocabulary` and :mod:`relscore.exceptions` only.
"""
