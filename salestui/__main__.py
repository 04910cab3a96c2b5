"""Allow ``python -m salestui``."""

from salestui.cli import main

raise SystemExit(main())
