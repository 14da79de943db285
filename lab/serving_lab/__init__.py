"""The lab: measuring the `serving` runtime, kept out of it.

``serving bench`` (load a server, compare eager with compiled, report honest numbers) and
``serving tune`` (sweep serving layouts for one model), added to the runtime's command line
by this distribution's entry points; :mod:`serving_lab.server`, a server in a subprocess
that the bench, the tuner and the project's tests start and stop. Neither the runtime's
wheel nor the images carry any of it.
"""
