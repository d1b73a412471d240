"""The application layer: the operations both front ends call.

``ui/`` (on its workers) and the command line (``workbench/commands``) call these
functions and only present what they return; each operation is a named, typed
function whose work is one atomic call on the workspace, and it returns what changed.
Nothing here imports Qt.  Below it: the engine, import, documents, warnings,
analytics and reports packages, and ``models/``.
"""
