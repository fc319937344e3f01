"""Persistence without Flask: the database engine, dossiers and their answers, workshops and
participants, vendor links, submissions, local facts, the curator's queue and rounds.

The web app binds its engine here (kompas.web.db); the command line opens one from the same
configuration (`open_configured`) without building an app.
"""
