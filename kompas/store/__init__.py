"""Persistence without Flask: the database engine, vendor links, submissions and local facts.

The web app binds its engine here (kompas.web.db); the command line opens one from the same
configuration (`open_configured`) without building an app.
"""
