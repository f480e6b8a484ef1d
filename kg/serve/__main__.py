"""``python -m kg.serve LOCATION [--port N] ...``: :func:`kg.serve.run` without the CLI (what
:func:`kg.serve.start` runs in another process)."""

from kg.serve import main

if __name__ == "__main__":
    main()
