"""The curated data: YAML records, EDTF dates, the build into RDF, table import and validation."""
