"""Export: TMX 1.4b translation memories (writer, streaming reader, schema) and review files."""
