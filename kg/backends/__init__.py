"""Where a graph lives: in memory (the bundled graph), an on-disk Oxigraph store, a SPARQL endpoint."""
