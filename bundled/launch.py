"""Start shapelens from the VS Code extension with the libraries it carries first on sys.path.

``python launch.py serve`` is ``python -m shapelens serve`` with the server and its pinned
dependencies (bundled/libs, filled from bundled/requirements.txt) ahead of anything the
interpreter has installed, so a user environment with another pygls cannot break the server.
"""

import os
import sys

if sys.version_info < (3, 10):
    sys.stderr.write("shapelens needs Python >= 3.10, but %s is Python %s\n"
                     % (sys.executable, sys.version.split()[0]))
    sys.exit(3)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "libs"))

from shapelens.cli import main  # noqa: E402

sys.exit(main(sys.argv[1:]))
