"""`serving bench`: load the server, compare eager with compiled, report numbers people can trust."""
