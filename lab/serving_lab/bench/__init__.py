"""`serving bench`: load the server, compare eager with compiled, report honest numbers."""
