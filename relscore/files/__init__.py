"""What every reader and writer shares: writes that are atomic (one file, a set of files
committed together, or a whole folder), relscore's own temporary files and the sweep of
those a killed run left, the operating system's errors turned into relscore's with the file
named, folder locks, the one CSV writer, and the progress line.

May import :mod:`relscore.vocabulary` and :mod:`relscore.exceptions` only.
"""
