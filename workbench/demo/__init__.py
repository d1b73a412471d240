"""The bundled demo (Lakeshore Dental Group): the seeded history generator and the
demo workspace."""
