"""`python -m align`: the command line (see align.cli)."""

from align.cli import main

raise SystemExit(main())
