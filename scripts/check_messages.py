"""Fail if the translation catalogues are out of date or the Welsh one is incomplete."""

import sys

from wizard.web.catalogue import main

if __name__ == "__main__":
    sys.exit(main())
