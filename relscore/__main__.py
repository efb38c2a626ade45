import sys

from relscore.cli import main

sys.exit(main())
